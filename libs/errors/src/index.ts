export * from './error-codes';
export * from './gateway-error';
export * from './error-policy';
export * from './secret-mask';
