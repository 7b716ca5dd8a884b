import { PROVIDER_KIND_IDS, PROVIDER_KINDS, type ProviderKindId } from './kinds';
import { decideMessagesMode, type MessagesSetting } from './messages-mode';
import type { ProviderProbe } from './probe/provider-probe';

const checkedAt = '2026-11-22T10:00:00.000Z';
const VERSIONS: Readonly<Record<ProviderKindId, { old?: string; new?: string }>> = {
  'llama-cpp': { old: 'b6000-1a2b3c4', new: 'b6543' },
  ollama: { old: '0.11.2', new: '0.14.0' },
  vllm: { old: '0.10.1', new: '0.11.0' },
  'lm-studio': { old: 'older than 0.4.0', new: '0.4.0 or newer' },
  anthropic: {},
  openai: {},
};

type Evidence = 'none' | 'serves' | 'does not serve' | 'unreachable' | 'unknown';
function probeFor(id: ProviderKindId, evidence: Evidence): ProviderProbe | undefined {
  switch (evidence) {
    case 'none':
      return undefined;
    case 'serves':
      return { reachable: true, version: VERSIONS[id].new, servesMessages: true, checkedAt };
    case 'does not serve':
      return { reachable: true, version: VERSIONS[id].old, servesMessages: false, checkedAt };
    case 'unreachable':
      return { reachable: false, error: 'upstream request failed before the response headers: connection refused (ECONNREFUSED)', checkedAt };
    case 'unknown':
      return { reachable: true, error: "unauthorized: /props answered 401 (check the provider's API key)", checkedAt };
  }
}

const EVIDENCE: readonly Evidence[] = ['none', 'serves', 'does not serve', 'unreachable', 'unknown'];

describe('decideMessagesMode', () => {
  describe('a configured mode always wins', () => {
    const cases = PROVIDER_KIND_IDS.flatMap((id) => EVIDENCE.flatMap((evidence) => (['native', 'translate'] as const).map((configured) => [id, evidence, configured] as const)));
    it.each(cases)('%s, evidence %s, configured %s', (id, evidence, configured) => {
      expect(decideMessagesMode(configured, PROVIDER_KINDS[id], probeFor(id, evidence))).toEqual({ mode: configured, reason: `configured: ${configured}` });
    });
  });

  describe('auto', () => {
    /** Expected mode per kind for each kind of evidence; `default` is the kind's own default (translate for all that can translate). */
    const TABLE: Readonly<Record<ProviderKindId, Readonly<Record<Evidence, 'native' | 'translate'>>>> = {
      'llama-cpp': { none: 'translate', serves: 'native', 'does not serve': 'translate', unreachable: 'translate', unknown: 'translate' },
      ollama: { none: 'translate', serves: 'native', 'does not serve': 'translate', unreachable: 'translate', unknown: 'translate' },
      vllm: { none: 'translate', serves: 'native', 'does not serve': 'translate', unreachable: 'translate', unknown: 'translate' },
      'lm-studio': { none: 'translate', serves: 'native', 'does not serve': 'translate', unreachable: 'translate', unknown: 'translate' },
      // Speaks only Anthropic Messages: passthrough whatever the probe says.
      anthropic: { none: 'native', serves: 'native', 'does not serve': 'native', unreachable: 'native', unknown: 'native' },
      // Speaks no Anthropic at all: translation whatever the probe says.
      openai: { none: 'translate', serves: 'translate', 'does not serve': 'translate', unreachable: 'translate', unknown: 'translate' },
    };
    const cases = PROVIDER_KIND_IDS.flatMap((id) => EVIDENCE.map((evidence) => [id, evidence, TABLE[id][evidence]] as const));
    it.each(cases)('%s with evidence %s → %s, with a one-sentence reason', (id, evidence, mode) => {
      const decision = decideMessagesMode('auto' satisfies MessagesSetting, PROVIDER_KINDS[id], probeFor(id, evidence));
      expect(decision.mode).toBe(mode);
      expect(decision.reason).toMatch(/^auto: /);
      expect(decision.reason).not.toMatch(/\n|undefined/);
    });
  });

  describe('auto reasons say what was seen', () => {
    const auto = (id: ProviderKindId, probe: ProviderProbe | undefined) => decideMessagesMode('auto', PROVIDER_KINDS[id], probe).reason;

    it('names the version that serves, or the one it needs', () => {
      expect(auto('llama-cpp', { reachable: true, version: 'b6543', servesMessages: true, checkedAt })).toBe('auto: llama-cpp build b6543 serves /v1/messages');
      expect(auto('ollama', { reachable: true, version: '0.11.2', servesMessages: false, checkedAt })).toBe(
        'auto: ollama 0.11.2 predates /v1/messages (needs >= 0.14.0); translating',
      );
      expect(auto('llama-cpp', { reachable: true, version: 'b0-unknown', servesMessages: false, checkedAt })).toBe(
        'auto: llama-cpp build b0-unknown does not serve /v1/messages (needs >= b7250); translating',
      );
    });

    it('says when it is falling back, and why', () => {
      expect(auto('vllm', undefined)).toBe('auto: vllm not probed yet; translating (the vllm default)');
      expect(auto('ollama', probeFor('ollama', 'unreachable'))).toBe(
        'auto: ollama unreachable (upstream request failed before the response headers: connection refused (ECONNREFUSED)); translating (the ollama default)',
      );
      expect(auto('llama-cpp', probeFor('llama-cpp', 'unknown'))).toBe(
        "auto: cannot tell whether llama-cpp serves /v1/messages (version not reported; unauthorized: /props answered 401 (check the provider's API key)); translating (the llama-cpp default)",
      );
      expect(auto('ollama', { reachable: true, version: '0.0.0', checkedAt })).toBe('auto: cannot tell whether ollama 0.0.0 serves /v1/messages; translating (the ollama default)');
    });

    it('settles single-protocol kinds without a probe', () => {
      expect(auto('anthropic', undefined)).toBe('auto: anthropic speaks only Anthropic Messages');
      expect(auto('openai', undefined)).toBe('auto: openai does not serve /v1/messages; translating');
    });
  });
});
