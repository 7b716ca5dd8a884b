export * from './error-codes';
export * from './gateway-error';
export * from './error-policy';
export * from './openai-error-body';
export * from './secret-mask';
