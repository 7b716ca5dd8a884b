export * from './bounded-label';
export * from './exchange-record';
export * from './gateway-metrics';
export * from './known-model-names';
