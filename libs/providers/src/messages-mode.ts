import type { MessagesMode, ProviderKind } from './kinds/provider-kind';
import { describeVersion, meetsRequirement } from './kinds/version-requirement';
import type { ProviderProbe } from './probe/provider-probe';

/** A provider's `messages` setting as configured. */
export type MessagesSetting = MessagesMode | 'auto';

/** Passthrough or translation, and the one sentence (logged, shown in the status API) that says why. */
export interface MessagesModeDecision {
  readonly mode: MessagesMode;
  readonly reason: string;
}

/**
 * Decides passthrough (`native`) or translation for one provider. A configured mode always
 * wins. `auto` follows the evidence: a kind that speaks only Anthropic passes through, one that
 * does not speak it translates, and for the rest the last probe's verdict decides; with no
 * verdict (not probed, unreachable, unknown version) the kind's own default applies, and the
 * reason says which of those it was.
 */
export function decideMessagesMode(configured: MessagesSetting, kind: ProviderKind, probe: ProviderProbe | undefined): MessagesModeDecision {
  if (configured !== 'auto') return { mode: configured, reason: `configured: ${configured}` };
  if (!kind.protocols.includes('anthropic-messages')) {
    return { mode: 'translate', reason: `auto: ${kind.id} does not serve /v1/messages; translating` };
  }
  if (kind.protocols.every((protocol) => protocol === 'anthropic-messages')) {
    return { mode: 'native', reason: `auto: ${kind.id} speaks only Anthropic Messages` };
  }
  const fallback = kind.autoMode;
  const otherwise = `${fallback === 'native' ? 'passing through' : 'translating'} (the ${kind.id} default)`;
  if (!probe) return { mode: fallback, reason: `auto: ${kind.id} not probed yet; ${otherwise}` };
  if (!probe.reachable) return { mode: fallback, reason: `auto: ${kind.id} unreachable (${probe.error ?? 'no answer'}); ${otherwise}` };

  const since = kind.probe.messagesSince;
  const subject = probe.version ? `${kind.id} ${describeVersion(probe.version, since?.scheme)}` : kind.id;
  if (probe.servesMessages === true) return { mode: 'native', reason: `auto: ${subject} serves /v1/messages` };
  if (probe.servesMessages === false) {
    const older = probe.version !== undefined && since !== undefined && meetsRequirement(probe.version, since) === false;
    const needs = since ? ` (needs >= ${since.minimum})` : '';
    return { mode: 'translate', reason: `auto: ${subject} ${older ? 'predates' : 'does not serve'} /v1/messages${needs}; translating` };
  }
  const seen = [probe.version ? undefined : 'version not reported', probe.error].filter((part): part is string => part !== undefined);
  const detail = seen.length > 0 ? ` (${seen.join('; ')})` : '';
  return { mode: fallback, reason: `auto: cannot tell whether ${subject} serves /v1/messages${detail}; ${otherwise}` };
}
