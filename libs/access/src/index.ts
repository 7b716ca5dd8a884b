export * from './api-key-check';
export * from './rate-limiter';
export * from './key-gate';
export * from './gateway-key';
export * from './key-secret';
export * from './key-store';
export * from './redis-key-store';
export * from './key-registry';
