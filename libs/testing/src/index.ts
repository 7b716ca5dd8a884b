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
export * from './key-digest';
// headless-chromium.ts is imported by path from the browser tier only: loading playwright-core
// costs over a second, which every other spec importing this index would pay.
