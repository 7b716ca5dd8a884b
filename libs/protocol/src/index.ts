export * from './protocol';
export * from './dialect';
export * from './anthropic';
export * from './openai-chat';
export * from './ollama-chat';
export * from './json-record';
