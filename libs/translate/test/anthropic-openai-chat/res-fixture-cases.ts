import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError, type ErrorCode } from '@turnout/errors';
import { DEFAULT_DIALECT, type AnthropicStreamEvent } from '@turnout/protocol';
import { parseSse } from '@turnout/sse';
import { fromChunks, sequentialIds } from '@turnout/testing';
import type { ResponseFacts } from '../../src/anthropic-openai-chat/response-facts';
import { decodeOpenAiChatStream, type OpenAiStreamItem } from '../../src/anthropic-openai-chat/decode';
import { createOpenAiChatToAnthropicStream } from '../../src/anthropic-openai-chat/stream';
import { createToolNameMap } from '../../src/tool-names';
import type { StreamMachine, TranslateContext } from '../../src/translator';

/**
 * The response-side fixture cases: libs/translate/test/fixtures/anthropic-openai-chat/res-<case>/
 * with `meta.json` plus `openai.response.json` → `anthropic.response.json` and/or
 * `openai.stream.sse` → `anthropic.stream.sse` (expected events, compared parsed, never as bytes).
 */
export interface ResMeta {
  readonly source: string;
  readonly notes: string;
  readonly requestedModel?: string;
  /** Client tool names of the request; the ToolNameMap is built from them as the request side does. */
  readonly toolNames?: readonly string[];
  readonly stopSequences?: readonly string[];
  /** The stream translation throws this after emitting `anthropic.stream.sse`. */
  readonly streamError?: ExpectedError;
  /** The unary translation throws this (no `anthropic.response.json`). */
  readonly responseError?: ExpectedError;
  /** False when a completion cannot represent the stream (e.g. reasoning after text). */
  readonly unaryEquivalent?: boolean;
}

export interface ExpectedError {
  readonly code: ErrorCode;
  readonly message?: string;
}

export interface ResCase {
  readonly name: string;
  readonly dir: string;
  readonly meta: ResMeta;
  readonly hasStream: boolean;
  readonly hasResponse: boolean;
}

export const RES_FIXTURES = join(__dirname, '..', 'fixtures', 'anthropic-openai-chat');

export function resCases(): ResCase[] {
  return readdirSync(RES_FIXTURES)
    .filter((name) => name.startsWith('res-'))
    .sort()
    .map((name) => {
      const dir = join(RES_FIXTURES, name);
      return {
        name,
        dir,
        meta: JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as ResMeta,
        hasStream: existsSync(join(dir, 'openai.stream.sse')),
        hasResponse: existsSync(join(dir, 'openai.response.json')),
      };
    });
}

/** A fresh context per translation: ids restart at msg_000001 / toolu_000001. */
export function contextFor(meta: ResMeta): TranslateContext {
  return {
    requestId: 'req_fixture',
    requestedModel: meta.requestedModel ?? 'claude-sonnet-4-5',
    upstreamModel: 'qwen3-coder',
    dialect: DEFAULT_DIALECT,
    newId: sequentialIds(),
  };
}

export function factsFor(meta: ResMeta): ResponseFacts {
  return {
    toolNames: createToolNameMap((meta.toolNames ?? []).map((name) => ({ name })), DEFAULT_DIALECT.maxToolNameLength),
    stopSequences: meta.stopSequences ?? [],
  };
}

export function readBytes(c: ResCase, file: string): Buffer {
  return readFileSync(join(c.dir, file));
}

export function readJson(c: ResCase, file: string): unknown {
  return JSON.parse(readFileSync(join(c.dir, file), 'utf8'));
}

/** Expected events from an `event:`/`data:` file; each event name must equal its payload type. */
export async function readAnthropicSse(bytes: Uint8Array): Promise<AnthropicStreamEvent[]> {
  const events: AnthropicStreamEvent[] = [];
  for await (const message of parseSse(fromChunks([bytes]))) {
    const event = JSON.parse(message.data) as AnthropicStreamEvent;
    if (message.event !== event.type) throw new Error(`event: ${String(message.event)} carries a ${event.type} payload`);
    events.push(event);
  }
  return events;
}

export interface StreamOutcome {
  readonly events: AnthropicStreamEvent[];
  readonly error: GatewayError | undefined;
  readonly machine: StreamMachine<OpenAiStreamItem, AnthropicStreamEvent>;
}

/** decode → machine, as runMachineInBatches does, keeping the events emitted before a failure. */
export async function translateStream(chunks: readonly Uint8Array[], meta: ResMeta): Promise<StreamOutcome> {
  const machine = createOpenAiChatToAnthropicStream(contextFor(meta), factsFor(meta));
  const events: AnthropicStreamEvent[] = [];
  try {
    for await (const item of decodeOpenAiChatStream(fromChunks(chunks))) events.push(...machine.push(item));
    events.push(...machine.end());
    return { events, error: undefined, machine };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { events, error, machine };
  }
}

export async function decodeAll(bytes: Uint8Array): Promise<OpenAiStreamItem[]> {
  const items: OpenAiStreamItem[] = [];
  for await (const item of decodeOpenAiChatStream(fromChunks([bytes]))) items.push(item);
  return items;
}
