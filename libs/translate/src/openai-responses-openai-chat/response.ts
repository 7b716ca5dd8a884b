import { GatewayError } from '@turnout/errors';
import { isRecord, type JsonRecord } from '@turnout/protocol';

/** What a Response needs besides the upstream's answer: ids and time, injected so fixtures are exact. */
export interface ResponsesContext {
  /** `resp_…`; item ids are derived from it. */
  readonly responseId: string;
  readonly requestedModel: string;
  /** Unix seconds. */
  readonly createdAt: number;
  /** The client's Responses request: a Response echoes its settings. */
  readonly request: JsonRecord;
}

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';
export type OutputItem = Record<string, unknown>;

/** The id of the `n`th output item of a response: `msg_…`, `fc_…`, `rs_…` as OpenAI spells them. */
export function itemId(context: ResponsesContext, prefix: 'msg' | 'fc' | 'rs', n: number): string {
  return `${prefix}_${context.responseId.replace(/^resp_/, '')}${n.toString(16).padStart(4, '0')}`;
}

/** A chat `usage` as a Responses `usage`. */
export function responsesUsageOf(usage: unknown): JsonRecord | null {
  if (!isRecord(usage)) return null;
  const n = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0);
  const input = n(usage.prompt_tokens);
  const output = n(usage.completion_tokens);
  const cached = isRecord(usage.prompt_tokens_details) ? n(usage.prompt_tokens_details.cached_tokens) : 0;
  const reasoning = isRecord(usage.completion_tokens_details) ? n(usage.completion_tokens_details.reasoning_tokens) : 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: input + output,
  };
}

/** A Response object: the settings echoed from the request, the output and status given. */
export function responseObject(
  context: ResponsesContext,
  status: ResponseStatus,
  output: readonly OutputItem[],
  usage: JsonRecord | null,
  error: { code: string; message: string } | null = null,
): JsonRecord {
  const { request } = context;
  return {
    id: context.responseId,
    object: 'response',
    created_at: context.createdAt,
    status,
    background: false,
    error,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: typeof request.instructions === 'string' ? request.instructions : null,
    max_output_tokens: typeof request.max_output_tokens === 'number' ? request.max_output_tokens : null,
    model: context.requestedModel,
    output,
    parallel_tool_calls: request.parallel_tool_calls !== false,
    previous_response_id: null,
    reasoning: { effort: isRecord(request.reasoning) && typeof request.reasoning.effort === 'string' ? request.reasoning.effort : null, summary: null },
    store: false,
    temperature: typeof request.temperature === 'number' ? request.temperature : 1,
    text: { format: isRecord(request.text) && isRecord(request.text.format) ? request.text.format : { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    tools: Array.isArray(request.tools) ? request.tools : [],
    top_p: typeof request.top_p === 'number' ? request.top_p : 1,
    truncation: 'disabled',
    usage,
    user: typeof request.user === 'string' ? request.user : null,
    metadata: isRecord(request.metadata) ? request.metadata : {},
  };
}

/** `finish_reason: length` is Responses' `incomplete` (max_output_tokens); every other end is `completed`. */
export function statusOf(finishReason: unknown): ResponseStatus {
  return finishReason === 'length' ? 'incomplete' : 'completed';
}

export function messageItem(id: string, text: string, status: 'in_progress' | 'completed'): OutputItem {
  return { id, type: 'message', role: 'assistant', status, content: status === 'in_progress' ? [] : [outputText(text)] };
}

export function outputText(text: string): JsonRecord {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

export function reasoningItem(id: string, text: string | undefined, status: 'in_progress' | 'completed'): OutputItem {
  return { id, type: 'reasoning', summary: [], content: text === undefined ? [] : [{ type: 'reasoning_text', text }], status };
}

export function functionCallItem(id: string, callId: string, name: string, args: string, status: 'in_progress' | 'completed'): OutputItem {
  return { id, type: 'function_call', call_id: callId, name, arguments: args, status };
}

/** A non-streaming chat completion as a Response: reasoning, then the message, then the function calls. */
export function chatCompletionToResponse(json: unknown, context: ResponsesContext): JsonRecord {
  if (!isRecord(json) || !Array.isArray(json.choices)) throw new GatewayError('GW_UPSTREAM_PROTOCOL', { message: 'upstream: response is not a chat completion' });
  const choice = json.choices[0];
  const message = isRecord(choice) && isRecord(choice.message) ? choice.message : {};
  const output: OutputItem[] = [];
  const reasoning = typeof message.reasoning_content === 'string' ? message.reasoning_content : typeof message.reasoning === 'string' ? message.reasoning : '';
  if (reasoning !== '') output.push(reasoningItem(itemId(context, 'rs', output.length), reasoning, 'completed'));
  if (typeof message.content === 'string' && message.content !== '') output.push(messageItem(itemId(context, 'msg', output.length), message.content, 'completed'));
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    if (!isRecord(call) || !isRecord(call.function)) continue;
    const fn = call.function;
    const id = itemId(context, 'fc', output.length);
    // A call without an id (some servers send '') still needs one to be answered by: its item id.
    const callId = typeof call.id === 'string' && call.id !== '' ? call.id : id;
    output.push(functionCallItem(id, callId, String(fn.name ?? ''), typeof fn.arguments === 'string' ? fn.arguments : '{}', 'completed'));
  }
  return responseObject(context, statusOf(isRecord(choice) ? choice.finish_reason : undefined), output, responsesUsageOf(json.usage));
}
