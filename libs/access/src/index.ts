export * from './api-key-check';
export * from './rate-limiter';
export * from './key-gate';
