import { anthropicFrames, anthropicMessage, type ParityScenario } from '../e2e/parity-scenarios';
import { chunkFrame, DONE_FRAME, usageFrame } from '../e2e/openai-chunks';

/**
 * One answer written in each upstream wire format a kind may speak. Differences between kinds
 * (the reasoning field, stop-reason placement, NDJSON vs SSE) are parameters, taken from
 * docs/protocol.md §7-§9 and the recorded llama-server transcripts.
 */
export type ReasoningField = 'reasoning_content' | 'reasoning';

export interface Wire {
  /** Body of a streamed reply and its content type. */
  stream(s: ParityScenario): { frames: string[]; contentType: string };
  unary(s: ParityScenario): unknown;
}

export function openAiWire(reasoningField: ReasoningField): Wire {
  return {
    stream: (s) => {
      const frames = [chunkFrame({ role: 'assistant', content: null })];
      if (s.thinking !== undefined) frames.push(chunkFrame({ [reasoningField]: s.thinking }));
      if (s.text !== undefined) frames.push(chunkFrame({ content: s.text }));
      if (s.tool !== undefined) {
        const json = JSON.stringify(s.tool.input);
        frames.push(chunkFrame({ tool_calls: [{ index: 0, id: s.tool.id, type: 'function', function: { name: s.tool.name, arguments: json.slice(0, 7) } }] }));
        frames.push(chunkFrame({ tool_calls: [{ index: 0, function: { arguments: json.slice(7) } }] }));
      }
      frames.push(chunkFrame({}, s.tool ? 'tool_calls' : s.stop === 'max_tokens' ? 'length' : 'stop'));
      // Usage after finish_reason, in a choices-less chunk (vLLM and llama-server both do this).
      frames.push(usageFrame(s.inputTokens, s.outputTokens), DONE_FRAME);
      return { frames, contentType: 'text/event-stream' };
    },
    unary: (s) => ({
      id: 'chatcmpl-contract',
      object: 'chat.completion',
      created: 1763800000,
      model: 'upstream-model',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: s.text ?? null,
            ...(s.thinking === undefined ? {} : { [reasoningField]: s.thinking }),
            ...(s.tool === undefined ? {} : { tool_calls: [{ id: s.tool.id, type: 'function', function: { name: s.tool.name, arguments: JSON.stringify(s.tool.input) } }] }),
          },
          finish_reason: s.tool ? 'tool_calls' : s.stop === 'max_tokens' ? 'length' : 'stop',
        },
      ],
      usage: { prompt_tokens: s.inputTokens, completion_tokens: s.outputTokens, total_tokens: s.inputTokens + s.outputTokens },
    }),
  };
}

/** Ollama /api/chat: NDJSON lines, tool calls whole with object arguments, `thinking` for reasoning. */
export const ollamaWire: Wire = {
  stream: (s) => {
    const line = (value: unknown) => `${JSON.stringify(value)}\n`;
    const base = { model: 'qwen3-coder:30b', created_at: '2026-11-22T10:00:00Z' };
    const lines: string[] = [];
    if (s.thinking !== undefined) lines.push(line({ ...base, message: { role: 'assistant', content: '', thinking: s.thinking }, done: false }));
    if (s.text !== undefined) lines.push(line({ ...base, message: { role: 'assistant', content: s.text }, done: false }));
    if (s.tool !== undefined) lines.push(line({ ...base, message: { role: 'assistant', content: '', tool_calls: [{ id: s.tool.id, function: { index: 0, name: s.tool.name, arguments: s.tool.input } }] }, done: false }));
    lines.push(line({ ...base, message: { role: 'assistant', content: '' }, done: true, done_reason: s.stop === 'max_tokens' ? 'length' : 'stop', prompt_eval_count: s.inputTokens, eval_count: s.outputTokens }));
    return { frames: lines, contentType: 'application/x-ndjson' };
  },
  unary: (s) => ({
    model: 'qwen3-coder:30b',
    created_at: '2026-11-22T10:00:00Z',
    message: {
      role: 'assistant',
      content: s.text ?? '',
      ...(s.thinking === undefined ? {} : { thinking: s.thinking }),
      ...(s.tool === undefined ? {} : { tool_calls: [{ id: s.tool.id, function: { index: 0, name: s.tool.name, arguments: s.tool.input } }] }),
    },
    done: true,
    done_reason: s.stop === 'max_tokens' ? 'length' : 'stop',
    prompt_eval_count: s.inputTokens,
    eval_count: s.outputTokens,
  }),
};

/** Anthropic Messages (passthrough): the SSE an Anthropic-speaking server writes. */
export const anthropicWire: Wire = {
  stream: (s) => ({ frames: anthropicFrames(s, 'upstream-model'), contentType: 'text/event-stream' }),
  unary: (s) => anthropicMessage(s, 'upstream-model'),
};
