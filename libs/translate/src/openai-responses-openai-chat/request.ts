import { GatewayError } from '@turnout/errors';
import { isRecord, type JsonRecord } from '@turnout/protocol';

/** Responses fields this translation reads; every other one is dropped (and named, for the debug log). */
const MAPPED_FIELDS = new Set([
  'model', 'input', 'instructions', 'tools', 'tool_choice', 'parallel_tool_calls', 'max_output_tokens', 'temperature', 'top_p',
  'stream', 'store', 'text', 'reasoning', 'user', 'previous_response_id', 'conversation', 'metadata',
]);

export interface ResponsesToChat {
  readonly chat: JsonRecord;
  readonly dropped: readonly string[];
}

type ChatMessage = Record<string, unknown>;

/**
 * A stateless `/v1/responses` request (issue 17) as a chat completions request. `input` (a
 * string, or items: messages, function calls, their outputs; reasoning items carry nothing a
 * chat request can take and are dropped) becomes `messages`, with `instructions` as the system
 * message; function tools, tool_choice, `max_output_tokens`, `text.format` and sampling map
 * one to one. A stream always asks for usage, so every API's tokens are counted. Responses
 * chained by `previous_response_id` (or a `conversation`) need a response store this gateway
 * does not keep: a 400 that says so.
 */
export function responsesToChatRequest(request: JsonRecord): ResponsesToChat {
  for (const field of ['previous_response_id', 'conversation'] as const) {
    if (request[field] !== undefined && request[field] !== null) {
      throw new GatewayError('GW_INVALID_REQUEST', {
        message: `${field}: Turnout's /v1/responses is stateless (no response store is configured); send the whole conversation in \`input\``,
      });
    }
  }
  const messages: ChatMessage[] = [];
  if (typeof request.instructions === 'string' && request.instructions !== '') messages.push({ role: 'system', content: request.instructions });
  if (typeof request.input === 'string') messages.push({ role: 'user', content: request.input });
  else if (Array.isArray(request.input)) request.input.forEach((item, index) => addItem(messages, item, index));
  const chat: Record<string, unknown> = { model: request.model, messages };
  const tools = Array.isArray(request.tools) ? request.tools.flatMap(toolOf) : [];
  if (tools.length > 0) chat.tools = tools;
  const choice = toolChoiceOf(request.tool_choice);
  if (choice !== undefined) chat.tool_choice = choice;
  if (typeof request.parallel_tool_calls === 'boolean' && tools.length > 0) chat.parallel_tool_calls = request.parallel_tool_calls;
  if (typeof request.max_output_tokens === 'number') chat.max_tokens = request.max_output_tokens;
  if (typeof request.temperature === 'number') chat.temperature = request.temperature;
  if (typeof request.top_p === 'number') chat.top_p = request.top_p;
  if (typeof request.user === 'string') chat.user = request.user;
  const format = isRecord(request.text) ? responseFormatOf(request.text.format) : undefined;
  if (format !== undefined) chat.response_format = format;
  if (isRecord(request.reasoning) && typeof request.reasoning.effort === 'string') chat.reasoning_effort = request.reasoning.effort;
  if (request.stream === true) {
    chat.stream = true;
    chat.stream_options = { include_usage: true };
  }
  const dropped = Object.keys(request).filter((key) => !MAPPED_FIELDS.has(key));
  return { chat, dropped };
}

function addItem(messages: ChatMessage[], item: unknown, index: number): void {
  if (!isRecord(item)) return;
  const type = item.type ?? (typeof item.role === 'string' ? 'message' : undefined);
  switch (type) {
    case 'message':
      return addMessage(messages, item);
    case 'function_call': {
      const call = { id: stringOr(item.call_id, `call_${index}`), type: 'function', function: { name: stringOr(item.name, ''), arguments: stringOr(item.arguments, '{}') } };
      const last = messages[messages.length - 1];
      // Parallel calls are consecutive items; chat puts them on one assistant message.
      if (last?.role === 'assistant' && (last.tool_calls !== undefined || last.content !== null)) {
        last.tool_calls = [...((last.tool_calls as unknown[] | undefined) ?? []), call];
      } else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
      return;
    }
    case 'function_call_output':
      messages.push({ role: 'tool', tool_call_id: stringOr(item.call_id, ''), content: typeof item.output === 'string' ? item.output : textOf(item.output) });
      return;
    default:
      return; // reasoning, item_reference and hosted-tool items: nothing a chat request can carry
  }
}

function addMessage(messages: ChatMessage[], item: JsonRecord): void {
  const role = item.role === 'developer' ? 'system' : item.role;
  if (role !== 'user' && role !== 'system' && role !== 'assistant') return;
  if (typeof item.content === 'string') {
    messages.push({ role, content: item.content });
    return;
  }
  if (!Array.isArray(item.content)) return;
  if (role !== 'user') {
    messages.push({ role, content: textOf(item.content) });
    return;
  }
  const parts = item.content.flatMap((part): Record<string, unknown>[] => {
    if (!isRecord(part)) return [];
    if ((part.type === 'input_text' || part.type === 'output_text') && typeof part.text === 'string') return [{ type: 'text', text: part.text }];
    if (part.type === 'input_image' && typeof part.image_url === 'string') {
      return [{ type: 'image_url', image_url: { url: part.image_url, ...(typeof part.detail === 'string' ? { detail: part.detail } : {}) } }];
    }
    return []; // file ids and files need OpenAI's storage
  });
  messages.push({ role, content: parts });
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : isRecord(part) && typeof part.refusal === 'string' ? part.refusal : ''))
    .join('');
}

function toolOf(tool: unknown): Record<string, unknown>[] {
  if (!isRecord(tool) || tool.type !== 'function' || typeof tool.name !== 'string') return [];
  const fn: Record<string, unknown> = { name: tool.name, parameters: isRecord(tool.parameters) ? tool.parameters : { type: 'object', properties: {} } };
  if (typeof tool.description === 'string') fn.description = tool.description;
  if (typeof tool.strict === 'boolean') fn.strict = tool.strict;
  return [{ type: 'function', function: fn }];
}

function toolChoiceOf(choice: unknown): unknown {
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
  if (isRecord(choice) && choice.type === 'function' && typeof choice.name === 'string') return { type: 'function', function: { name: choice.name } };
  return undefined;
}

function responseFormatOf(format: unknown): unknown {
  if (!isRecord(format)) return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  if (format.type === 'json_schema' && isRecord(format.schema)) {
    const spec: Record<string, unknown> = { name: stringOr(format.name, 'response'), schema: format.schema };
    if (typeof format.strict === 'boolean') spec.strict = format.strict;
    return { type: 'json_schema', json_schema: spec };
  }
  return undefined;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
