import { ConfigError, validateConfig, type TurnoutConfig } from '@turnout/config';
import { ConfigStoreError } from './config-store-error';

/**
 * The dry run: exactly what a write checks (the file's class-validator rules), with the
 * store's error shape, so "would this be accepted?" and the write itself cannot disagree.
 */
export function checkConfig(config: unknown): TurnoutConfig {
  try {
    return validateConfig(config);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigStoreError('invalid', error.message);
    throw error;
  }
}
