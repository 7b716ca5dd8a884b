import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@turnout/testing';

/**
 * The benchmark as a smoke (issue 20): `bench/run.mjs --smoke` starts the upstream, the raw
 * proxy and the built gateway in both modes, drives every scenario with wrk for one short round
 * and writes its table. Its figures are too short to mean anything and nothing here judges
 * speed; this checks that the bench runs to the end and measures every row (the targets are
 * checked by `npm run bench` on a quiet machine, README "Performance").
 */
jest.setTimeout(300_000);

const run = promisify(execFile);

interface Row {
  readonly mode: string;
  readonly scenario: string;
  readonly target: string;
  readonly rps_32conn?: number;
  readonly errors?: number;
  readonly ttft_ms?: number;
  readonly rss_mb?: number;
}

it('runs every scenario against every target and writes numbers for each', async () => {
  const out = mkdtempSync(join(tmpdir(), 'turnout-bench-smoke-'));
  await run(process.execPath, [join(REPO_ROOT, 'bench/run.mjs'), '--smoke', '--out', out], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '' }, maxBuffer: 16 * 1024 * 1024 });
  const result = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as { rows: Row[]; targets: { measured: unknown }[]; idle: { rss_mb: number }[] };
  // 2 modes × 4 scenarios × (direct, raw proxy, Turnout).
  expect(result.rows).toHaveLength(24);
  for (const row of result.rows) {
    if (!row.scenario.startsWith('slow')) {
      expect(row.rps_32conn).toBeGreaterThan(0);
      expect(row.errors).toBe(0);
    }
    if (row.scenario !== 'unary 16 tokens') expect(row.ttft_ms).toBeGreaterThan(0);
    if (row.target.startsWith('Turnout')) expect(row.rss_mb).toBeGreaterThan(0);
  }
  for (const target of result.targets) expect(typeof target.measured).toBe('number');
  expect(result.idle.map((idle) => idle.rss_mb)).toEqual([expect.any(Number), expect.any(Number)]);
  expect(readFileSync(join(out, 'latest.md'), 'utf8')).toContain('| target | goal | measured | met |');
});
