export * from './stored-session';
export * from './session-store';
export * from './session-events';
export * from './device-index';
export * from './redis-keys';
export * from './sessions.module';
