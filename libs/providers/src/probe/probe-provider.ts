import { fieldAt } from '../kinds/json-fields';
import type { ProbeEndpoint, ProbeReading, ProviderKind } from '../kinds/provider-kind';
import { meetsRequirement } from '../kinds/version-requirement';
import type { UpstreamClient, UpstreamTarget } from '../upstream-client';
import { callJson, type JsonAnswer } from '../upstream-json';
import { mergeReadings } from './merge-readings';
import type { ProviderProbe } from './provider-probe';

/**
 * Asks an upstream, cheaply and without generating anything, what it is: the kind's GET
 * endpoints together (version, models, context window), then per-model details and the
 * `/v1/messages` endpoint check where the kind needs them. Every call is bounded by `signal`.
 * Never throws: an unreachable or broken upstream is a result, not an error.
 */
export async function probeProvider(
  client: UpstreamClient,
  target: UpstreamTarget,
  kind: ProviderKind,
  signal: AbortSignal,
): Promise<ProviderProbe> {
  const checkedAt = new Date().toISOString();
  try {
    return { ...(await probe(client, target, kind, signal)), checkedAt };
  } catch {
    // Readers are defensive, so this is a bug of ours; the registry must still get an answer.
    return { reachable: false, error: 'probe failed unexpectedly', checkedAt };
  }
}

type ProbeFindings = Omit<ProviderProbe, 'checkedAt'>;

async function probe(client: UpstreamClient, target: UpstreamTarget, kind: ProviderKind, signal: AbortSignal): Promise<ProbeFindings> {
  const spec = kind.probe;
  const get = (endpoint: ProbeEndpoint) =>
    callJson(client, target, { method: 'GET', path: endpoint.path, ...(spec.headers ? { headers: spec.headers } : {}) }, signal);
  const answers = await Promise.all(spec.endpoints.map(get));
  const failures = answers.filter((answer): answer is Extract<JsonAnswer, { outcome: 'failed' }> => answer.outcome === 'failed');
  if (failures.length === answers.length) return { reachable: false, error: failures[0]?.error ?? 'no probe endpoints' };

  const problems = new Set<string>();
  const readings = answers.map((answer, index) => readAnswer(spec.endpoints[index] as ProbeEndpoint, answer, problems));
  let found = mergeReadings(readings);
  if (spec.modelDetails && found.models) {
    const details = spec.modelDetails;
    const show = async (model: string): Promise<ProbeReading> => {
      const answer = await callJson(client, target, { method: 'POST', path: details.path, body: details.body(model) }, signal);
      return readAnswer({ path: details.path, read: details.read }, answer, problems);
    };
    found = mergeReadings([found, ...(await Promise.all(found.models.slice(0, details.maxModels).map(show)))]);
  }
  const servesMessages = await servesMessagesOf(client, target, kind, found, signal);
  const error = [...problems].join('; ');
  return {
    reachable: true,
    ...found,
    ...(servesMessages !== undefined ? { servesMessages } : {}),
    ...(error ? { error } : {}),
  };
}

/** One endpoint's answer as a reading; whatever went wrong is noted for the probe's `error`. */
function readAnswer(endpoint: ProbeEndpoint, answer: JsonAnswer, problems: Set<string>): ProbeReading {
  switch (answer.outcome) {
    case 'json':
      return endpoint.read(answer.json);
    case 'status':
      if (answer.status === 404 && endpoint.whenNotFound) return endpoint.whenNotFound;
      problems.add(
        answer.status === 401 || answer.status === 403
          ? `unauthorized: ${endpoint.path} answered ${answer.status} (check the provider's API key)`
          : `${endpoint.path} answered ${answer.status}`,
      );
      return {};
    case 'not-json':
      problems.add(`${endpoint.path} answered ${answer.status} with a body that is not JSON`);
      return {};
    case 'failed':
      problems.add(`${endpoint.path}: ${answer.error}`);
      return {};
  }
}

/**
 * Whether `/v1/messages` is served: fixed by the protocols for kinds that speak only one side,
 * then what a reader said, then the version; when the version says no or nothing and the kind
 * has an endpoint check, the check decides (version thresholds can be conservative, and source
 * builds report no version at all).
 */
async function servesMessagesOf(
  client: UpstreamClient,
  target: UpstreamTarget,
  kind: ProviderKind,
  found: ProbeReading,
  signal: AbortSignal,
): Promise<boolean | undefined> {
  if (!kind.protocols.includes('anthropic-messages')) return false;
  if (kind.protocols.every((protocol) => protocol === 'anthropic-messages')) return true;
  if (found.servesMessages !== undefined) return found.servesMessages;
  const since = kind.probe.messagesSince;
  const byVersion = since && found.version !== undefined ? meetsRequirement(found.version, since) : undefined;
  if (byVersion === true) return true;
  const check = kind.probe.messagesEndpointCheck;
  if (!check) return byVersion;
  const answer = await callJson(client, target, { method: 'POST', path: check.path, body: check.body(found.models?.[0]) }, signal);
  // A 200 that counted something; anything else proves nothing either way.
  if (answer.outcome === 'json') return typeof fieldAt(answer.json, 'input_tokens') === 'number' ? true : byVersion;
  if (answer.outcome === 'status' && answer.status === 404) return false;
  return byVersion;
}
