export * from './translator';
export * from './translator-table';
export * from './tool-names';
export * from './upstream-errors';
export { anthropicToOpenAiChat } from './anthropic-openai-chat';
export { anthropicToOllamaChat } from './anthropic-ollama-chat';
export * from './token-estimate';
export * from './safeguard-results';
