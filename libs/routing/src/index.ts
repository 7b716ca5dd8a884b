export * from './model-pattern';
export * from './route-resolver';
export * from './request-facts';
export * from './route-conditions';
export * from './replica-picker';
export * from './affinity-store';
export * from './inflight-counter';
