export * from './push-sender';
export * from './challenge-message';
