import { DEFAULT_DIALECT, type AnthropicRequest } from '@turnout/protocol';
import { jsonClone } from '@turnout/testing';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { toOllamaChatRequest } from '../../src/anthropic-ollama-chat/request';
import type { TranslateContext } from '../../src/translator';
import { gatewayErrorOf } from './gateway-error-of';

/**
 * Walks fixtures/req-* (docs/style.md §7.2). Each case holds meta.json and anthropic.request.json (or
 * meta.anthropicRequestFrom, a path from the repo root to the vendored Claude Code recordings),
 * plus either ollama.request.json (the exact upstream body, key order included) or meta.expectError.
 */
interface FixtureMeta {
  readonly source: string;
  readonly notes: string;
  readonly anthropicRequestFrom?: string;
  readonly contextWindow?: number;
  readonly expectError?: { readonly code: string; readonly messageIncludes: string };
}

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const fixturesRoot = path.join(__dirname, 'fixtures');
const cases = readdirSync(fixturesRoot)
  .filter((name) => name.startsWith('req-'))
  .sort();

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

function loadCase(name: string) {
  const dir = path.join(fixturesRoot, name);
  const meta = readJson(path.join(dir, 'meta.json')) as FixtureMeta;
  const requestFile = meta.anthropicRequestFrom ? path.resolve(repoRoot, meta.anthropicRequestFrom) : path.join(dir, 'anthropic.request.json');
  const request = readJson(requestFile) as AnthropicRequest;
  const expectedFile = path.join(dir, 'ollama.request.json');
  const expected = existsSync(expectedFile) ? readJson(expectedFile) : undefined;
  const context: TranslateContext = {
    requestId: 'req_fixture',
    requestedModel: 'claude-sonnet-4-5',
    upstreamModel: 'qwen3-coder:30b',
    dialect: DEFAULT_DIALECT,
    newId: (prefix) => `${prefix}_unused`,
    ...(meta.contextWindow === undefined ? {} : { contextWindow: meta.contextWindow }),
  };
  return { meta, request, expected, context };
}

test('the fixture folder holds the request cases', () => {
  expect(cases.length).toBeGreaterThanOrEqual(30);
});

describe.each(cases)('%s', (name) => {
  const { meta, request, expected, context } = loadCase(name);

  test('meta.json describes the case and has exactly one expectation', () => {
    expect(meta.source).toEqual(expect.any(String));
    expect(meta.notes.length).toBeGreaterThan(10);
    expect(expected === undefined).toBe(meta.expectError !== undefined);
  });

  if (meta.expectError) {
    const { code, messageIncludes } = meta.expectError;
    test(`fails with ${code}`, () => {
      const error = gatewayErrorOf(() => toOllamaChatRequest(deepFreeze(jsonClone(request)), context));
      expect([error.code, error.message]).toEqual([code, expect.stringContaining(messageIncludes)]);
    });
    return;
  }

  test('translates to ollama.request.json, with the same key order', () => {
    const { body } = toOllamaChatRequest(request, context);
    expect(body).toStrictEqual(expected);
    // Key order is part of the prompt Ollama renders (tool arguments above all): compare the text.
    expect(JSON.stringify(body)).toBe(JSON.stringify(expected));
  });

  test('does not mutate its input, even frozen, and is deterministic', () => {
    const before = jsonClone(request);
    const frozen = deepFreeze(jsonClone(request));
    const first = toOllamaChatRequest(frozen, context);
    const second = toOllamaChatRequest(frozen, context);
    expect(frozen).toStrictEqual(before);
    expect(JSON.stringify(second.body)).toBe(JSON.stringify(first.body));
  });

  test('always says whether to stream, and maps tool names reversibly', () => {
    const { body, toolNames } = toOllamaChatRequest(request, context);
    expect(body.stream).toBe(request.stream === true);
    for (const tool of request.tools ?? []) {
      if ('name' in tool && typeof tool.name === 'string') {
        const upstream = toolNames.toUpstream(tool.name);
        expect(upstream.length).toBeLessThanOrEqual(context.dialect.maxToolNameLength);
        expect(toolNames.toClient(upstream)).toBe(tool.name);
      }
    }
  });
});
