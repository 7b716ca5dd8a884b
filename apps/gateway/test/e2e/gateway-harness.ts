import Anthropic from '@anthropic-ai/sdk';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerBackgroundTraffic, REPO_ROOT, ScriptedUpstream, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';

export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');

export function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

export interface Harness {
  readonly upstream: ScriptedUpstream;
  readonly gateway: GatewayProcess;
  readonly client: Anthropic;
}

/** A built gateway process in front of a scripted OpenAI-compatible upstream, and the official SDK as client. */
export async function startHarness(extraYaml = '', env: Record<string, string> = {}): Promise<Harness> {
  const upstream = answerBackgroundTraffic(await ScriptedUpstream.start());
  const config = writeTempConfig(`providers:
  - id: scripted
    kind: llama-cpp
    retries: { max_attempts: 1 } # these suites test one exchange each; retries have their own suite
    base_url: ${upstream.url}
    messages: translate
    api_key_env: SCRIPTED_API_KEY
  - id: nowhere
    kind: llama-cpp
    retries: { max_attempts: 1 } # these suites test one exchange each; retries have their own suite
    base_url: http://127.0.0.1:9
    messages: translate
    timeouts: { connect_ms: 2000 }
${extraYaml}
routes:
  - match: "unreachable-*"
    provider: nowhere
  - match: "claude-*haiku*"
    provider: scripted
    model: small-model
    ping_interval_ms: 150
  - match: "claude-*"
    provider: scripted
    model: big-model
    ping_interval_ms: 150
`);
  const gateway = await startGatewayProcess(config, { SCRIPTED_API_KEY: 'upstream-secret', ...env });
  const client = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
  return { upstream, gateway, client };
}

export async function stopHarness(harness: Harness | undefined): Promise<void> {
  if (!harness) return;
  await harness.gateway.stop();
  await harness.upstream.close();
}
