/**
 * How one upstream server deviates from the common subset of the protocols it speaks. Provider
 * kinds declare a dialect (one flat set of quirk flags); translators read it and never test a
 * brand name (docs/protocol.md §9). Flags for the OpenAI Chat target come first; later targets add theirs.
 */
export interface Dialect {
  /** Field the server reads reasoning history from on assistant messages; `none` drops it. */
  readonly reasoningInputField: 'reasoning_content' | 'reasoning' | 'none';
  /** `max_tokens` (every local server) or `max_completion_tokens` (api.openai.com). */
  readonly maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** Whether `top_k` is accepted (strict OpenAI rejects unknown parameters). */
  readonly acceptsTopK: boolean;
  /** Whether `stream_options.include_usage` is accepted. */
  readonly acceptsStreamOptions: boolean;
  /** Whether `chat_template_kwargs.enable_thinking` steers reasoning (Qwen3/GLM templates on llama.cpp, vLLM). */
  readonly acceptsChatTemplateKwargs: boolean;
  /** Whether `reasoning_effort` is accepted. */
  readonly acceptsReasoningEffort: boolean;
  /** Whether `user` is accepted (carries `metadata.user_id`). */
  readonly acceptsUser: boolean;
  /** Longest function name the server accepts; longer names are shortened reversibly. */
  readonly maxToolNameLength: number;
  /** Assistant `content` when a turn holds only tool calls: `null` (OpenAI, vLLM) or `""` (llama.cpp templates). */
  readonly toolOnlyAssistantContent: null | '';
  /**
   * Whether `image_url.url` may be an http(s) URL the server fetches itself (llama.cpp, vLLM, OpenAI).
   * Ollama's OpenAI shim and LM Studio take only `data:` URLs; the request translator answers 400
   * for a URL image rather than sending something the server rejects (docs/protocol.md §1.4, §8.1).
   */
  readonly acceptsImageUrls: boolean;
  /**
   * Whether a stream may ask `return_progress: true` (llama.cpp): prompt-progress chunks before
   * the first token tell the prompt's size, so `message_start` carries the real input tokens.
   */
  readonly acceptsReturnProgress: boolean;
  /**
   * Whether `verbose: true` is accepted (llama.cpp): the answer's `__verbose` then says why it
   * stopped (`stop_type` word / eos / limit) and which stop string matched (`stopping_word`).
   */
  readonly acceptsVerbose: boolean;
}

/** The common subset: what a well-behaved local OpenAI-compatible server (llama.cpp) accepts. */
export const DEFAULT_DIALECT: Dialect = Object.freeze({
  reasoningInputField: 'reasoning_content',
  maxTokensField: 'max_tokens',
  acceptsTopK: true,
  acceptsStreamOptions: true,
  acceptsChatTemplateKwargs: true,
  acceptsReasoningEffort: true,
  acceptsUser: true,
  maxToolNameLength: 64,
  toolOnlyAssistantContent: '',
  acceptsImageUrls: true,
  acceptsReturnProgress: false,
  acceptsVerbose: false,
});
