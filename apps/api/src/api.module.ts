import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ConfigModule, Environment, loggerParams } from '@assent/config';
import { PersistenceModule } from '@assent/persistence';
import { QueueModule } from '@assent/queue';
import { ApprovalTokenModule } from './approval-token/approval-token.module';
import { AdminModule } from './admin/admin.module';
import { ErrorResponseFilter } from './common/error-response.filter';
import { DeviceModule } from './device/device.module';
import { EnrollmentModule } from './enrollment/enrollment.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { RateLimitModule } from './common/rate-limit.module';
import { PwaModule } from './pwa/pwa.module';
import { WebhookModule } from './webhook/webhook.module';

@Module({})
export class ApiModule {
  static forRoot(env: Environment): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggerModule.forRoot({
          ...loggerParams(env),
          // Enfuce's webhook writes its own line (WebhookController): the per-request
          // HTTP logger costs that hot path about an eighth of its CPU (docs/benchmarks.md).
          exclude: [{ path: 'v1/authenticate/*path', method: RequestMethod.POST }],
        }),
        PersistenceModule,
        QueueModule.forRoot('api'),
        HealthModule,
        RateLimitModule,
        MetricsModule,
        WebhookModule,
        EnrollmentModule,
        DeviceModule,
        ApprovalTokenModule,
        AdminModule,
        PwaModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ErrorResponseFilter }],
    };
  }
}
