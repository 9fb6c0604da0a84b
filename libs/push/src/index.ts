export * from './push-sender';
export * from './challenge-message';
export * from './vapid-authorization';
