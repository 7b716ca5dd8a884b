import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { TurnoutConfig } from './turnout-config';
import { ConfigError, validateConfig } from './validate-config';

/** Reads a YAML config file as a plain document (not yet validated); failures name the file. */
export function readConfigDocument(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${path}: cannot read config file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return parse(text);
  } catch (error) {
    throw new ConfigError(`${path}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Reads and validates a YAML config file; every failure is one ConfigError line that names the file. */
export function loadConfigFile(path: string): TurnoutConfig {
  const document = readConfigDocument(path);
  try {
    return validateConfig(document);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${path}: ${error.message}`);
    throw error;
  }
}
