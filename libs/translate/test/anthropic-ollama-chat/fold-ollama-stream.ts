import type { OllamaChatResponse, OllamaChatStreamLine, OllamaToolCall } from '@turnout/protocol';

/**
 * NDJSON lines → the body a `stream:false` call would have returned (docs/protocol.md §8.2, §8.3):
 * thinking and content concatenated in order, tool calls listed once in first-appearance order
 * (a call repeated with the same id, or without an id at the same `function.index`, counts once),
 * `done_reason` and metrics from the done line. Written apart from the translator on purpose:
 * the stream ≡ unary property compares two independent readings of the same bytes.
 */
export function foldOllamaChatStream(lines: readonly OllamaChatStreamLine[]): OllamaChatResponse {
  let thinking = '';
  let content = '';
  const calls: OllamaToolCall[] = [];
  let last: OllamaChatResponse | undefined;
  for (const line of lines) {
    if ('error' in line) throw new Error(`fold: upstream error line ${line.error}`);
    last = line;
    thinking += line.message?.thinking ?? '';
    content += line.message?.content ?? '';
    for (const call of line.message?.tool_calls ?? []) {
      if (!calls.some((seen) => sameCall(seen, call))) calls.push(call);
    }
    if (line.done) break;
  }
  if (last === undefined || !last.done) throw new Error('fold: no done line');
  const { message: _message, ...metrics } = last;
  return {
    ...metrics,
    message: {
      role: 'assistant',
      content,
      ...(thinking === '' ? {} : { thinking }),
      ...(calls.length === 0 ? {} : { tool_calls: calls }),
    },
  };
}

function sameCall(a: OllamaToolCall, b: OllamaToolCall): boolean {
  if (a.id !== undefined || b.id !== undefined) return a.id === b.id;
  return a.function.index !== undefined && a.function.index === b.function.index;
}
