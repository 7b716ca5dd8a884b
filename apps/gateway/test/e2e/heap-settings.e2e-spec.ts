import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';

/**
 * V8's heap sizing set by `turnout` before the gateway loads (issue 20, memory): the modules load
 * in V8's initial young generation, whatever the setting (the cap applies once serving:
 * young-generation-cap.e2e-spec.ts). Loading the gateway's modules with V8's own growth grows it
 * to its maximum (32 MB), so the size prom-client reports right after start tells them apart.
 */
jest.setTimeout(60_000);

const CONFIG = `providers:
  - { id: u, kind: llama-cpp, base_url: "http://127.0.0.1:9", messages: translate }
routes:
  - { match: "*", provider: u }
`;

async function youngGenerationBytes(gateway: GatewayProcess): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  const match = /^nodejs_heap_space_size_total_bytes\{space="new"\} (\d+)/m.exec(text);
  if (!match) throw new Error('no new-space size in /metrics');
  return Number(match[1]);
}

async function withGateway<T>(env: Record<string, string>, use: (gateway: GatewayProcess) => Promise<T>): Promise<T> {
  const gateway = await startGatewayProcess(writeTempConfig(CONFIG), { TURNOUT_LOG_FORMAT: 'json', ...env });
  try {
    return await use(gateway);
  } finally {
    await gateway.stop();
  }
}

it('keeps the young generation at its initial size with TURNOUT_V8_YOUNG_GENERATION=fixed', async () => {
  expect(await withGateway({ TURNOUT_V8_YOUNG_GENERATION: 'fixed' }, youngGenerationBytes)).toBeLessThanOrEqual(4 * 1024 * 1024);
});

it('loads the modules in the initial young generation by default, where V8 alone grows it to 32 MB', async () => {
  expect(await withGateway({}, youngGenerationBytes)).toBeLessThanOrEqual(4 * 1024 * 1024);
  expect(await withGateway({ TURNOUT_V8_YOUNG_GENERATION: 'growing' }, youngGenerationBytes)).toBeLessThanOrEqual(4 * 1024 * 1024);
  // The control: an operator's V8 young-generation flag leaves V8 its own growth while loading.
  expect(await withGateway({ NODE_OPTIONS: '--max-semi-space-size=16' }, youngGenerationBytes)).toBeGreaterThan(8 * 1024 * 1024);
});

it('keeps a V8 flag the operator passed to node', async () => {
  expect(await withGateway({ TURNOUT_V8_YOUNG_GENERATION: 'fixed', NODE_OPTIONS: '--max-semi-space-size=8' }, youngGenerationBytes)).toBeGreaterThan(4 * 1024 * 1024);
});

it('refuses a bad setting with one line before anything starts', () => {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'turnout.js'), 'version'], { env: { PATH: process.env.PATH ?? '', TURNOUT_V8_HEAP_GROWTH_PERCENT: 'lots' }, encoding: 'utf8' });
  expect(run.status).toBe(1);
  expect(run.stderr).toBe('turnout: TURNOUT_V8_HEAP_GROWTH_PERCENT must be an integer from 0 to 300 (got "lots")\n');
});
