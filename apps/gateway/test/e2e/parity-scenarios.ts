import { chunkFrame, DONE_FRAME, usageFrame } from './openai-chunks';

/**
 * One answer described once and written twice: as the Anthropic SSE an Anthropic-native
 * upstream sends (llama.cpp's /v1/messages framing), and as the OpenAI chunks a translated
 * upstream sends. Through Turnout, the SDK must see the same message from both.
 */
export interface ParityScenario {
  readonly name: string;
  readonly thinking?: string;
  readonly text?: string;
  readonly tool?: { readonly id: string; readonly name: string; readonly input: Record<string, unknown> };
  readonly stop: 'end_turn' | 'max_tokens' | 'tool_use' | 'stop_sequence';
  readonly stopSequence?: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export const PARITY_SCENARIOS: readonly ParityScenario[] = [
  { name: 'plain text', text: 'Hello from the model.', stop: 'end_turn', inputTokens: 12, outputTokens: 6 },
  { name: 'cut by max_tokens', text: 'This answer is cut', stop: 'max_tokens', inputTokens: 9, outputTokens: 4 },
  { name: 'stop sequence', text: 'Counting: 1, 2, ', stop: 'stop_sequence', stopSequence: '3', inputTokens: 9, outputTokens: 7 },
  {
    name: 'thinking then a tool call',
    thinking: 'The user wants the files listed; Bash can do that.',
    text: 'Let me look.',
    tool: { id: 'toolu_parity1', name: 'Bash', input: { command: 'ls -la', description: 'List files' } },
    stop: 'tool_use',
    inputTokens: 120,
    outputTokens: 33,
  },
];

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Anthropic SSE as an Anthropic-native local server writes it (empty thinking signature, as llama.cpp). */
export function anthropicFrames(s: ParityScenario, upstreamModel: string): string[] {
  const frames: string[] = [
    sse('message_start', {
      type: 'message_start',
      message: {
        id: 'msg_upstream1',
        type: 'message',
        role: 'assistant',
        model: upstreamModel,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: s.inputTokens, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      },
    }),
  ];
  let index = 0;
  if (s.thinking !== undefined) {
    frames.push(sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } }));
    for (const piece of split(s.thinking)) {
      frames.push(sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: piece } }));
    }
    frames.push(sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: '' } }));
    frames.push(sse('content_block_stop', { type: 'content_block_stop', index }));
    index += 1;
  }
  if (s.text !== undefined) {
    frames.push(sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
    for (const piece of split(s.text)) frames.push(sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } }));
    frames.push(sse('content_block_stop', { type: 'content_block_stop', index }));
    index += 1;
  }
  if (s.tool !== undefined) {
    frames.push(sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: s.tool.id, name: s.tool.name, input: {} } }));
    const json = JSON.stringify(s.tool.input);
    for (const piece of [json.slice(0, 10), json.slice(10)]) {
      frames.push(sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }));
    }
    frames.push(sse('content_block_stop', { type: 'content_block_stop', index }));
  }
  frames.push(
    sse('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: s.stop, stop_sequence: s.stopSequence ?? null },
      usage: { output_tokens: s.outputTokens },
    }),
  );
  frames.push(sse('message_stop', { type: 'message_stop' }));
  return frames;
}

/** The same answer as a non-streamed Anthropic Message. */
export function anthropicMessage(s: ParityScenario, upstreamModel: string): Record<string, unknown> {
  const content: Record<string, unknown>[] = [];
  if (s.thinking !== undefined) content.push({ type: 'thinking', thinking: s.thinking, signature: '' });
  if (s.text !== undefined) content.push({ type: 'text', text: s.text });
  if (s.tool !== undefined) content.push({ type: 'tool_use', id: s.tool.id, name: s.tool.name, input: s.tool.input });
  return {
    id: 'msg_upstream1',
    type: 'message',
    role: 'assistant',
    model: upstreamModel,
    content,
    stop_reason: s.stop,
    stop_sequence: s.stopSequence ?? null,
    usage: { input_tokens: s.inputTokens, output_tokens: s.outputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

/** OpenAI chunks (llama-server's shape, `reasoning_content` for thinking) for the same answer. */
export function openAiFrames(s: ParityScenario): string[] {
  const frames = [chunkFrame({ role: 'assistant', content: null })];
  if (s.thinking !== undefined) for (const piece of split(s.thinking)) frames.push(chunkFrame({ reasoning_content: piece }));
  if (s.text !== undefined) for (const piece of split(s.text)) frames.push(chunkFrame({ content: piece }));
  if (s.tool !== undefined) {
    const json = JSON.stringify(s.tool.input);
    frames.push(chunkFrame({ tool_calls: [{ index: 0, id: s.tool.id, type: 'function', function: { name: s.tool.name, arguments: json.slice(0, 10) } }] }));
    frames.push(chunkFrame({ tool_calls: [{ index: 0, function: { arguments: json.slice(10) } }] }));
  }
  // vLLM reports the matched stop string in the choice's `stop_reason`; llama-server does not.
  frames.push(s.stopSequence === undefined ? chunkFrame({}, openAiFinish(s)) : stopChunk(s.stopSequence));
  frames.push(usageFrame(s.inputTokens, s.outputTokens));
  frames.push(DONE_FRAME);
  return frames;
}

/** The same answer as a non-streamed OpenAI chat completion. */
export function openAiCompletion(s: ParityScenario): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: s.text ?? null };
  if (s.thinking !== undefined) message.reasoning_content = s.thinking;
  if (s.tool !== undefined) {
    message.tool_calls = [{ id: s.tool.id, type: 'function', function: { name: s.tool.name, arguments: JSON.stringify(s.tool.input) } }];
  }
  return {
    id: 'chatcmpl-parity',
    object: 'chat.completion',
    created: 1763800000,
    model: 'upstream-model',
    choices: [{ index: 0, message, finish_reason: openAiFinish(s), ...(s.stopSequence === undefined ? {} : { stop_reason: s.stopSequence }) }],
    usage: { prompt_tokens: s.inputTokens, completion_tokens: s.outputTokens, total_tokens: s.inputTokens + s.outputTokens },
  };
}

function stopChunk(stopSequence: string): string {
  const chunk = { id: 'chatcmpl-e2e', object: 'chat.completion.chunk', created: 1763800000, model: 'upstream-model', choices: [{ index: 0, delta: {}, finish_reason: 'stop', stop_reason: stopSequence }] };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

function openAiFinish(s: ParityScenario): string {
  return { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', tool_use: 'tool_calls' }[s.stop];
}

function split(text: string): string[] {
  const cut = Math.ceil(text.length / 2);
  return [text.slice(0, cut), text.slice(cut)];
}
