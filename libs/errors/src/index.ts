export * from './error-codes';
export * from './gateway-error';
