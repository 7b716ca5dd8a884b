export * from './turnout-config';
export * from './turnout-config.dto';
export * from './resilience-config.dto';
export * from './route-rules.dto';
export * from './keys-config.dto';
export * from './validate-config';
export * from './load-config-file';
export * from './class-validator-parts';
