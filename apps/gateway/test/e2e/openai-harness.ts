import OpenAI from 'openai';
import { keySha256, answerBackgroundTraffic, ScriptedUpstream, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';

export interface OpenAiHarness {
  /** An OpenAI-compatible server (llama.cpp kind): chat requests pass through to it. */
  readonly compatible: ScriptedUpstream;
  /** The Anthropic API stand-in: chat requests are translated to Messages for it. */
  readonly anthropic: ScriptedUpstream;
  readonly gateway: GatewayProcess;
  /** The official `openai` SDK pointed at the gateway. */
  readonly client: OpenAI;
}


/**
 * `local-*` → the OpenAI-compatible upstream as `upstream-model`; `claude-*` → the Anthropic
 * one; `fb-*` → an unreachable upstream with the Anthropic one as fallback. Keys: `client-key`
 * (any model) and `local-only-key` (`local-*` only).
 */
export async function startOpenAiHarness(extraEnv: Record<string, string> = {}): Promise<OpenAiHarness> {
  const [compatible, anthropic] = await Promise.all([ScriptedUpstream.start(), ScriptedUpstream.start()]);
  for (const upstream of [compatible, anthropic]) answerBackgroundTraffic(upstream);
  const config = writeTempConfig(`providers:
  - id: compatible
    kind: llama-cpp
    retries: { max_attempts: 1 }
    base_url: ${compatible.url}
    messages: translate
    api_key_env: COMPATIBLE_API_KEY
  - id: anthropic-api
    kind: anthropic
    retries: { max_attempts: 1 }
    base_url: ${anthropic.url}
    api_key_env: ANTHROPIC_UPSTREAM_API_KEY
  - id: down
    kind: vllm
    retries: { max_attempts: 1 }
    base_url: http://127.0.0.1:9
    timeouts: { connect_ms: 2000 }
routes:
  - match: "gpt-4o-mini"
    provider: compatible
    model: upstream-model
  - match: "local-*"
    provider: compatible
    model: upstream-model
    ping_interval_ms: 150
  - match: "claude-*"
    provider: anthropic-api
    model: claude-upstream
    ping_interval_ms: 150
  - match: "fb-*"
    provider: down
    model: m
    fallbacks: ["anthropic-api/claude-upstream"]
keys:
  - { id: client, sha256: "${keySha256('client-key')}" }
  - { id: local-only, sha256: "${keySha256('local-only-key')}", models: ["local-*"] }
`);
  const gateway = await startGatewayProcess(config, { COMPATIBLE_API_KEY: 'compatible-secret', ANTHROPIC_UPSTREAM_API_KEY: 'sk-ant-upstream', ...extraEnv });
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
  return { compatible, anthropic, gateway, client };
}

export async function stopOpenAiHarness(h: OpenAiHarness | undefined): Promise<void> {
  if (!h) return;
  await h.gateway.stop();
  await Promise.all([h.compatible.close(), h.anthropic.close()]);
}

/** One Anthropic SSE frame. */
export function anthropicFrame(event: { type: string } & Record<string, unknown>): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** An Anthropic stream that answers with text, or with one tool call. */
export function anthropicStream(content: { text?: string; tool?: { id: string; name: string; json: string[] } }, model = 'claude-upstream'): string[] {
  const frames = [
    anthropicFrame({ type: 'message_start', message: { id: 'msg_e2e', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 } } }),
  ];
  let index = 0;
  if (content.text !== undefined) {
    frames.push(anthropicFrame({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
    for (const piece of content.text.match(/.{1,4}/gs) ?? []) frames.push(anthropicFrame({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } }));
    frames.push(anthropicFrame({ type: 'content_block_stop', index }));
    index++;
  }
  if (content.tool) {
    frames.push(anthropicFrame({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: content.tool.id, name: content.tool.name, input: {} } }));
    for (const json of content.tool.json) frames.push(anthropicFrame({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json } }));
    frames.push(anthropicFrame({ type: 'content_block_stop', index }));
  }
  frames.push(
    anthropicFrame({ type: 'message_delta', delta: { stop_reason: content.tool ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: 9 } }),
    anthropicFrame({ type: 'message_stop' }),
  );
  return frames;
}

export function anthropicMessage(content: unknown[], stopReason = 'end_turn'): Record<string, unknown> {
  return {
    id: 'msg_e2e',
    type: 'message',
    role: 'assistant',
    model: 'claude-upstream',
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { input_tokens: 20, output_tokens: 7, cache_read_input_tokens: 5 },
  };
}
