export * from './entities';
export * from './audit-log';
export * from './data-source';
export * from './persistence.module';
export * from './session-summaries';
export * from './deferred-records';
export * from './delivery-records';
export * from './postgres-unreachable';
