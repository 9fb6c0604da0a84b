export * from './session-state';
export * from './dynamic-linking';
export * from './callback-policy';
export * from './errors';
export * from './card-number';
export * from './push-endpoint';
export * from './validation';
export * from './device-api';
