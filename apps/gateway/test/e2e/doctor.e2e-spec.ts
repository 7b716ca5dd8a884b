import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, ScriptedUpstream, writeTempConfig } from '@turnout/testing';

/** `turnout doctor` (issue 18) against scripted llama-servers: one healthy, one refusing its key. */
jest.setTimeout(30_000);

const run = promisify(execFile);

async function doctor(config: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(REPO_ROOT, 'bin', 'turnout.js'), 'doctor', '--config', config, '--url', 'http://gw.example:4000'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let healthy: ScriptedUpstream;
let locked: ScriptedUpstream;

beforeAll(async () => {
  healthy = await ScriptedUpstream.start();
  healthy.standing({ method: 'GET', path: '/props' }).respond({ json: { build_info: 'b7300-abc', default_generation_settings: { n_ctx: 65536 } } });
  healthy.standing({ method: 'GET', path: '/v1/models' }).respond({ json: { object: 'list', data: [{ id: 'qwen3-coder', object: 'model' }] } });
  locked = await ScriptedUpstream.start();
  locked.standing({ method: 'GET' }).respond({ status: 401, json: { error: { code: 401, message: 'Invalid API Key', type: 'authentication_error' } } });
});
afterAll(async () => {
  await healthy?.close();
  await locked?.close();
});

it('reports a healthy provider and the Claude Code settings, exit 0', async () => {
  const config = writeTempConfig(`providers:
  - { id: big, kind: llama-cpp, base_url: "${healthy.url}" }
routes:
  - { name: haiku, match: "claude-*haiku*", provider: big, model: qwen3-coder }
  - { name: any, match: "*", provider: big }
`);
  const result = await doctor(config);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('provider big (llama-cpp at');
  expect(result.stdout).toContain('reachable:      yes, version b7300-abc');
  expect(result.stdout).toMatch(/\/v1\/messages: +yes; mode native/);
  expect(result.stdout).toContain('models:         qwen3-coder');
  expect(result.stdout).toContain('context window: 65536 tokens');
  expect(result.stdout).toContain('export ANTHROPIC_BASE_URL=http://gw.example:4000');
  expect(result.stdout).toContain('claude-haiku-4-5   → route haiku → big as qwen3-coder');
  expect(result.stdout).toContain('route haiku (claude-*haiku*): export ANTHROPIC_MODEL=claude-haiku');
  expect(result.stdout).toContain('"ANTHROPIC_AUTH_TOKEN": "turnout"');
  expect(result.stdout).toContain('no problems found');
});

it('exits 1 naming each problem: a refused key, an unset key variable, an unreachable server', async () => {
  const config = writeTempConfig(`providers:
  - { id: locked, kind: llama-cpp, base_url: "${locked.url}", api_key_env: LOCKED_API_KEY }
  - { id: keyless, kind: llama-cpp, base_url: "${healthy.url}", api_key_env: MISSING_API_KEY }
  - { id: gone, kind: llama-cpp, base_url: "http://127.0.0.1:9" }
routes:
  - { match: "*", provider: locked }
`);
  const result = await doctor(config, { LOCKED_API_KEY: 'wrong' });
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/provider locked [^]*auth: +REFUSED \(key from LOCKED_API_KEY\)[^]*PROBLEMS: +the upstream refused the key/);
  expect(result.stdout).toMatch(/provider keyless [^]*PROBLEMS: +api_key_env MISSING_API_KEY is not set/);
  expect(result.stdout).toMatch(/provider gone [^]*reachable: +no \([^)]*ECONNREFUSED/);
  expect(result.stdout).toContain('3 provider(s) with problems: locked, keyless, gone');
});

it('exits 1 with the tried paths when no config file can be found', async () => {
  const { stderr, code } = await run(process.execPath, [join(REPO_ROOT, 'bin', 'turnout.js'), 'doctor'], { cwd: '/', env: { PATH: process.env.PATH ?? '' } }).then(
    (ok) => ({ ...ok, code: 0 }),
    (error: { code: number; stderr: string }) => ({ stderr: error.stderr, code: error.code }),
  );
  expect(code).toBe(1);
  expect(stderr).toContain('turnout: no config file found; tried: --config (not given), TURNOUT_CONFIG (not set), ./config/turnout.yaml, /etc/turnout/turnout.yaml');
});

it('config validate works offline: exit 0 for a valid file, 1 with FILE:line:column and the key meant', async () => {
  const turnout = (...args: string[]) =>
    run(process.execPath, [join(REPO_ROOT, 'bin', 'turnout.js'), ...args], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '' } }).then(
      (ok) => ({ ...ok, code: 0 }),
      (error: { code: number; stdout: string; stderr: string }) => ({ stdout: error.stdout, stderr: error.stderr, code: error.code }),
    );
  const valid = await turnout('config', 'validate', join(REPO_ROOT, 'config', 'turnout.yaml'));
  expect(valid).toMatchObject({ code: 0, stdout: `${join(REPO_ROOT, 'config', 'turnout.yaml')}: valid\n` });
  const file = writeTempConfig('providers:\n  - id: a\n    kind: llama-cpp\n    base_url: http://127.0.0.1:8080\nroutes:\n  - match: "*"\n    provider: a\n    fallback: [a]\n');
  const invalid = await turnout('config', 'validate', file);
  expect(invalid).toMatchObject({ code: 1, stderr: `${file}:8:5: routes[0].fallback: unknown field; did you mean "fallbacks"?\n` });
  expect((await turnout('config', 'validate', '--help')).stdout).toContain('Usage: turnout');
});
