import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnthropicRequest } from '@turnout/protocol';
import { NO_HYGIENE, type HygieneRules } from '../src/hygiene-rules';

/** The vendored Claude Code 2.1.330 recordings (test/fixtures/claude-code at the repo root). */
export const CLAUDE_CODE_FIXTURES = [
  'a-first-turn-hello',
  'b-tool-result-turn',
  'c-thinking-tool-turn',
  'd-haiku-no-experimental-betas',
  'e-count-tokens',
  'f-nonstreaming-fallback',
] as const;

export type ClaudeCodeFixture = (typeof CLAUDE_CODE_FIXTURES)[number];

const fixturesDir = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'claude-code');

/** A fixture body parsed from its wire bytes, deep-frozen so any mutation throws. */
export function claudeCodeRequest(name: ClaudeCodeFixture): AnthropicRequest {
  return deepFreeze(JSON.parse(readFileSync(join(fixturesDir, `${name}.body.json`), 'utf8')) as AnthropicRequest);
}

/** Hand cases are frozen the same way (in strict mode a write to a frozen object throws). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** NO_HYGIENE with only the given rules switched on. */
export function only(rules: Partial<HygieneRules>): HygieneRules {
  return { ...NO_HYGIENE, ...rules };
}

/** A minimal valid request around `messages` (and any other fields), frozen. */
export function request(fields: Partial<AnthropicRequest> & Pick<AnthropicRequest, 'messages'>): AnthropicRequest {
  return deepFreeze({ model: 'm', max_tokens: 16, ...fields });
}

/** A signature shaped like Anthropic's: a few hundred characters of standard base64. */
export const ANTHROPIC_LIKE_SIGNATURE = Buffer.from(Array.from({ length: 240 }, (_, i) => (i * 37) % 256)).toString('base64');
