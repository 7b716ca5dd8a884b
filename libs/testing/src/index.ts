// Test helpers shared by every tier. Not part of the build; only specs import it.
// Each helper module adds one export line here.
export * from './scripted-upstream';
export * from './gateway-process';
export * from './anthropic-stream-grammar';
export * from './sequential-ids';
export * from './fold-anthropic-stream';
export * from './rechunk';
export * from './json-clone';
export * from './prometheus-server';
export * from './probe-replies';
export * from './redis-server';
export * from './redis-cluster';
