/**
 * OpenAI Chat Completions in, Anthropic Messages out (issue 17): the request as an Anthropic
 * request (`chatToAnthropicRequest`), and the Anthropic answer back as a chat completion
 * (`anthropicMessageToChat`) or as chunks (`AnthropicToChatStream` over `decodeAnthropicStream`).
 */
export { chatToAnthropicRequest, asksForSeveralChoices, DEFAULT_MAX_TOKENS, type ChatToAnthropic } from './request';
export { anthropicMessageToChat, finishReasonOf, type ChatAnswerContext, type TranslatedChatCompletion } from './response';
export { AnthropicToChatStream, formatChatStreamItem, CHAT_DONE, type ChatStreamItem } from './stream';
export { decodeAnthropicStream } from './decode';
