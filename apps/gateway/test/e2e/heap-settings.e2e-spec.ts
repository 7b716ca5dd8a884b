import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';

/**
 * V8's heap sizing set by `turnout` before the gateway loads (issue 20, memory): the young
 * generation stays at its initial size with TURNOUT_V8_YOUNG_GENERATION=fixed (V8's own sizing by default). Loading the
 * gateway's modules alone grows V8's own young generation to its maximum (32 MB), so the size
 * prom-client reports right after start tells the two apart.
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

it("leaves V8 its own young-generation sizing by default", async () => {
  expect(await withGateway({}, youngGenerationBytes)).toBeGreaterThan(8 * 1024 * 1024);
});

it('keeps a V8 flag the operator passed to node', async () => {
  expect(await withGateway({ TURNOUT_V8_YOUNG_GENERATION: 'fixed', NODE_OPTIONS: '--max-semi-space-size=8' }, youngGenerationBytes)).toBeGreaterThan(4 * 1024 * 1024);
});

it('refuses a bad setting with one line before anything starts', () => {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'turnout.js'), 'version'], { env: { PATH: process.env.PATH ?? '', TURNOUT_V8_HEAP_GROWTH_PERCENT: 'lots' }, encoding: 'utf8' });
  expect(run.status).toBe(1);
  expect(run.stderr).toBe('turnout: TURNOUT_V8_HEAP_GROWTH_PERCENT must be an integer from 0 to 300 (got "lots")\n');
});
