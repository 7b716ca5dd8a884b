import { decideMessagesMode, probeProvider, PROVIDER_KINDS, UpstreamClient, type ProviderProbe } from '@turnout/providers';
import type { ProviderConfig, TurnoutConfig } from '@turnout/config';
import { RoutingSnapshot } from '@turnout/routing';
import { upstreamTarget } from '../providers/upstream-target';

/** How long `turnout doctor` waits for one provider's probes. */
const DOCTOR_PROBE_BUDGET_MS = 5_000;

export interface ProviderCheck {
  readonly provider: ProviderConfig;
  readonly probe: ProviderProbe;
  /** What is wrong, in words an operator can act on; empty when the provider is usable. */
  readonly problems: readonly string[];
  readonly lines: readonly string[];
}

/**
 * `turnout doctor`: asks every configured provider what the gateway would ask it at start
 * (reachable, key accepted, which endpoints it serves, models, context window), then prints the
 * Claude Code settings that reach each route. The exit code is 1 when any provider has a problem.
 */
export async function runDoctor(
  config: TurnoutConfig,
  options: { readonly gatewayUrl: string; readonly secrets: Readonly<Record<string, string | undefined>> },
  out: (text: string) => void,
): Promise<number> {
  const client = new UpstreamClient();
  try {
    const checks = await Promise.all(config.providers.map((provider) => checkProvider(client, provider, options.secrets)));
    for (const check of checks) out(`${check.lines.join('\n')}\n\n`);
    out(claudeCodeSettings(config, options.gatewayUrl));
    const failing = checks.filter((check) => check.problems.length > 0);
    out(failing.length === 0 ? '\nno problems found\n' : `\n${failing.length} provider(s) with problems: ${failing.map((c) => c.provider.id).join(', ')}\n`);
    return failing.length === 0 ? 0 : 1;
  } finally {
    await client.close();
  }
}

export async function checkProvider(client: UpstreamClient, provider: ProviderConfig, secrets: Readonly<Record<string, string | undefined>>): Promise<ProviderCheck> {
  const kind = PROVIDER_KINDS[provider.kind];
  const probe = await probeProvider(client, upstreamTarget(provider, kind, secrets), kind, AbortSignal.timeout(DOCTOR_PROBE_BUDGET_MS));
  const decision = decideMessagesMode(provider.messages, kind, probe);
  const problems: string[] = [];
  const lines = [`provider ${provider.id} (${provider.kind} at ${provider.baseUrl})`];
  if (!probe.reachable) {
    problems.push(`unreachable: ${probe.error ?? 'no answer'}`);
    lines.push(`  reachable:      no (${probe.error ?? 'no answer'})`);
  } else {
    lines.push(`  reachable:      yes${probe.version ? `, version ${probe.version}` : ''}`);
  }
  const keyMissing = provider.apiKeyEnv !== undefined && !secrets[provider.apiKeyEnv];
  const unauthorized = /unauthorized/.test(probe.error ?? '');
  if (keyMissing) problems.push(`api_key_env ${provider.apiKeyEnv} is not set`);
  if (unauthorized) problems.push('the upstream refused the key (401/403)');
  const keyNote = provider.apiKeyEnv ? `key from ${provider.apiKeyEnv}${keyMissing ? ' (NOT SET)' : ''}` : 'no key configured';
  lines.push(`  auth:           ${!probe.reachable ? 'not checked' : unauthorized ? 'REFUSED' : 'accepted'} (${keyNote})`);
  const translatePath = kind.paths[provider.translateTo ?? kind.protocols.find((p) => p !== 'anthropic-messages') ?? 'openai-chat'];
  const serves = probe.servesMessages === undefined ? 'unknown' : probe.servesMessages ? 'yes' : 'no';
  lines.push(`  /v1/messages:   ${serves}; mode ${decision.mode} (${decision.reason})`);
  if (decision.mode === 'translate' && translatePath) lines.push(`  translates to:  ${translatePath}`);
  const models = probe.models ?? [];
  lines.push(`  models:         ${models.length === 0 ? 'none listed' : `${models.slice(0, 10).join(', ')}${models.length > 10 ? ` (+${models.length - 10} more)` : ''}`}`);
  const window = provider.contextWindow ?? probe.contextWindow;
  lines.push(`  context window: ${window === undefined ? 'unknown' : `${window} tokens${provider.contextWindow ? ' (configured)' : ''}`}`);
  if (window !== undefined && window < 32_768) problems.push(`context window ${window} is below 32768 tokens: Claude Code's prompt alone is about 16k`);
  if (probe.reachable && probe.error && !unauthorized) lines.push(`  notes:          ${probe.error}`);
  lines.push(problems.length === 0 ? '  status:         ok' : `  PROBLEMS:       ${problems.join('; ')}`);
  return { provider, probe, problems, lines };
}

/** The environment lines that point Claude Code at the gateway, and which route each model name takes. */
export function claudeCodeSettings(config: TurnoutConfig, gatewayUrl: string): string {
  const token = config.keys.length > 0 ? '<a gateway key: turnout keys new>' : 'turnout';
  const lines = [
    'Claude Code through this gateway (shell, or the "env" block of ~/.claude/settings.json):',
    `  export ANTHROPIC_BASE_URL=${gatewayUrl}`,
    `  export ANTHROPIC_AUTH_TOKEN=${token}`,
  ];
  const sample = [
    ['ANTHROPIC_DEFAULT_OPUS_MODEL', 'claude-opus-4-1'],
    ['ANTHROPIC_DEFAULT_SONNET_MODEL', 'claude-sonnet-4-6'],
    ['ANTHROPIC_DEFAULT_HAIKU_MODEL', 'claude-haiku-4-5'],
  ] as const;
  lines.push("Routes Claude Code's model names take (without conditions):");
  const snapshot = new RoutingSnapshot(config);
  for (const [variable, model] of sample) {
    let where: string;
    try {
      const decision = snapshot.resolve(model);
      where = `route ${decision.route.name} → ${decision.provider.id}${decision.upstreamModel === model ? '' : ` as ${decision.upstreamModel}`}`;
    } catch {
      where = 'no route (404): add one';
    }
    lines.push(`  ${model.padEnd(18)} → ${where}  (${variable} changes the name sent)`);
  }
  lines.push('Pin Claude Code to one route with ANTHROPIC_MODEL (a name the route matches):');
  config.routes.forEach((route, index) => {
    const first = route.models[0];
    const example = first === undefined ? undefined : exampleName(first);
    let lands = false;
    try {
      lands = example !== undefined && snapshot.resolve(example).routeIndex === index;
    } catch {
      lands = false;
    }
    lines.push(`  route ${route.name} (${route.match}): ${lands ? `export ANTHROPIC_MODEL=${example}` : 'no plain model name reaches it first (an earlier route or a condition takes it)'}`);
  });
  const settings = { env: { ANTHROPIC_BASE_URL: gatewayUrl, ANTHROPIC_AUTH_TOKEN: token } };
  lines.push('~/.claude/settings.json:', ...JSON.stringify(settings, null, 2).split('\n').map((line) => `  ${line}`));
  return `${lines.join('\n')}\n`;
}

/** A model name a route pattern accepts: the name itself, or a glob with its wildcards filled in. */
function exampleName(match: string): string {
  const filled = match.replace(/\*/g, '').replace(/\?/g, 'x');
  return filled === '' ? 'any-model' : filled;
}
