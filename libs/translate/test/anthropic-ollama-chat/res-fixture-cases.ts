import { GatewayError } from '@turnout/errors';
import type { AnthropicStreamEvent, OllamaChatStreamLine } from '@turnout/protocol';
import { fromChunks, sequentialIds } from '@turnout/testing';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_DIALECT } from '@turnout/protocol';
import { decodeOllamaChatStream } from '../../src/anthropic-ollama-chat/decode';
import type { OllamaResponseFacts } from '../../src/anthropic-ollama-chat/response-facts';
import { createOllamaChatToAnthropicStream } from '../../src/anthropic-ollama-chat/stream';
import { createToolNameMap } from '../../src/tool-names';
import type { ExpectedError } from '../anthropic-openai-chat/res-fixture-cases';
import type { StreamMachine, TranslateContext } from '../../src/translator';

/**
 * The response-side fixture cases: fixtures/res-<case>/ with `meta.json` plus
 * `ollama.response.json` → `anthropic.response.json` and/or `ollama.stream.ndjson` →
 * `anthropic.stream.sse` (expected events, compared parsed, never as bytes).
 */
export interface ResMeta {
  readonly source: string;
  readonly notes: string;
  /** Client tool names of the request; the ToolNameMap is built from them as the request side does. */
  readonly toolNames?: readonly string[];
  /** The request-side prompt estimate (default 100). */
  readonly estimatedInputTokens?: number;
  /** The stream translation throws this after emitting `anthropic.stream.sse`. */
  readonly streamError?: ExpectedError;
  /** The unary translation throws this (no `anthropic.response.json`). */
  readonly responseError?: ExpectedError;
  /** False when a unary body cannot say what the stream said (e.g. thinking after text). */
  readonly unaryEquivalent?: boolean;
}


export type { ExpectedError };

export interface ResCase {
  readonly name: string;
  readonly dir: string;
  readonly meta: ResMeta;
  readonly hasStream: boolean;
  readonly hasResponse: boolean;
}

export const FIXTURES = join(__dirname, 'fixtures');

export function resCases(): ResCase[] {
  return readdirSync(FIXTURES)
    .filter((name) => name.startsWith('res-'))
    .sort()
    .map((name) => {
      const dir = join(FIXTURES, name);
      return {
        name,
        dir,
        meta: JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as ResMeta,
        hasStream: existsSync(join(dir, 'ollama.stream.ndjson')),
        hasResponse: existsSync(join(dir, 'ollama.response.json')),
      };
    });
}

/** A fresh context per translation: ids restart at msg_000001 / toolu_000001. */
export function contextFor(): TranslateContext {
  return { requestId: 'req_fixture', requestedModel: 'claude-sonnet-4-5', upstreamModel: 'qwen3-coder:30b', dialect: DEFAULT_DIALECT, newId: sequentialIds() };
}

export function factsFor(meta: ResMeta): OllamaResponseFacts {
  return {
    toolNames: createToolNameMap((meta.toolNames ?? []).map((name) => ({ name })), DEFAULT_DIALECT.maxToolNameLength),
    estimatedInputTokens: meta.estimatedInputTokens ?? 100,
  };
}

export function readBytes(c: ResCase, file: string): Buffer {
  return readFileSync(join(c.dir, file));
}

export function readJson(c: ResCase, file: string): unknown {
  return JSON.parse(readFileSync(join(c.dir, file), 'utf8'));
}

export interface StreamOutcome {
  readonly events: AnthropicStreamEvent[];
  readonly error: GatewayError | undefined;
  readonly machine: StreamMachine<OllamaChatStreamLine, AnthropicStreamEvent>;
}

/** decode → machine, as runMachineInBatches does, keeping the events emitted before a failure. */
export async function translateStream(chunks: readonly Uint8Array[], meta: ResMeta): Promise<StreamOutcome> {
  const machine = createOllamaChatToAnthropicStream(contextFor(), factsFor(meta));
  const events: AnthropicStreamEvent[] = [];
  try {
    for await (const line of decodeOllamaChatStream(fromChunks(chunks))) events.push(...machine.push(line));
    events.push(...machine.end());
    return { events, error: undefined, machine };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { events, error, machine };
  }
}

export async function decodeAll(bytes: Uint8Array): Promise<OllamaChatStreamLine[]> {
  const lines: OllamaChatStreamLine[] = [];
  for await (const line of decodeOllamaChatStream(fromChunks([bytes]))) lines.push(line);
  return lines;
}
