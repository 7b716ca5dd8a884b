import { globMatches } from '@turnout/glob';

/**
 * Which `anthropic-beta` values may reach an upstream. Strict upstreams (the Anthropic API
 * among them) answer 400 to betas they do not know, and Claude Code sends new ones with every
 * release, so a provider can allow-list or deny-list them. Same shape as the routing config's
 * `BetaPolicy`, restated here so this library does not depend on routing.
 */
export interface BetaPolicy {
  /** When given, only values matching one of these globs are kept. */
  readonly allow?: readonly string[];
  /** Values matching one of these globs are dropped, even when allowed. */
  readonly deny?: readonly string[];
}

export interface FilteredBetas {
  readonly kept: string[];
  readonly dropped: string[];
}

/** Splits the header value(s), trims, drops empties, and sorts each value into kept or dropped, keeping order. */
export function filterBetas(values: readonly string[], policy: BetaPolicy | undefined): FilteredBetas {
  const allow = policy?.allow?.map(compileGlob);
  const deny = policy?.deny?.map(compileGlob) ?? [];
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const value of values.flatMap((header) => header.split(','))) {
    const beta = value.trim();
    if (beta === '') continue;
    const allowed = allow === undefined || allow.some((matches) => matches(beta));
    (allowed && !deny.some((matches) => matches(beta)) ? kept : dropped).push(beta);
  }
  return { kept, dropped };
}

/**
 * `*` is any run of characters, `?` one character, everything else literal (beta names have dots
 * and dashes). The value comes from the client's header: matched in linear time, never a RegExp.
 */
function compileGlob(pattern: string): (value: string) => boolean {
  if (!/[*?]/.test(pattern)) return (value) => value === pattern;
  return (value) => globMatches(pattern, value).matched;
}
