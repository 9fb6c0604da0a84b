export * from './readiness.probe';
