export * from './bounded-label';
export * from './exchange-record';
export * from './gateway-metrics';
