export * from './parse-sse';
export * from './sse-frame-reader';
export * from './format-sse';
export * from './parse-ndjson';
