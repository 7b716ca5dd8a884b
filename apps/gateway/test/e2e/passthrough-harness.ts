import Anthropic from '@anthropic-ai/sdk';
import { answerBackgroundTraffic, ScriptedUpstream, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';

export interface ParityHarness {
  /** Speaks Anthropic Messages natively (a llama-server with /v1/messages). */
  readonly native: ScriptedUpstream;
  /** Speaks OpenAI chat completions (a llama-server translated to). */
  readonly translated: ScriptedUpstream;
  /** The Anthropic API itself (x-api-key, strict about betas). */
  readonly anthropic: ScriptedUpstream;
  readonly gateway: GatewayProcess;
  readonly client: Anthropic;
}

/**
 * A gateway in front of three scripted upstreams: `native-*` models pass through to a
 * llama-server speaking /v1/messages, `translated-*` go through translation to one speaking
 * chat completions, `claude-*` pass through to an Anthropic API stand-in. Probes get 404s.
 */
export async function startParityHarness(): Promise<ParityHarness> {
  const [native, translated, anthropic] = await Promise.all([ScriptedUpstream.start(), ScriptedUpstream.start(), ScriptedUpstream.start()]);
  for (const upstream of [native, translated, anthropic]) answerBackgroundTraffic(upstream);
  const config = writeTempConfig(`providers:
  - id: native-llama
    kind: llama-cpp
    retries: { max_attempts: 1 } # these suites test one exchange each; retries have their own suite
    base_url: ${native.url}
    messages: native
    api_key_env: NATIVE_API_KEY
  - id: translated-llama
    kind: llama-cpp
    retries: { max_attempts: 1 } # these suites test one exchange each; retries have their own suite
    base_url: ${translated.url}
    messages: translate
  - id: anthropic-api
    kind: anthropic
    retries: { max_attempts: 1 } # these suites test one exchange each; retries have their own suite
    base_url: ${anthropic.url}
    api_key_env: ANTHROPIC_UPSTREAM_API_KEY
    betas:
      deny: ["context-management-*", "experimental-*"]
routes:
  - match: "native-*"
    provider: native-llama
    model: big-model
    ping_interval_ms: 150
  - match: "translated-*"
    provider: translated-llama
    model: big-model
    ping_interval_ms: 150
  - match: "claude-*"
    provider: anthropic-api
`);
  const gateway = await startGatewayProcess(config, { NATIVE_API_KEY: 'native-secret', ANTHROPIC_UPSTREAM_API_KEY: 'sk-ant-upstream' });
  const client = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
  return { native, translated, anthropic, gateway, client };
}

export async function stopParityHarness(h: ParityHarness | undefined): Promise<void> {
  if (!h) return;
  await h.gateway.stop();
  await Promise.all([h.native.close(), h.translated.close(), h.anthropic.close()]);
}
