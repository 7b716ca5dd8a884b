export * from './kinds';
export * from './upstream-client';
export * from './guarded-body';
export * from './upstream-failure';
export * from './probe/provider-probe';
export * from './probe/probe-provider';
export * from './messages-mode';
export * from './count-tokens/count-tokens-exact';
