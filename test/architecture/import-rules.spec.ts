import { checkSources, extractImports, formatViolation, IMPORT_RULES, packageName, type SourceFile } from './import-rules';

// Proves the dependency check can fail: the extractor on tricky syntax, then every rule on a
// synthetic source that breaks it (and one that does not).

const context = { devDependencies: ['@anthropic-ai/sdk', 'openai', 'jest', 'preact'] };

describe('extractImports', () => {
  it('finds every import form with its kind, type-onlyness and line', () => {
    const source = [
      "import { a } from 'pkg-a';",
      "import type { B } from 'pkg-b';",
      "import { type C, type D } from 'pkg-c';",
      "import { type E, f } from 'pkg-e';",
      "import G, { type H } from 'pkg-g';",
      "import * as ns from 'pkg-ns';",
      "import 'side-effect';",
      "export * from './local';",
      "export type { T } from 'pkg-t';",
      "export { x as y } from \"pkg-x\";",
      "export * as all from 'pkg-all';",
      "const r = require('pkg-require');",
      "const d = await import('pkg-dynamic');",
      "type M = typeof import('pkg-typeof');",
      "type N = import('pkg-type-position').Name;",
      "import('pkg-then').then((m) => m);",
      'const t = require(`pkg-template`);',
    ].join('\n');
    expect(extractImports(source)).toEqual([
      { specifier: 'pkg-a', kind: 'import', typeOnly: false, line: 1 },
      { specifier: 'pkg-b', kind: 'import', typeOnly: true, line: 2 },
      { specifier: 'pkg-c', kind: 'import', typeOnly: true, line: 3 },
      { specifier: 'pkg-e', kind: 'import', typeOnly: false, line: 4 },
      { specifier: 'pkg-g', kind: 'import', typeOnly: false, line: 5 },
      { specifier: 'pkg-ns', kind: 'import', typeOnly: false, line: 6 },
      { specifier: 'side-effect', kind: 'side-effect', typeOnly: false, line: 7 },
      { specifier: './local', kind: 'export-from', typeOnly: false, line: 8 },
      { specifier: 'pkg-t', kind: 'export-from', typeOnly: true, line: 9 },
      { specifier: 'pkg-x', kind: 'export-from', typeOnly: false, line: 10 },
      { specifier: 'pkg-all', kind: 'export-from', typeOnly: false, line: 11 },
      { specifier: 'pkg-require', kind: 'require', typeOnly: false, line: 12 },
      { specifier: 'pkg-dynamic', kind: 'dynamic', typeOnly: false, line: 13 },
      { specifier: 'pkg-typeof', kind: 'dynamic', typeOnly: true, line: 14 },
      { specifier: 'pkg-type-position', kind: 'dynamic', typeOnly: true, line: 15 },
      { specifier: 'pkg-then', kind: 'dynamic', typeOnly: false, line: 16 },
      { specifier: 'pkg-template', kind: 'require', typeOnly: false, line: 17 },
    ]);
  });

  it('reads multi-line import clauses', () => {
    const source = "import type {\n  A,\n  B,\n} from 'multi';\nimport {\n  c,\n  d,\n} from 'multi-runtime';\n";
    expect(extractImports(source)).toEqual([
      { specifier: 'multi', kind: 'import', typeOnly: true, line: 1 },
      { specifier: 'multi-runtime', kind: 'import', typeOnly: false, line: 5 },
    ]);
  });

  it('ignores import-looking text in comments, strings, templates and regex literals', () => {
    const source = [
      "// import x from 'undici';",
      "/* import y from 'ioredis';",
      "   require('prom-client') */",
      "const s = \"import z from 'fastify'\";",
      "const t = `require('pino') ${1 + 1}`;",
      "const re = /import a from 'undici'/;",
      "const re2 = /[\"'`]/g; const after = require('real-one');",
      "const obj = { import: 1 }; obj.import('not-a-module');",
    ].join('\n');
    expect(extractImports(source)).toEqual([{ specifier: 'real-one', kind: 'require', typeOnly: false, line: 7 }]);
  });

  it('is not fooled by division or by quotes inside a regex character class', () => {
    const source = "const half = total / 2; const q = /['\"]/.test(x) / 1;\nimport { z } from 'after';\n";
    expect(extractImports(source).map((ref) => ref.specifier)).toEqual(['after']);
  });

  it('names packages by their installable name', () => {
    expect(packageName('openai/resources/completions')).toBe('openai');
    expect(packageName('@anthropic-ai/sdk/lib/MessageStream')).toBe('@anthropic-ai/sdk');
    expect(packageName('./local')).toBeUndefined();
    expect(packageName('node:fs')).toBeUndefined();
  });
});

describe('checkSources: each rule fails on a violating source', () => {
  const check = (path: string, text: string): string[] =>
    checkSources([{ path, text }], context).map((v) => `${v.rule}:${v.line}:${v.specifier}`);

  it.each([
    ['libs/translate/src/x.ts', "import { Injectable } from '@nestjs/common';", ['pure-lib-no-framework:1:@nestjs/common']],
    ['libs/sse/src/x.ts', "import { request } from 'undici';", ['pure-lib-no-framework:1:undici']],
    ['libs/protocol/src/x.ts', "import type Redis from 'ioredis';", ['pure-lib-no-framework:1:ioredis']],
    ['libs/errors/src/x.ts', "const client = require('prom-client');", ['pure-lib-no-framework:1:prom-client']],
    ['libs/translate/src/x.ts', "\n\nexport { default } from 'pino';", ['pure-lib-no-framework:3:pino']],
    ['libs/sse/src/x.ts', "import type { FastifyReply } from 'fastify';", ['pure-lib-no-framework:1:fastify']],
    ['libs/protocol/src/x.ts', "import { GatewayError } from '@turnout/errors';", ['layering:1:@turnout/errors']],
    ['libs/errors/src/x.ts', "import type { Protocol } from '@turnout/protocol';", ['layering:1:@turnout/protocol']],
    ['libs/sse/src/x.ts', "import { runMachineInBatches } from '@turnout/translate';", ['layering:1:@turnout/translate']],
    ['libs/translate/src/x.ts', "import { UpstreamClient } from '@turnout/providers';", ['layering:1:@turnout/providers']],
    ['libs/translate/src/x.ts', "const routing = await import('@turnout/routing');", ['layering:1:@turnout/routing']],
    ['libs/providers/src/x.ts', "import { pipeline } from 'apps/gateway/src/messages/messages.pipeline';", ['no-apps-from-libs:1:apps/gateway/src/messages/messages.pipeline']],
    [
      'libs/routing/src/deep/x.ts',
      "import { env } from '../../../../apps/gateway/src/cli/gateway-env';",
      ['no-apps-from-libs:1:../../../../apps/gateway/src/cli/gateway-env', 'no-relative-escape:1:../../../../apps/gateway/src/cli/gateway-env'],
    ],
    ['libs/translate/src/a/x.ts', "import { parseSse } from '../../../sse/src/parse-sse';", ['no-relative-escape:1:../../../sse/src/parse-sse']],
    ['apps/gateway/src/x.ts', "import { GatewayError } from '../../../libs/errors/src';", ['no-relative-escape:1:../../../libs/errors/src']],
    ['libs/providers/src/x.ts', "import { ScriptedUpstream } from '@turnout/testing';", ['layering:1:@turnout/testing', 'no-testing-in-src:1:@turnout/testing']],
    ['apps/gateway/src/x.ts', "import { ScriptedUpstream } from '@turnout/testing';", ['no-testing-in-src:1:@turnout/testing']],
    ['libs/translate/src/x.ts', "import { foldStream } from '@turnout/testing';", ['layering:1:@turnout/testing', 'no-testing-in-src:1:@turnout/testing']],
    ['libs/protocol/src/x.ts', "import Anthropic from '@anthropic-ai/sdk';", ['dev-dependency-type-only:1:@anthropic-ai/sdk']],
    ['libs/protocol/src/x.ts', "import { type A, APIError } from '@anthropic-ai/sdk/core/error';", ['dev-dependency-type-only:1:@anthropic-ai/sdk/core/error']],
    ['apps/gateway/src/x.ts', "export { OpenAI } from 'openai';", ['dev-dependency-type-only:1:openai']],
    ['libs/providers/src/x.ts', "import 'openai/shims/node';", ['dev-dependency-type-only:1:openai/shims/node']],
    // The console page is bundled at build time: its imports of devDependencies are fine; the gateway's are not.
    ['apps/gateway/src/x.ts', "import { render } from 'preact';", ['dev-dependency-type-only:1:preact']],
    ['apps/console/src/x.ts', "import { render } from 'preact';", []],
    // Every lib has a row, and the rows hold for the libs added by issue 14.
    ['libs/resilience/src/x.ts', "import { GatewayMetrics } from '@turnout/observability';", ['layering:1:@turnout/observability']],
    ['libs/config/src/x.ts', "import { pickReplica } from '@turnout/routing';", ['layering:1:@turnout/routing']],
    ['libs/access/src/x.ts', "import { ProviderGuards } from '@turnout/resilience';", ['layering:1:@turnout/resilience']],
    ['libs/observability/src/x.ts', "import { KeyGate } from '@turnout/access';", ['layering:1:@turnout/access']],
    ['libs/config/src/x.ts', "import { Injectable } from '@nestjs/common';", ['pure-lib-no-framework:1:@nestjs/common']],
    ['libs/resilience/src/x.ts', "import { Counter } from 'prom-client';", ['pure-lib-no-framework:1:prom-client']],
    ['libs/newlib/src/x.ts', "import { GatewayError } from '@turnout/errors';", ['lib-has-rules:1:@turnout/errors']],
    ['apps/gateway/src/x.ts', "import { x } from '@turnout/nowhere';", ['known-lib:1:@turnout/nowhere']],
  ])('%s: %s', (path, text, expected) => {
    expect(check(path, text)).toEqual(expected);
  });

  it('every rule has a failing case above', () => {
    // Kept in step with the table: a new rule without a failing sample fails here.
    expect(IMPORT_RULES.map((rule) => rule.id).sort()).toEqual(
      ['dev-dependency-type-only', 'known-lib', 'layering', 'lib-has-rules', 'no-apps-from-libs', 'no-relative-escape', 'no-testing-in-src', 'pure-lib-no-framework'].sort(),
    );
  });

  it('a planted cycle between app folders fails, naming the imports that close it', () => {
    const planted: SourceFile[] = [
      { path: 'apps/gateway/src/routing/router.ts', text: "import { Tokens } from '../messages/tokens';\nimport { env } from '../cli/env';" },
      { path: 'apps/gateway/src/messages/tokens.ts', text: "import type { Guard } from '../keys/guard';" },
      { path: 'apps/gateway/src/keys/guard.ts', text: "\nimport { route } from '../routing/router';" },
      { path: 'apps/gateway/src/cli/env.ts', text: "import { readFileSync } from 'node:fs';" },
      { path: 'apps/gateway/src/app.module.ts', text: "import { route } from './routing/router';" },
    ];
    expect(checkSources(planted, context).map(formatViolation)).toEqual([
      "apps/gateway/src/routing/router.ts:1 imports '../messages/tokens': [no-app-folder-cycle] app folders import each other in a cycle: routing -> messages -> keys -> routing",
      "apps/gateway/src/messages/tokens.ts:1 imports '../keys/guard': [no-app-folder-cycle] app folders import each other in a cycle: messages -> keys -> routing -> messages",
      "apps/gateway/src/keys/guard.ts:2 imports '../routing/router': [no-app-folder-cycle] app folders import each other in a cycle: keys -> routing -> messages -> keys",
    ]);
    // Break the cycle and the same tree passes.
    expect(checkSources(planted.filter((file) => file.path !== 'apps/gateway/src/keys/guard.ts'), context)).toEqual([]);
  });
});

describe('checkSources: allowed sources pass', () => {
  const allowed: SourceFile[] = [
    { path: 'libs/translate/src/x.ts', text: "import { GatewayError } from '@turnout/errors';\nimport type { AnthropicRequest } from '@turnout/protocol';\nimport { parseSse } from '@turnout/sse';\nimport { readFileSync } from 'node:fs';" },
    { path: 'libs/sse/src/x.ts', text: "import { createParser } from 'eventsource-parser';\nimport { GatewayError } from '@turnout/errors';\nimport type { Protocol } from '@turnout/protocol';" },
    { path: 'libs/protocol/src/x.ts', text: "import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';\nimport type { CompletionUsage } from 'openai/resources/completions';\nexport * from './anthropic';" },
    { path: 'libs/protocol/src/a/b.ts', text: "import { x } from '../c';\nimport { y } from './d';" },
    { path: 'libs/providers/src/x.ts', text: "import { Pool } from 'undici';\nimport { GatewayError } from '@turnout/errors';\nimport { anthropicToOpenAiChat } from '@turnout/translate';" },
    { path: 'libs/providers/src/x.spec.ts', text: "import { ScriptedUpstream } from '@turnout/testing';\nimport Anthropic from '@anthropic-ai/sdk';" },
    { path: 'libs/sse/src/x.spec.ts', text: "import { rechunk } from '@turnout/testing';" },
    { path: 'libs/testing/src/fold.ts', text: "import { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';\nimport { Client } from 'undici';" },
    { path: 'apps/gateway/src/main.ts', text: "import { NestFactory } from '@nestjs/core';\nconst pkg = require('../../../../package.json');" },
    { path: 'test/architecture/outside.ts', text: "import { anything } from '../../libs/x/src';" },
  ];

  it('reports nothing', () => {
    expect(checkSources(allowed, context)).toEqual([]);
  });
});
