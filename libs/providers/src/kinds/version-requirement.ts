/**
 * How a server numbers its releases, so "does this version serve /v1/messages" is a real
 * comparison, never a string compare ("0.9.0" > "0.14.0" as strings).
 * - `llama-build`: llama.cpp's `/props` `build_info`, `b<build number>-<commit>`. A source tree
 *   built without `.git` reports `b0-unknown`: build 0 means "unknown", not "ancient".
 * - `semver`: Ollama (`0.14.0`, `0.14.0-rc1`; a source build reports `0.0.0`, also unknown),
 *   vLLM (PEP 440: `0.11.0`, `0.11.1rc2`, `0.11.1.dev5+g1a2b3c`, `0.11.0+cu128`).
 */
export type VersionScheme = 'llama-build' | 'semver';

/** The first release that serves `/v1/messages`, with where that fact comes from. */
export interface VersionRequirement {
  readonly scheme: VersionScheme;
  /** In the scheme's own spelling: `b7250`, `0.14.0`. */
  readonly minimum: string;
  /** Where the threshold comes from (docs/protocol.md §9), for whoever revisits it. */
  readonly evidence: string;
}

interface Parsed {
  readonly parts: readonly number[];
  /** rc, beta, dev, `-pre`: before the release of the same numbers. */
  readonly prerelease: boolean;
}

/**
 * True when `version` is at or past the requirement, false when it is older, undefined when
 * the version cannot be read (then the caller decides from other evidence, or plays safe).
 */
export function meetsRequirement(version: string, requirement: VersionRequirement): boolean | undefined {
  const have = parseVersion(version, requirement.scheme);
  const need = parseVersion(requirement.minimum, requirement.scheme);
  if (!have || !need) return undefined;
  return compareParsed(have, need) >= 0;
}

/** How a version reads in a sentence: `build b6543-abc1234` for llama.cpp, the plain version otherwise. */
export function describeVersion(version: string, scheme: VersionScheme | undefined): string {
  return scheme === 'llama-build' ? `build ${version}` : version;
}

function parseVersion(text: string, scheme: VersionScheme): Parsed | undefined {
  return scheme === 'llama-build' ? parseBuild(text) : parseSemver(text);
}

function parseBuild(text: string): Parsed | undefined {
  const match = /^b(\d+)(?:-|$)/.exec(text.trim());
  const build = match ? Number(match[1]) : 0;
  return build > 0 ? { parts: [build], prerelease: false } : undefined;
}

function parseSemver(text: string): Parsed | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?(.*)$/.exec(text.trim());
  if (!match) return undefined;
  const parts = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  if (parts.every((part) => part === 0)) return undefined;
  const suffix = (match[4] ?? '').toLowerCase();
  // `+local` build metadata and `.postN` are the release itself; anything else after the numbers
  // (`-rc1`, `rc2`, `.dev5`, `b1`, `a1`) comes before it.
  const prerelease = suffix !== '' && !suffix.startsWith('+') && !/^\.?post\d*/.test(suffix);
  return { parts, prerelease };
}

function compareParsed(a: Parsed, b: Parsed): number {
  const length = Math.max(a.parts.length, b.parts.length);
  for (let i = 0; i < length; i += 1) {
    const difference = (a.parts[i] ?? 0) - (b.parts[i] ?? 0);
    if (difference !== 0) return difference;
  }
  if (a.prerelease === b.prerelease) return 0;
  return a.prerelease ? -1 : 1;
}
