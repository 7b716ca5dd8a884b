import type { TurnoutConfig } from '@turnout/config';
import type { ProviderStatus } from '../providers/provider-registry';

/** Providers named one by one in the banner; the rest are counted (GET /v1/turnout/providers has them all). */
const BANNER_PROVIDERS = 6;

export interface StartFacts {
  readonly version: string;
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** `config/turnout.yaml`, or `redis` */
  readonly source: string;
  readonly sourceDetail: string | undefined;
  readonly revision: number | undefined;
  readonly config: TurnoutConfig | undefined;
  readonly providers: readonly ProviderStatus[];
  readonly adminApi: boolean;
}

export interface BannerLine {
  readonly level: 'info' | 'warn';
  readonly text: string;
}

/**
 * What an operator needs to see once at start, in at most 7 lines (per-provider probe details
 * and Nest's route mapping are at debug): version, config source and revision, providers and
 * their modes, routes and keys, admin API, and last the address, which launchers wait for.
 */
export function startBanner(facts: StartFacts): BannerLine[] {
  const { config } = facts;
  const lines: BannerLine[] = [{ level: 'info', text: `turnout ${facts.version} (Node ${process.versions.node}, pid ${process.pid})` }];
  const revision = facts.revision === undefined ? '' : ` revision ${facts.revision}`;
  lines.push({ level: 'info', text: `config: ${facts.source}${revision}${facts.sourceDetail ? ` (${facts.sourceDetail})` : ''}` });
  const named = facts.providers.slice(0, BANNER_PROVIDERS).map((p) => `${p.id} ${p.mode}${p.reachable === false ? ' (unreachable)' : ''}`);
  const more = facts.providers.length > BANNER_PROVIDERS ? `, +${facts.providers.length - BANNER_PROVIDERS} more (GET /v1/turnout/providers)` : '';
  lines.push({ level: 'info', text: `providers (${facts.providers.length}): ${named.join(', ') || 'none'}${more}` });
  const keys = config?.keys.length ?? 0;
  const loopback = facts.host === '127.0.0.1' || facts.host === '::1' || facts.host === 'localhost';
  const open = `no API keys: open to anyone who can reach ${facts.host}:${facts.port}`;
  const keysText = keys > 0 ? `${keys} API key(s)` : loopback ? `${open} (loopback only)` : `${open}; add keys (turnout keys new) before exposing it`;
  lines.push({ level: keys === 0 && !loopback ? 'warn' : 'info', text: `routes: ${config?.routes.length ?? 0}; ${keysText}` });
  lines.push({ level: 'info', text: `admin API ${facts.adminApi ? 'on' : 'off (set TURNOUT_ADMIN_TOKEN to turn it on)'}` });
  const from = facts.source === 'redis' ? 'redis' : facts.source;
  lines.push({
    level: 'info',
    text: `listening on ${facts.url} with ${config?.providers.length ?? 0} provider(s), ${config?.routes.length ?? 0} route(s) from ${from}`,
  });
  return lines;
}
