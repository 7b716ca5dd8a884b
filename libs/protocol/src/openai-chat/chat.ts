/**
 * OpenAI Chat Completions wire types, from the official `openai` package (type-only), extended
 * with the non-standard fields local servers speak (docs/protocol.md §7.1): reasoning text in
 * `reasoning_content` (llama.cpp, DeepSeek, SGLang) or `reasoning` (vLLM >= 0.16, Ollama /v1,
 * LM Studio), `top_k`, `chat_template_kwargs`, vLLM's per-choice `stop_reason`.
 */
import type {
  ChatCompletion,
  ChatCompletionAssistantMessageParam,
  ChatCompletionChunk,
  ChatCompletionContentPart,
  ChatCompletionContentPartText,
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionSystemMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
  ChatCompletionToolMessageParam,
  ChatCompletionUserMessageParam,
} from 'openai/resources/chat/completions/completions';
import type { CompletionUsage } from 'openai/resources/completions';

export type {
  ChatCompletionContentPart as OpenAiContentPart,
  ChatCompletionContentPartText as OpenAiTextPart,
  ChatCompletionMessageFunctionToolCall as OpenAiToolCall,
  ChatCompletionSystemMessageParam as OpenAiSystemMessage,
  ChatCompletionTool as OpenAiTool,
  ChatCompletionToolChoiceOption as OpenAiToolChoice,
  ChatCompletionToolMessageParam as OpenAiToolMessage,
  ChatCompletionUserMessageParam as OpenAiUserMessage,
  CompletionUsage as OpenAiUsage,
};

/** Reasoning fields seen on assistant messages and deltas; which one an upstream reads is a dialect setting. */
export interface ReasoningFields {
  reasoning_content?: string | null;
  reasoning?: string | null;
}

export type OpenAiAssistantMessage = ChatCompletionAssistantMessageParam & ReasoningFields;

export type OpenAiChatMessage =
  | Exclude<ChatCompletionMessageParam, ChatCompletionAssistantMessageParam>
  | OpenAiAssistantMessage;

export type OpenAiChatRequest = Omit<ChatCompletionCreateParamsBase, 'messages'> & {
  messages: OpenAiChatMessage[];
  /** llama.cpp, vLLM, SGLang, LM Studio (llama.cpp engine). */
  top_k?: number;
  /** llama.cpp, vLLM, SGLang: `{enable_thinking: boolean}` for Qwen3/GLM-style templates. */
  chat_template_kwargs?: Record<string, unknown>;
  /** llama.cpp: `prompt_progress` chunks before the first token (the prompt's size). */
  return_progress?: boolean;
  /** llama.cpp: `__verbose` on the answer (why it stopped, which stop string matched). */
  verbose?: boolean;
};

export type OpenAiChatCompletion = Omit<ChatCompletion, 'choices'> & {
  choices: Array<
    Omit<ChatCompletion.Choice, 'message'> & {
      message: ChatCompletion.Choice['message'] & ReasoningFields;
      /** vLLM: the matched stop string (or token id) when `finish_reason` is `stop`. */
      stop_reason?: string | number | null;
    }
  >;
};

export type OpenAiChunkChoice = Omit<ChatCompletionChunk.Choice, 'delta'> & {
  delta: ChatCompletionChunk.Choice['delta'] & ReasoningFields;
  stop_reason?: string | number | null;
};

/**
 * One streamed chunk. Servers differ on the final usage chunk: `choices: []`, `choices: null`
 * or no `choices` key at all; some send `data: {"error":{...}}` mid-stream.
 */
export type OpenAiChatChunk = Omit<ChatCompletionChunk, 'choices' | 'usage'> & {
  choices?: OpenAiChunkChoice[] | null;
  usage?: CompletionUsage | null;
  error?: unknown;
};
