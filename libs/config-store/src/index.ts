/**
 * Where the routing config lives: the YAML file alone, or Redis (seeded from the file) with
 * live propagation to every replica. Both give one frozen snapshot at a time.
 */
export * from './config-document';
export * from './config-store';
export * from './config-store-error';
export * from './file-config-store';
export * from './redis-config-store';
export * from './redis-connection';
export * from './audit-log';
