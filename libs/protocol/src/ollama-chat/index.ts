export * from './request';
export * from './response';
