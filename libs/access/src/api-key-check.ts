import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyConfig } from '@turnout/config';

export type KeyCheck<K extends ApiKeyConfig = ApiKeyConfig> = { readonly ok: true; readonly key: K } | { readonly ok: false; readonly reason: 'missing' | 'invalid' };

/** The credentials a client sent: `x-api-key` and/or `Authorization: Bearer` (Claude Code may send both). */
export function presentedCredentials(headers: Readonly<Record<string, string | string[] | undefined>>): string[] {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const bearer = /^Bearer\s+(.+)$/i.exec(first(headers.authorization)?.trim() ?? '')?.[1];
  const apiKey = first(headers['x-api-key'])?.trim();
  return [bearer, apiKey].filter((value): value is string => value !== undefined && value !== '');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Finds the configured key matching any presented credential (Bearer first, then x-api-key:
 * docs/protocol.md §5.1 accepts either when both arrive). Digests are compared in constant time; the
 * presented value is only ever hashed, never logged or echoed.
 */
export function checkApiKey<K extends ApiKeyConfig>(headers: Readonly<Record<string, string | string[] | undefined>>, keys: readonly K[]): KeyCheck<K> {
  const presented = presentedCredentials(headers);
  if (presented.length === 0) return { ok: false, reason: 'missing' };
  for (const credential of presented) {
    const digest = Buffer.from(sha256Hex(credential), 'hex');
    for (const key of keys) {
      if (timingSafeEqual(digest, Buffer.from(key.sha256, 'hex'))) return { ok: true, key };
    }
  }
  return { ok: false, reason: 'invalid' };
}
