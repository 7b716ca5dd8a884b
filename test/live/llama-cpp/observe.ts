import Anthropic, { APIError } from '@anthropic-ai/sdk';
import type { AnthropicStreamEvent } from '@turnout/protocol';
import { assertAnthropicStreamGrammar } from '@turnout/testing';
import type { Scenario } from './scenarios';

/** One way to reach llama-server: directly, or through Turnout in one mode. */
export interface Target {
  readonly name: 'direct' | 'native' | 'translate';
  readonly baseURL: string;
  readonly model: string;
}

/**
 * What one answer looks like, reduced to what must be equal between the three ways: never the
 * text (random words), never ids. Fields that do not apply stay undefined.
 */
export interface Observation {
  readonly status: number;
  /** Media type with its parameters, lower-cased. */
  readonly contentType?: string;
  /** `error.type` of an error body (llama.cpp's own or Anthropic's). */
  readonly errorType?: string;
  /** Whether the error body is Anthropic's `{type:"error", error:{type,message}}`. */
  readonly anthropicError?: boolean;
  /** The event sequence with runs of deltas collapsed: `content_block_delta:text_delta+`. */
  readonly events?: string;
  /** null when the sequence satisfies the Anthropic grammar, else the first violation. */
  readonly grammar?: string | null;
  readonly blocks?: string;
  readonly stopReason?: string | null;
  readonly stopSequence?: string | null;
  /** input + cache read + cache creation: the prompt's size whatever the cache did. */
  readonly promptTokens?: number;
  readonly outputTokens?: number;
  /** Problems inside one answer: message_start and message_delta usage disagreeing, a 0 prompt. */
  readonly usageProblems?: readonly string[];
  readonly safeguardResults?: unknown;
  readonly countedTokens?: number;
  readonly models?: ModelsObservation;
}

export interface ModelsObservation {
  readonly anthropicShape: boolean;
  readonly ids: readonly string[];
  readonly maxInputTokens: readonly (number | null)[];
}

export async function observe(scenario: Scenario, target: Target): Promise<Observation> {
  switch (scenario.kind) {
    case 'models':
      return observeModels(target);
    case 'count_tokens':
      return observeCountTokens(scenario, target);
    case 'messages':
      return scenario.stream === true ? observeStream(scenario, target) : observeUnary(scenario, target);
  }
}

function clientFor(target: Target): Anthropic {
  return new Anthropic({ baseURL: target.baseURL, apiKey: 'live-suite', maxRetries: 0, timeout: 60_000 });
}

function bodyFor(scenario: Scenario, target: Target, stream: boolean) {
  // The SDK's types would refuse the bad inputs on purpose (no max_tokens, a bad role).
  return { ...scenario.body, model: target.model, ...(stream ? { stream: true } : {}) } as unknown as Anthropic.MessageCreateParamsNonStreaming;
}

async function observeUnary(scenario: Scenario, target: Target): Promise<Observation> {
  try {
    const { data, response } = await clientFor(target)
      .messages.create(bodyFor(scenario, target, false), { headers: scenario.headers })
      .withResponse();
    const message = data as Anthropic.Message & { safeguard_results?: unknown };
    const usage = message.usage as unknown as Record<string, unknown>;
    return {
      status: response.status,
      contentType: contentType(response.headers),
      blocks: message.content.map((block) => block.type).join(','),
      stopReason: message.stop_reason,
      stopSequence: message.stop_sequence,
      promptTokens: promptTokens(usage),
      outputTokens: numberAt(usage, 'output_tokens'),
      usageProblems: unaryUsageProblems(usage),
      safeguardResults: message.safeguard_results,
    };
  } catch (error) {
    return errorObservation(error);
  }
}

async function observeStream(scenario: Scenario, target: Target): Promise<Observation> {
  const stream = clientFor(target).messages.stream(bodyFor(scenario, target, true) as Anthropic.MessageStreamParams, { headers: scenario.headers });
  const events: AnthropicStreamEvent[] = [];
  // Cloned: the SDK's accumulator appends blocks to message_start's own message object.
  stream.on('streamEvent', (event) => void events.push(structuredClone(event) as AnthropicStreamEvent));
  let status = 0;
  let type: string | undefined;
  try {
    const { response } = await stream.withResponse();
    status = response.status;
    type = contentType(response.headers);
    // The SDK's accumulator throws on a malformed stream (a delta for no block, bad JSON).
    const message = await stream.finalMessage();
    const start = events.find((event) => event.type === 'message_start');
    const delta = events.find((event) => event.type === 'message_delta');
    const startUsage = (start?.type === 'message_start' ? start.message.usage : {}) as unknown as Record<string, unknown>;
    const deltaUsage = (delta?.type === 'message_delta' ? delta.usage : {}) as unknown as Record<string, unknown>;
    const deltaBody = (delta?.type === 'message_delta' ? delta.delta : {}) as unknown as Record<string, unknown>;
    return {
      status,
      contentType: type,
      events: collapse(events),
      grammar: grammarOf(events),
      blocks: message.content.map((block) => block.type).join(','),
      stopReason: message.stop_reason,
      stopSequence: message.stop_sequence,
      promptTokens: promptTokens(startUsage),
      outputTokens: numberAt(deltaUsage, 'output_tokens'),
      usageProblems: streamUsageProblems(startUsage, deltaUsage),
      safeguardResults: deltaBody.safeguard_results,
    };
  } catch (error) {
    if (status === 0) return errorObservation(error);
    // Failed after the 200: an `event: error` (the SDK throws it as an APIError) or a broken stream.
    return { status, contentType: type, events: collapse(events), grammar: grammarOf(events), ...errorFields(error) };
  }
}

async function observeCountTokens(scenario: Scenario, target: Target): Promise<Observation> {
  try {
    const { data, response } = await clientFor(target)
      .messages.countTokens({ ...scenario.body, model: target.model } as unknown as Anthropic.MessageCountTokensParams)
      .withResponse();
    return { status: response.status, contentType: contentType(response.headers), countedTokens: data.input_tokens };
  } catch (error) {
    return errorObservation(error);
  }
}

async function observeModels(target: Target): Promise<Observation> {
  const response = await fetch(`${target.baseURL}/v1/models`);
  const json = (await response.json()) as Record<string, unknown>;
  const data = Array.isArray(json.data) ? (json.data as Record<string, unknown>[]) : [];
  const anthropicShape =
    'has_more' in json &&
    'first_id' in json &&
    'last_id' in json &&
    data.every((model) => model.type === 'model' && typeof model.display_name === 'string' && typeof model.created_at === 'string');
  return {
    status: response.status,
    contentType: contentType(response.headers),
    models: {
      anthropicShape,
      ids: data.map((model) => String(model.id)),
      maxInputTokens: data.map((model) => (typeof model.max_input_tokens === 'number' ? model.max_input_tokens : null)),
    },
  };
}

function errorObservation(error: unknown): Observation {
  if (error instanceof APIError && error.status !== undefined) return { status: error.status, ...errorFields(error) };
  throw error;
}

function errorFields(error: unknown): Pick<Observation, 'errorType' | 'anthropicError'> {
  if (!(error instanceof APIError)) return { errorType: `not an API error: ${String(error)}` };
  const body = error.error as Record<string, unknown> | undefined;
  const inner = body && typeof body.error === 'object' && body.error !== null ? (body.error as Record<string, unknown>) : undefined;
  return {
    errorType: typeof inner?.type === 'string' ? inner.type : undefined,
    anthropicError: body?.type === 'error' && typeof inner?.type === 'string' && typeof inner.message === 'string',
  };
}

function contentType(headers: Headers): string | undefined {
  return headers.get('content-type')?.toLowerCase().replace(/\s+/g, '') ?? undefined;
}

function numberAt(record: Record<string, unknown>, key: string): number | undefined {
  const value = record[key];
  return typeof value === 'number' ? value : undefined;
}

function promptTokens(usage: Record<string, unknown>): number | undefined {
  const input = numberAt(usage, 'input_tokens');
  if (input === undefined) return undefined;
  return input + (numberAt(usage, 'cache_read_input_tokens') ?? 0) + (numberAt(usage, 'cache_creation_input_tokens') ?? 0);
}

function unaryUsageProblems(usage: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (!((promptTokens(usage) ?? 0) > 0)) problems.push('usage.input_tokens missing or 0');
  if (numberAt(usage, 'output_tokens') === undefined) problems.push('usage.output_tokens missing');
  return problems;
}

function streamUsageProblems(start: Record<string, unknown>, delta: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const atStart = promptTokens(start);
  if (!((atStart ?? 0) > 0)) problems.push(`message_start input tokens ${atStart ?? 'missing'}`);
  if (numberAt(delta, 'output_tokens') === undefined) problems.push('message_delta.usage.output_tokens missing');
  const atEnd = promptTokens(delta);
  if (atEnd !== undefined && atEnd !== atStart) problems.push(`input tokens ${atStart} in message_start, ${atEnd} in message_delta`);
  return problems;
}

/** `a, b, b, b, c` → `a, b+, c`: the number of deltas is the model's business, not the protocol's. */
function collapse(events: readonly AnthropicStreamEvent[]): string {
  const names = events
    .filter((event) => event.type !== 'ping')
    .map((event) => {
      if (event.type === 'content_block_start') return `content_block_start:${event.content_block.type}`;
      if (event.type === 'content_block_delta') return `content_block_delta:${event.delta.type}`;
      return event.type;
    });
  const out: string[] = [];
  for (const name of names) {
    const last = out[out.length - 1];
    if (last === name || last === `${name}+`) out[out.length - 1] = `${name}+`;
    else out.push(name);
  }
  return out.join(' ');
}

function grammarOf(events: readonly AnthropicStreamEvent[]): string | null {
  try {
    assertAnthropicStreamGrammar(events);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
