export * from './webhook-request';
export * from './callback-client';
