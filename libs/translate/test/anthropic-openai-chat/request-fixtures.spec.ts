import { jsonClone } from '@turnout/testing';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { GatewayError } from '@turnout/errors';
import { DEFAULT_DIALECT, type AnthropicRequest, type Dialect } from '@turnout/protocol';
import { toOpenAiChatRequest } from '../../src/anthropic-openai-chat/request';
import type { TranslateContext } from '../../src/translator';

/**
 * Walks libs/translate/test/fixtures/anthropic-openai-chat/req-* (docs/style.md §7.2). Each case holds
 * meta.json and anthropic.request.json (or meta.anthropicRequestFrom, a path relative to the repo
 * root, e.g. "test/fixtures/claude-code/…", the vendored recordings), plus either
 * openai.request.json (the exact upstream body) or meta.expectError.
 */
interface FixtureMeta {
  readonly source: string;
  readonly notes: string;
  readonly dialect?: Partial<Dialect>;
  readonly upstreamModel?: string;
  readonly anthropicRequestFrom?: string;
  readonly expectError?: { readonly code: string; readonly messageIncludes: string };
}

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const fixturesRoot = path.join(repoRoot, 'libs', 'translate', 'test', 'fixtures', 'anthropic-openai-chat');
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
  const requestFile = meta.anthropicRequestFrom
    ? path.resolve(repoRoot, meta.anthropicRequestFrom)
    : path.join(dir, 'anthropic.request.json');
  const request = readJson(requestFile) as AnthropicRequest;
  const expectedFile = path.join(dir, 'openai.request.json');
  const expected = existsSync(expectedFile) ? readJson(expectedFile) : undefined;
  let counter = 0;
  const context: TranslateContext = {
    requestId: 'req_fixture',
    requestedModel: 'claude-sonnet-4-5',
    upstreamModel: meta.upstreamModel ?? 'qwen3',
    dialect: Object.freeze({ ...DEFAULT_DIALECT, ...meta.dialect }),
    newId: (prefix) => `${prefix}_fixture_${++counter}`,
  };
  return { meta, request, expected, context };
}

test('the fixture folder holds cases', () => {
  expect(cases.length).toBeGreaterThan(40);
});

describe.each(cases)('%s', (name) => {
  const { meta, request, expected, context } = loadCase(name);

  test('meta.json describes the case and has exactly one expectation', () => {
    expect(meta.source).toEqual(expect.any(String));
    expect(meta.notes).toEqual(expect.any(String));
    expect(expected === undefined).toBe(meta.expectError !== undefined);
  });

  if (meta.expectError) {
    const { code, messageIncludes } = meta.expectError;
    test(`fails with ${code}`, () => {
      let thrown: unknown;
      try {
        toOpenAiChatRequest(deepFreeze(jsonClone(request)), context);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(GatewayError);
      expect((thrown as GatewayError).code).toBe(code);
      expect((thrown as GatewayError).message).toContain(messageIncludes);
    });
    return;
  }

  test('translates to openai.request.json', () => {
    const { body } = toOpenAiChatRequest(request, context);
    expect(body).toStrictEqual(expected);
  });

  test('does not mutate its input, even frozen, and is deterministic', () => {
    const before = jsonClone(request);
    const frozen = deepFreeze(jsonClone(request));
    const first = toOpenAiChatRequest(frozen, context);
    const second = toOpenAiChatRequest(frozen, context);
    expect(frozen).toStrictEqual(before);
    expect(second.body).toStrictEqual(first.body);
    expect(JSON.parse(JSON.stringify(first.body))).toStrictEqual(first.body);
  });

  test('returns the stop sequences and a reversible tool-name map', () => {
    const { stopSequences, toolNames } = toOpenAiChatRequest(request, context);
    expect(stopSequences).toStrictEqual(request.stop_sequences ?? []);
    for (const tool of request.tools ?? []) {
      if ('name' in tool && typeof tool.name === 'string') {
        const upstream = toolNames.toUpstream(tool.name);
        expect(upstream.length).toBeLessThanOrEqual(context.dialect.maxToolNameLength);
        expect(toolNames.toClient(upstream)).toBe(tool.name);
      }
    }
  });
});
