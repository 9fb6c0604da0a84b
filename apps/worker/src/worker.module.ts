import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { ConfigModule, Environment, loggerParams } from '@assent/config';
import { ReadinessProbe } from '@assent/health';
import { PersistenceModule } from '@assent/persistence';
import { PushSender } from '@assent/push';
import { QueueModule } from '@assent/queue';
import { SessionsModule } from '@assent/sessions';
import { CallbackDeliveryService } from './callback/callback-delivery.service';
import { CallbackDeliveryProcessor } from './processors/callback-delivery.processor';
import { PushChallengeProcessor } from './processors/push-challenge.processor';
import { RecordsProcessor } from './processors/records.processor';
import { SessionTimeoutProcessor } from './processors/session-timeout.processor';
import { PushDispatchService } from './push/push-dispatch.service';

@Module({})
export class WorkerModule {
  static forRoot(env: Environment): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggerModule.forRoot(loggerParams(env)),
        PersistenceModule,
        QueueModule.forRoot('worker'),
        SessionsModule,
      ],
      providers: [
        PushSender,
        PushDispatchService,
        CallbackDeliveryService,
        ReadinessProbe,
        PushChallengeProcessor,
        SessionTimeoutProcessor,
        CallbackDeliveryProcessor,
        RecordsProcessor,
      ],
    };
  }
}
