import { existsSync } from 'node:fs';

/** Where `turnout` looks for its config when neither `--config` nor `TURNOUT_CONFIG` names one, in order. */
export const DEFAULT_CONFIG_PATHS = ['config/turnout.yaml', '/etc/turnout/turnout.yaml'] as const;

export type ConfigPathResolution = { readonly path: string } | { readonly tried: readonly string[] };

/**
 * `--config`, then `TURNOUT_CONFIG`, then the first of DEFAULT_CONFIG_PATHS that exists. A path
 * given explicitly is used as given (reading it names it when it fails). With nothing found, the
 * places tried, unless Redis holds the config (`REDIS_URL`): then the first default stays the
 * seed file, which Redis may not need.
 */
export function resolveConfigPath(
  flag: string | undefined,
  envPath: string | undefined,
  redisUrl: string | undefined,
  fileExists: (path: string) => boolean = existsSync,
): ConfigPathResolution {
  if (flag !== undefined) return { path: flag };
  if (envPath) return { path: envPath };
  const found = DEFAULT_CONFIG_PATHS.find((path) => fileExists(path));
  if (found !== undefined) return { path: found };
  if (redisUrl) return { path: DEFAULT_CONFIG_PATHS[0] };
  return { tried: ['--config (not given)', 'TURNOUT_CONFIG (not set)', ...DEFAULT_CONFIG_PATHS.map((path) => (path.startsWith('/') ? path : `./${path}`))] };
}
