import { isRecord, type Dialect, type OpenAiChatRequest } from '@turnout/protocol';

/**
 * Whether and how hard to reason (docs/protocol.md §1.6, §7.5). Two knobs, each sent only where the
 * dialect accepts it: `reasoning_effort` (OpenAI, vLLM, llama.cpp, Ollama /v1) and
 * `chat_template_kwargs.enable_thinking` (Qwen3/GLM-style templates on llama.cpp, vLLM, SGLang).
 *
 * | Anthropic                                  | reasoning_effort       | enable_thinking |
 * |--------------------------------------------|------------------------|-----------------|
 * | enabled, budget_tokens B                   | bucket(B)              | true            |
 * | adaptive (+ output_config.effort E)        | effort(E) if E         | true            |
 * | disabled                                   | "none"                 | false           |
 * | absent (+ output_config.effort E)          | effort(E) if E         | —               |
 * | any of the above, conversation is a prefill| as "disabled"          | as "disabled"   |
 *
 * bucket(B): < 1024 minimal, < 2048 low, < 4096 medium, else high (LiteLLM's thresholds).
 * effort(E): low/medium/high as is; xhigh and max → "high", the top level every local server
 * knows (Ollama's adapter does the same; vLLM and llama.cpp templates know low..high only).
 * Effort without `thinking` is still the client's explicit "how hard" knob (§1.2: Claude Code
 * sends it that way too), so it is mapped; `enable_thinking` is left to the upstream default.
 * A prefill cannot be combined with thinking: the real API rejects it and llama.cpp fails with
 * "Assistant response prefill is incompatible with enable_thinking" (§1.3, §10 B9), so thinking
 * is turned off for it. `budget_tokens < max_tokens` is not enforced (§7.5).
 */
export type ThinkingFields = Pick<OpenAiChatRequest, 'reasoning_effort' | 'chat_template_kwargs'>;
type Effort = NonNullable<OpenAiChatRequest['reasoning_effort']>;

export function mapThinking(thinking: unknown, outputConfig: unknown, dialect: Dialect, isPrefill: boolean): ThinkingFields {
  const type = isPrefill ? 'disabled' : isRecord(thinking) ? thinking.type : undefined;
  const effort = isRecord(outputConfig) ? effortLevel(outputConfig.effort) : undefined;
  switch (type) {
    case 'enabled': {
      const budget = isRecord(thinking) && typeof thinking.budget_tokens === 'number' ? bucket(thinking.budget_tokens) : effort;
      return fields(dialect, budget, true);
    }
    case 'adaptive':
    case 'between_tools':
      return fields(dialect, effort, true);
    case 'disabled':
      return fields(dialect, 'none', false);
    default:
      // Absent, or a thinking type newer than this table: the upstream's default.
      return fields(dialect, effort, undefined);
  }
}

function fields(dialect: Dialect, effort: Effort | undefined, enableThinking: boolean | undefined): ThinkingFields {
  return {
    ...(effort !== undefined && dialect.acceptsReasoningEffort ? { reasoning_effort: effort } : {}),
    ...(enableThinking !== undefined && dialect.acceptsChatTemplateKwargs
      ? { chat_template_kwargs: { enable_thinking: enableThinking } }
      : {}),
  };
}

export function bucket(budgetTokens: number): Effort {
  if (budgetTokens < 1024) return 'minimal';
  if (budgetTokens < 2048) return 'low';
  if (budgetTokens < 4096) return 'medium';
  return 'high';
}

function effortLevel(effort: unknown): Effort | undefined {
  switch (effort) {
    case 'low':
    case 'medium':
    case 'high':
      return effort;
    case 'xhigh':
    case 'max':
      return 'high';
    default:
      return undefined;
  }
}
