import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ENVIRONMENT, Environment } from '@assent/config';
import { AuditLog } from './audit-log';
import { ChallengeViews } from './challenge-views';
import { dataSourceOptions } from './data-source';
import { DeferredRecords } from './deferred-records';
import { DeliveryRecords } from './delivery-records';
import { ENTITIES } from './entities';
import { SessionSummaries } from './session-summaries';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ENVIRONMENT],
      useFactory: (env: Environment) => ({ ...dataSourceOptions(env.DATABASE_URL), retryAttempts: 3, retryDelay: 1000 }),
    }),
    TypeOrmModule.forFeature(ENTITIES),
  ],
  providers: [AuditLog, SessionSummaries, ChallengeViews, DeliveryRecords, DeferredRecords],
  exports: [TypeOrmModule, AuditLog, SessionSummaries, ChallengeViews, DeliveryRecords],
})
export class PersistenceModule {}
