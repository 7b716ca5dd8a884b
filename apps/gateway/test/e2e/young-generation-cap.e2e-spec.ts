import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@turnout/testing';

/**
 * The young-generation cap (apps/gateway/src/memory/young-generation-sizing.ts) in a real V8:
 * a child process applies the heap settings as bin/turnout.js does, "loads modules" (allocates
 * with survivors, which grows V8's young generation), starts the sizing as the gateway does once
 * it listens, then allocates the same way in short turns of the event loop, as requests do.
 * The same child without the cap (`growing`) shows the test can fail: V8 then grows it to 32 MB.
 */
jest.setTimeout(60_000);

const run = promisify(execFile);

const SCRIPT = `
const { applyHeapSettings, loadHeapSettings } = require(${JSON.stringify(join(REPO_ROOT, 'dist/apps/gateway/src/memory/heap-settings.js'))});
const { sizeYoungGeneration, youngGenerationBytes } = require(${JSON.stringify(join(REPO_ROOT, 'dist/apps/gateway/src/memory/young-generation-sizing.js'))});
applyHeapSettings();
const survivors = [];
const churn = (n) => { for (let i = 0; i < n; i++) { survivors.push({ i, text: 'x' + i }); if (survivors.length > 100000) survivors.splice(0, 50000); } };
churn(2e6);
const afterLoading = youngGenerationBytes();
sizeYoungGeneration(loadHeapSettings(process.env));
let turns = 400, largest = 0;
const turn = () => {
  churn(5000);
  largest = Math.max(largest, youngGenerationBytes());
  if (--turns > 0) setImmediate(turn);
  else process.stdout.write('\\nRESULT ' + JSON.stringify({ afterLoading, largest }) + '\\n');
};
turn();
`;

async function youngGeneration(setting: string): Promise<{ afterLoading: number; largest: number }> {
  const { stdout } = await run(process.execPath, ['-e', SCRIPT], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', TURNOUT_V8_YOUNG_GENERATION: setting } });
  return JSON.parse(/^RESULT (.*)$/m.exec(stdout)?.[1] ?? 'null') as { afterLoading: number; largest: number };
}

const MB = 1024 * 1024;

it('stays at its initial size while the modules load, then grows to its cap and no further', async () => {
  const capped = await youngGeneration('8');
  expect(capped.afterLoading).toBeLessThanOrEqual(2 * MB);
  // It did grow (a sizing that never lets go of the start-up factor would stay at 2 MB)...
  expect(capped.largest).toBeGreaterThan(4 * MB);
  // ...but not past the cap (V8 alone doubles on to 32 MB: the next test).
  expect(capped.largest).toBeLessThanOrEqual(8 * MB);
});

it("grows to V8's 32 MB under the same allocations when left to V8 (growing)", async () => {
  const growing = await youngGeneration('growing');
  expect(growing.afterLoading).toBeLessThanOrEqual(2 * MB);
  expect(growing.largest).toBe(32 * MB);
});
