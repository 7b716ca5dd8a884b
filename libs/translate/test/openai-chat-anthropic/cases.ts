import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GatewayError } from '@turnout/errors';
import type { AnthropicStreamEvent } from '@turnout/protocol';
import { fromChunks } from '@turnout/testing';
import { decodeAnthropicStream } from '../../src/openai-chat-anthropic/decode';
import { AnthropicToChatStream, type ChatStreamItem } from '../../src/openai-chat-anthropic/stream';
import type { ChatAnswerContext } from '../../src/openai-chat-anthropic/response';
import { runMachineInBatches } from '../../src/translator';

/**
 * The openai-chat → anthropic-messages catalogue. `req-<case>/`: `openai.request.json` (or
 * `meta.requestFrom`, a recording) → `anthropic.request.json`, or `meta.expectError`.
 * `res-<case>/`: an Anthropic answer (`anthropic.stream.sse` / `anthropic.response.json`, or
 * `meta.streamFrom` / `meta.responseFrom`, recordings of a real server) → the chat items
 * (`chat.stream.json`, `[DONE]` included) and the chat completion (`chat.response.json`).
 */
export interface ResMeta {
  readonly source: string;
  readonly notes: string;
  readonly streamFrom?: string;
  readonly responseFrom?: string;
  readonly includeUsage?: boolean;
  /** The stream translation throws this after emitting `chat.stream.json`. */
  readonly streamError?: { readonly code: string; readonly messageIncludes?: string };
}

export interface ResCase {
  readonly name: string;
  readonly dir: string;
  readonly meta: ResMeta;
}

export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');
export const FIXTURES = join(__dirname, 'fixtures');

export function cases(prefix: 'req-' | 'res-'): string[] {
  return readdirSync(FIXTURES)
    .filter((name) => name.startsWith(prefix))
    .sort();
}

export function resCase(name: string): ResCase {
  const dir = join(FIXTURES, name);
  return { name, dir, meta: JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as ResMeta };
}

export function streamBytes(c: ResCase): Buffer | undefined {
  if (c.meta.streamFrom) return readFileSync(join(REPO_ROOT, c.meta.streamFrom));
  const file = join(c.dir, 'anthropic.stream.sse');
  return existsSync(file) ? readFileSync(file) : undefined;
}

export function responseJson(c: ResCase): unknown {
  if (c.meta.responseFrom) return JSON.parse(readFileSync(join(REPO_ROOT, c.meta.responseFrom), 'utf8'));
  const file = join(c.dir, 'anthropic.response.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

export function contextFor(meta: ResMeta): ChatAnswerContext {
  return { requestedModel: 'gpt-client-model', created: 1764806400, includeUsage: meta.includeUsage === true };
}

export interface StreamOutcome {
  readonly items: ChatStreamItem[];
  readonly events: AnthropicStreamEvent[];
  readonly error: GatewayError | undefined;
  readonly machine: AnthropicToChatStream;
}

/** Decodes and translates a stream given as chunks; a failure is returned with what came before it. */
export async function translateStream(chunks: readonly Uint8Array[], meta: ResMeta): Promise<StreamOutcome> {
  const machine = new AnthropicToChatStream(contextFor(meta));
  const items: ChatStreamItem[] = [];
  const events: AnthropicStreamEvent[] = [];
  async function* tapped(): AsyncGenerator<AnthropicStreamEvent[]> {
    for await (const batch of decodeAnthropicStream(fromChunks(chunks))) {
      events.push(...batch);
      yield batch;
    }
  }
  try {
    for await (const batch of runMachineInBatches(machine, tapped())) items.push(...batch);
    return { items, events, error: undefined, machine };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { items, events, error, machine };
  }
}
