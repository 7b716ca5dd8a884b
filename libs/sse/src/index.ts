export * from './parse-sse';
export * from './format-sse';
export * from './parse-ndjson';
