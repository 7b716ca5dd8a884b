import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@turnout/testing';
import { describeDirect, differences } from './compare';
import { renderCompatibilityReport, type ReportRow } from './compatibility-report';
import { KNOWN_DIFFERENCES, knownDifference } from './known-differences';
import { checkLlamaServerBinary, LLAMA_MODEL, LLAMA_SERVER_DIR } from './llama-server';
import { LIVE_CONTEXT, startLiveStack, type LiveStack } from './live-stack';
import { observe, type Observation } from './observe';
import { SCENARIOS } from './scenarios';

/**
 * The live tier (issue 16): every scenario three ways — straight to a real llama-server, through
 * Turnout `messages: native`, through `messages: translate` — and Turnout must equal direct
 * structurally, or differ exactly as KNOWN_DIFFERENCES says (and docs/compatibility.md shows).
 * A missing llama-server folder fails here; only a CPU that cannot run the binary skips, loudly.
 */
const REPORT = join(REPO_ROOT, 'docs', 'compatibility.md');
const binary = checkLlamaServerBinary();
if (!binary.runnable) {
  console.error(`\n${'!'.repeat(78)}\nLIVE SUITE SKIPPED: ${binary.reason}.\nNothing was compared with llama.cpp on this machine.\n${'!'.repeat(78)}\n`);
}
const describeLive = binary.runnable ? describe : describe.skip;

describeLive(`Turnout in front of a real llama-server (${LLAMA_SERVER_DIR})`, () => {
  let stack: LiveStack;
  const rows: ReportRow[] = [];
  const seen = new Map<string, Record<'direct' | 'native' | 'translate', Observation>>();

  beforeAll(async () => {
    stack = await startLiveStack();
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  });

  describe.each(SCENARIOS.map((scenario) => [scenario.title, scenario] as const))('%s', (_title, scenario) => {
    it('equals direct in both modes, or differs only as documented', async () => {
      // Sequential: llama-server runs one slot, and the prompt cache must not depend on racing.
      const direct = await observe(scenario, stack.targets.direct);
      const native = await observe(scenario, stack.targets.native);
      const translate = await observe(scenario, stack.targets.translate);
      const found = { native: differences(direct, native, true), translate: differences(direct, translate, false) };
      rows.push({ scenario, direct: describeDirect(direct), ...found });
      seen.set(scenario.id, { direct, native, translate });
      expect(found).toEqual({ native: knownDifference(scenario.id, 'native').differences, translate: knownDifference(scenario.id, 'translate').differences });
      checkScenarioSpecifics(scenario.id, { direct, native, translate });
    }, 60_000);
  });

  it('reports the same usage and stop for the same request unary and streamed, each way', () => {
    const unary = seen.get('text-unary')!;
    const stream = seen.get('text-stream')!;
    for (const way of ['direct', 'native', 'translate'] as const) {
      const summary = (o: Observation) => [o.promptTokens, o.outputTokens, o.stopReason, o.blocks];
      expect([way, ...summary(stream[way])]).toEqual([way, ...summary(unary[way])]);
    }
  });

  it('lists no known difference for a scenario that does not exist', () => {
    const ids = new Set(SCENARIOS.map((scenario) => scenario.id));
    expect(Object.keys(KNOWN_DIFFERENCES).filter((key) => !ids.has(key.split('/')[0] as string))).toEqual([]);
  });

  it('docs/compatibility.md is the report of this run (regenerate: npm run compatibility)', () => {
    expect(rows).toHaveLength(SCENARIOS.length);
    const rendered = renderCompatibilityReport(rows);
    if (process.env.TURNOUT_WRITE_COMPATIBILITY === '1') writeFileSync(REPORT, rendered);
    expect(readFileSync(REPORT, 'utf8')).toBe(rendered);
  });
});

/** What the structural comparison cannot say by itself: the right values, not just equal ones. */
function checkScenarioSpecifics(id: string, seen: Record<'direct' | 'native' | 'translate', Observation>): void {
  const turnout = [seen.native, seen.translate];
  switch (id) {
    case 'max-tokens':
      for (const o of Object.values(seen)) expect([o.stopReason, o.outputTokens]).toEqual(['max_tokens', 4]);
      break;
    case 'stop-sequence-one':
      for (const o of turnout) expect(o.stopSequence).toBe('e');
      break;
    case 'count-tokens':
      // Exactly llama.cpp's own number, both ways.
      for (const o of turnout) expect(o.countedTokens).toBe(seen.direct.countedTokens);
      break;
    case 'models':
      for (const o of turnout) {
        const models = o.models!;
        expect(models.ids).toEqual(expect.arrayContaining(['live-native', 'live-translate', 'upstream-names', LLAMA_MODEL]));
        // Every listed name reaches this llama-server: its n_ctx is each one's window.
        expect(new Set(models.maxInputTokens)).toEqual(new Set([LIVE_CONTEXT]));
      }
      break;
    case 'safeguards-stream':
    case 'safeguards-unary':
      for (const o of turnout) expect(o.safeguardResults).toEqual([{ type: 'dangerous_tool_use', status: { type: 'unsupported' } }]);
      break;
    case 'image-no-vision':
    case 'context-overflow':
    case 'missing-max-tokens':
      for (const o of turnout) expect([o.status, o.errorType, o.anthropicError]).toEqual([400, 'invalid_request_error', true]);
      break;
    default:
      break;
  }
}
