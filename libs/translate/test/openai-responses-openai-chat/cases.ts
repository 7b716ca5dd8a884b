import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GatewayError } from '@turnout/errors';
import type { JsonRecord } from '@turnout/protocol';
import { fromChunks } from '@turnout/testing';
import { decodeOpenAiChatBatches, type OpenAiStreamItem } from '../../src/anthropic-openai-chat/decode';
import type { ResponsesContext } from '../../src/openai-responses-openai-chat/response';
import { ChatToResponsesStream, type ResponsesEvent } from '../../src/openai-responses-openai-chat/stream';
import { runMachineInBatches } from '../../src/translator';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');
export const FIXTURES = join(__dirname, 'fixtures');
const CHAT_CATALOGUE = join(__dirname, '..', 'fixtures', 'anthropic-openai-chat');
const LLAMA = join(REPO_ROOT, 'test', 'fixtures', 'llama-server');

/**
 * The chat streams this pair is proven on: the real llama-server recordings, and every
 * `openai.stream.sse` of the anthropic-openai-chat catalogue (the same upstream side: parallel
 * and interleaved tool calls, reasoning fields, usage placements, broken streams).
 */
export function chatStreams(): Array<{ name: string; bytes: Buffer }> {
  const recorded = readdirSync(LLAMA)
    .filter((file) => file.startsWith('chat-') && file.endsWith('.response.sse'))
    .map((file) => ({ name: `llama-server/${file}`, bytes: readFileSync(join(LLAMA, file)) }));
  const catalogue = readdirSync(CHAT_CATALOGUE)
    .filter((dir) => existsSync(join(CHAT_CATALOGUE, dir, 'openai.stream.sse')))
    .map((dir) => ({ name: `anthropic-openai-chat/${dir}`, bytes: readFileSync(join(CHAT_CATALOGUE, dir, 'openai.stream.sse')) }));
  return [...recorded, ...catalogue].sort((a, b) => a.name.localeCompare(b.name));
}

export const REQUEST: JsonRecord = { model: 'gpt-client-model', input: 'hi', instructions: 'Be brief.', tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }] };

export function contextFor(): ResponsesContext {
  return { responseId: 'resp_0123456789abcdef', requestedModel: 'gpt-client-model', createdAt: 1764806400, request: REQUEST };
}

export interface ResponsesOutcome {
  readonly events: ResponsesEvent[];
  readonly items: OpenAiStreamItem[];
  readonly error: GatewayError | undefined;
  readonly machine: ChatToResponsesStream;
}

export async function translateStream(chunks: readonly Uint8Array[]): Promise<ResponsesOutcome> {
  const machine = new ChatToResponsesStream(contextFor());
  const events: ResponsesEvent[] = [];
  const items: OpenAiStreamItem[] = [];
  async function* tapped(): AsyncGenerator<OpenAiStreamItem[]> {
    for await (const batch of decodeOpenAiChatBatches(fromChunks(chunks))) {
      items.push(...batch);
      yield batch;
    }
  }
  try {
    for await (const batch of runMachineInBatches(machine, tapped())) events.push(...batch);
    return { events, items, error: undefined, machine };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { events, items, error, machine };
  }
}

export function readFixture(name: string, file: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, name, file), 'utf8'));
}
