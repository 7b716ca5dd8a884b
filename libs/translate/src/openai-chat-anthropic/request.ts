import { GatewayError } from '@turnout/errors';
import { isRecord, type AnthropicRequest, type JsonRecord } from '@turnout/protocol';

/**
 * Anthropic requires `max_tokens`; OpenAI clients often leave it out (the server's default
 * applies). This is the answer length asked for then: long enough for a coding answer, and an
 * upstream with a smaller limit clamps or refuses it in its own words.
 */
export const DEFAULT_MAX_TOKENS = 8192;

/** Top-level chat fields this translation reads; every other one is dropped (and named, for the debug log). */
const MAPPED_FIELDS = new Set([
  'model', 'messages', 'max_tokens', 'max_completion_tokens', 'stream', 'stream_options', 'stop', 'temperature', 'top_p',
  'tools', 'tool_choice', 'parallel_tool_calls', 'response_format', 'user', 'n',
]);

export interface ChatToAnthropic {
  readonly request: AnthropicRequest;
  /** Top-level fields of the chat request that have no Anthropic twin and were left out. */
  readonly dropped: readonly string[];
}

type Block = Record<string, unknown>;
interface Turn {
  role: 'user' | 'assistant';
  content: Block[];
}

/**
 * An OpenAI Chat Completions request as an Anthropic Messages request (issue 17): the view of
 * the request the gateway routes, counts and limits by, and the body sent to an Anthropic
 * upstream. Pure; never mutates its input. System and developer messages become `system`;
 * `tool` messages become `tool_result` blocks in a user turn; assistant `tool_calls` become
 * `tool_use` blocks; consecutive turns of one role are merged (Anthropic alternates roles);
 * images given as URLs or data URLs become image blocks. Parts and fields with no Anthropic
 * twin are dropped, never refused (docs: unknown fields rule), except what would change the
 * meaning: tool call arguments that are not JSON.
 */
export function chatToAnthropicRequest(chat: JsonRecord): ChatToAnthropic {
  const system: string[] = [];
  const turns: Turn[] = [];
  const messages = Array.isArray(chat.messages) ? chat.messages : [];
  messages.forEach((message, index) => {
    if (!isRecord(message)) return;
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...textOf(message.content));
        return;
      case 'user':
        push(turns, 'user', userBlocks(message.content));
        return;
      case 'assistant':
        push(turns, 'assistant', assistantBlocks(message, index));
        return;
      case 'tool':
        push(turns, 'user', [toolResult(message)]);
        return;
      default:
        return; // `function` (legacy) and unknown roles carry nothing Anthropic can take
    }
  });
  const request: Record<string, unknown> = {
    model: chat.model,
    max_tokens: positiveInt(chat.max_completion_tokens) ?? positiveInt(chat.max_tokens) ?? DEFAULT_MAX_TOKENS,
    messages: turns,
  };
  const format = outputFormat(chat.response_format);
  if (format.hint !== undefined) system.push(format.hint);
  if (system.length > 0) request.system = system.join('\n\n');
  if (format.config !== undefined) request.output_config = format.config;
  if (chat.stream === true) request.stream = true;
  const stops = typeof chat.stop === 'string' ? [chat.stop] : Array.isArray(chat.stop) ? chat.stop.filter((s): s is string => typeof s === 'string') : [];
  if (stops.length > 0) request.stop_sequences = stops;
  // OpenAI's temperature runs 0–2, Anthropic's 0–1: clamped, not scaled (1 means "default" to both).
  if (typeof chat.temperature === 'number') request.temperature = Math.min(1, Math.max(0, chat.temperature));
  if (typeof chat.top_p === 'number') request.top_p = chat.top_p;
  if (typeof chat.user === 'string') request.metadata = { user_id: chat.user.slice(0, 256) };
  const tools = Array.isArray(chat.tools) ? chat.tools.flatMap(toolOf) : [];
  if (tools.length > 0) request.tools = tools;
  const choice = toolChoiceOf(chat.tool_choice, chat.parallel_tool_calls === false);
  if (choice !== undefined && (tools.length > 0 || choice.type === 'none')) request.tool_choice = choice;
  const dropped = Object.keys(chat).filter((key) => !MAPPED_FIELDS.has(key));
  return { request: request as AnthropicRequest, dropped };
}

/** `n > 1` asks for several answers, which Anthropic cannot give: refused by the caller that knows the upstream. */
export function asksForSeveralChoices(chat: JsonRecord): boolean {
  return typeof chat.n === 'number' && chat.n > 1;
}

function push(turns: Turn[], role: Turn['role'], content: Block[]): void {
  if (content.length === 0) return;
  const last = turns[turns.length - 1];
  if (last !== undefined && last.role === role) {
    // tool results must come first in a user turn
    if (role === 'user' && content[0]?.type === 'tool_result') {
      const results = last.content.filter((block) => block.type === 'tool_result');
      const rest = last.content.filter((block) => block.type !== 'tool_result');
      last.content = [...results, ...content, ...rest];
    } else last.content.push(...content);
    return;
  }
  turns.push({ role, content });
}

function textOf(content: unknown): string[] {
  if (typeof content === 'string') return content === '' ? [] : [content];
  if (!Array.isArray(content)) return [];
  return content.flatMap((part) => (isRecord(part) && typeof part.text === 'string' && part.text !== '' ? [part.text] : []));
}

function userBlocks(content: unknown): Block[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return [];
  return content.flatMap((part): Block[] => {
    if (!isRecord(part)) return [];
    if (part.type === 'text' && typeof part.text === 'string' && part.text !== '') return [{ type: 'text', text: part.text }];
    if (part.type === 'image_url') {
      const url = isRecord(part.image_url) ? part.image_url.url : part.image_url;
      return typeof url === 'string' ? [imageBlock(url)] : [];
    }
    return []; // input_audio, file: no Anthropic twin for an inline part
  });
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function imageBlock(url: string): Block {
  const data = DATA_URL.exec(url);
  if (data) return { type: 'image', source: { type: 'base64', media_type: data[1], data: data[2] } };
  return { type: 'image', source: { type: 'url', url } };
}

function assistantBlocks(message: JsonRecord, index: number): Block[] {
  const blocks: Block[] = textOf(message.content).map((text) => ({ type: 'text', text }));
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  calls.forEach((call, callIndex) => {
    if (!isRecord(call) || !isRecord(call.function)) return;
    const fn = call.function;
    blocks.push({
      type: 'tool_use',
      id: typeof call.id === 'string' ? call.id : `call_${index}_${callIndex}`,
      name: typeof fn.name === 'string' ? fn.name : '',
      input: argumentsOf(fn.arguments, `messages[${index}].tool_calls[${callIndex}].function.arguments`),
    });
  });
  return blocks;
}

function argumentsOf(value: unknown, field: string): unknown {
  if (isRecord(value)) return value;
  if (typeof value !== 'string' || value.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(value);
    if (isRecord(parsed)) return parsed;
  } catch {
    // falls through to the refusal
  }
  throw new GatewayError('GW_INVALID_REQUEST', { message: `${field}: must be a JSON object encoded as a string` });
}

function toolResult(message: JsonRecord): Block {
  const text = textOf(message.content).join('\n');
  return { type: 'tool_result', tool_use_id: typeof message.tool_call_id === 'string' ? message.tool_call_id : '', content: text };
}

function toolOf(tool: unknown): Block[] {
  if (!isRecord(tool) || tool.type !== 'function' || !isRecord(tool.function)) return [];
  const fn = tool.function;
  if (typeof fn.name !== 'string') return [];
  const block: Block = { name: fn.name };
  if (typeof fn.description === 'string') block.description = fn.description;
  block.input_schema = isRecord(fn.parameters) ? fn.parameters : { type: 'object', properties: {} };
  return [block];
}

function toolChoiceOf(choice: unknown, serial: boolean): Block | undefined {
  const extra = serial ? { disable_parallel_tool_use: true } : {};
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any', ...extra };
  if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === 'string') return { type: 'tool', name: choice.function.name, ...extra };
  if (choice === 'auto' || serial) return { type: 'auto', ...extra };
  return undefined;
}

/** `json_schema` → `output_config.format`; `json_object` has no Anthropic twin, so the system prompt asks for it. */
function outputFormat(format: unknown): { config?: Block; hint?: string } {
  if (!isRecord(format)) return {};
  if (format.type === 'json_schema' && isRecord(format.json_schema) && isRecord(format.json_schema.schema)) {
    return { config: { format: { type: 'json_schema', schema: format.json_schema.schema } } };
  }
  if (format.type === 'json_object') return { hint: 'Respond with a single JSON object and nothing else.' };
  return {};
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
