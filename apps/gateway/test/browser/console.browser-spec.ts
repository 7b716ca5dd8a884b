import { answerBackgroundTraffic, REPO_ROOT, ScriptedUpstream, startGatewayProcess, startRedisServer, writeTempConfig, type GatewayProcess, type RedisServer } from '@turnout/testing';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ADMIN_TOKEN, axeViolations, controlsNotReachedByTab, launchHeadlessChromium, logIn, openPage, screenshot, SCRIPTED_COMPLETION, type HeadlessChromium } from './console-harness';

/**
 * Issue 21: the web console in a real browser (Debian's headless Chromium) against the built
 * gateway, Redis (so config writes, history and rollback are real) and scripted upstreams.
 */
jest.setTimeout(60_000);

let redis: RedisServer;
let gpu: ScriptedUpstream;
let small: ScriptedUpstream;
let gateway: GatewayProcess;
let chromium: HeadlessChromium;
let page: Page;


const ask = (model: string) =>
  fetch(`${gateway.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model, max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] }),
  });

beforeAll(async () => {
  [redis, gpu, small] = await Promise.all([startRedisServer(), ScriptedUpstream.start(), ScriptedUpstream.start()]);
  answerBackgroundTraffic(gpu);
  answerBackgroundTraffic(small);
  small.standing({ method: 'POST', path: '/v1/chat/completions' }).respond({ json: SCRIPTED_COMPLETION });
  const config = writeTempConfig(`
providers:
  - id: gpu
    kind: llama-cpp
    base_url: ${gpu.url}
    messages: translate
    retries: { max_attempts: 1 }
    circuit: { failure_threshold: 2, min_requests: 2, cooldown_ms: 60000 }
  - id: small
    kind: llama-cpp
    base_url: ${small.url}
    messages: translate
    limits: { max_in_flight: 4, max_queue: 8 }
routes:
  - { name: big, match: "big-*", provider: gpu, model: qwen3-coder }
  - { name: small, match: "small-*", provider: small, model: qwen3-4b }
  - { match: "*", provider: small }
`);
  // Panic mode off: the gpu's circuit must read open, not be tried anyway.
  gateway = await startGatewayProcess(config, { REDIS_URL: redis.url, TURNOUT_ADMIN_TOKEN: ADMIN_TOKEN, TURNOUT_CIRCUIT_PANIC: 'off' });
  chromium = await launchHeadlessChromium();
  page = await chromium.context.newPage();
  // A page that shows nothing fails fast, not after Playwright's 30 s default.
  page.setDefaultTimeout(5_000);
  page.on('dialog', (dialog) => void dialog.accept());
});

afterAll(async () => {
  await chromium?.close();
  await gateway?.stop();
  await Promise.all([gpu?.close(), small?.close(), redis?.stop()]);
});

async function expectAccessible(name: string): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
  expect(await controlsNotReachedByTab(page)).toEqual([]);
  await screenshot(page, name);
}

describe('the built console', () => {
  it('is under 1 MB, all of it served by the gateway: nothing fetched from elsewhere (no CDN)', async () => {
    const root = join(REPO_ROOT, 'dist', 'console');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((name) => statSync(join(root, name)).isFile());
    const bytes = files.reduce((sum, name) => sum + statSync(join(root, name)).size, 0);
    expect(bytes).toBeLessThan(1024 * 1024);
    for (const name of files) {
      // XML namespace names are identifiers, not fetches.
      const urls = readFileSync(join(root, name), 'utf8').match(/https?:\/\/[^\s"'`)]+/g) ?? [];
      expect(urls.filter((url) => !url.startsWith('http://www.w3.org/'))).toEqual([]);
    }
    const outside: string[] = [];
    const probe = await chromium.context.newPage();
    probe.on('request', (request) => void (request.url().startsWith(gateway.url) || request.url().startsWith('data:') ? undefined : outside.push(request.url())));
    await probe.goto(`${gateway.url}/console`);
    await probe.getByLabel('Admin token').waitFor();
    await probe.close();
    expect(outside).toEqual([]);
  });
});

describe('the accessibility checks themselves', () => {
  it('fail on an unlabelled control and on a control Tab cannot reach', async () => {
    const probe = await chromium.context.newPage();
    try {
      await probe.setContent('<!doctype html><html lang="en"><title>t</title><main><h1>t</h1><input id="a"><button tabindex="-1">Hidden from Tab</button></main></html>');
      expect((await axeViolations(probe)).join('\n')).toMatch(/^label: /m);
      expect(await controlsNotReachedByTab(probe)).toEqual(['button "Hidden from Tab"']);
    } finally {
      await probe.close();
    }
  });
});

describe('console: login', () => {
  it('refuses a wrong token, then logs in with the admin token into a session-only HttpOnly SameSite=Strict cookie', async () => {
    const typed = await fetch(`${gateway.url}/console/`, { redirect: 'manual' });
    expect([typed.status, typed.headers.get('location')]).toEqual([308, '/console']);
    await page.goto(`${gateway.url}/console/`);
    expect(page.url()).toBe(`${gateway.url}/console`);
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('not the admin token');
    await expectAccessible('login');

    await logIn(page, gateway.url);
    const cookies = await chromium.context.cookies(gateway.url);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ name: 'turnout_console', httpOnly: true, sameSite: 'Strict', expires: -1, path: '/' });
    expect(cookies[0]!.value).not.toContain(ADMIN_TOKEN);
    // The page never holds the cookie: HttpOnly keeps it from scripts.
    expect(await page.evaluate('document.cookie')).toBe('');
  });

  it('keeps the session across a reload (the CSRF token comes back from /console/api/session)', async () => {
    await page.reload();
    await page.getByRole('navigation', { name: 'Console pages' }).waitFor();
  });

  it('refuses a write without the CSRF token, or from another origin, even with the session cookie', async () => {
    const cookie = (await chromium.context.cookies(gateway.url))[0]!;
    const headers = { cookie: `${cookie.name}=${cookie.value}`, 'content-type': 'application/json' };
    // Reads need only the session.
    expect((await fetch(`${gateway.url}/admin/config`, { headers })).status).toBe(200);
    const noCsrf = await fetch(`${gateway.url}/admin/config/rollback`, { method: 'POST', headers: { ...headers, origin: gateway.url }, body: '{"revision":1}' });
    expect(noCsrf.status).toBe(403);
    expect(((await noCsrf.json()) as { error: { type: string } }).error.type).toBe('permission_error');
    const csrf = (await page.evaluate("fetch('/console/api/session').then((response) => response.json())")) as { csrf: string };
    const otherOrigin = await fetch(`${gateway.url}/admin/config/rollback`, {
      method: 'POST',
      headers: { ...headers, origin: 'http://evil.example', 'x-turnout-csrf': csrf.csrf },
      body: '{"revision":1}',
    });
    expect(otherOrigin.status).toBe(403);
    // The same write from the page itself, without the header, is refused too.
    const fromPage = await page.evaluate(`fetch('/admin/config/rollback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"revision":1}' }).then((response) => response.status)`);
    expect(fromPage).toBe(403);
    // A login from another origin is refused before the token is even compared.
    const crossLogin = await fetch(`${gateway.url}/console/api/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://evil.example' }, body: JSON.stringify({ token: ADMIN_TOKEN }) });
    expect(crossLogin.status).toBe(403);
  });
});

describe('console: providers', () => {
  it('shows each provider with kind, mode, health, circuit, in-flight and queue, context window', async () => {
    await openPage(page, 'providers', 'Providers');
    const gpuRow = page.locator('tr[data-provider="gpu"]');
    await expect(gpuRow.locator('[data-field="circuit"]').textContent()).resolves.toBe('closed');
    await expect(page.locator('tr[data-provider="small"] [data-field="queued"]').textContent()).resolves.toBe('0 / 8');
    await expect(page.locator('tr[data-provider="small"] [data-field="in-flight"]').textContent()).resolves.toBe('0 / 4');
    await expect(gpuRow.textContent()).resolves.toContain('llama-cpp');
    await expect(gpuRow.textContent()).resolves.toContain('translate');
    await expectAccessible('providers');
  });

  it('shows a provider that goes down with its circuit open within 2 s of the failure that opened it', async () => {
    await gpu.close();
    expect((await ask('big-1')).status).toBe(502);
    expect((await ask('big-2')).status).toBe(502);
    const opened = Date.now();
    await page.locator('tr[data-provider="gpu"] [data-field="circuit"]', { hasText: 'open' }).waitFor({ timeout: 2_000 });
    expect(Date.now() - opened).toBeLessThan(2_000);
    await expect(page.locator('tr[data-provider="gpu"] [data-field="health"]').textContent()).resolves.toBe('down');
    await expect(page.locator('tr[data-provider="gpu"] [data-field="last-error"]').textContent()).resolves.toContain('GW_UPSTREAM_UNREACHABLE');
    expect((await ask('big-3')).status).toBe(529);
    await screenshot(page, 'providers-circuit-open');
  });
});

describe('console: live traffic', () => {
  it('lists finished requests as they happen (pushed over SSE): key, model, route, provider, mode, status, TTFT, tokens', async () => {
    await openPage(page, 'traffic', 'Live traffic');
    expect((await ask('small-chat')).status).toBe(200);
    const row = page.locator('tbody tr', { hasText: 'small-chat' });
    await row.waitFor({ timeout: 2_000 });
    const text = await row.textContent();
    expect(text).toContain('small');
    expect(text).toContain('translate');
    expect(text).toContain('200');
    expect(text).toContain('7 / 2');
    // The earlier failures are there too (the gateway's backlog came first on the stream).
    await expect(page.locator('tbody tr', { hasText: 'big-3' }).textContent()).resolves.toContain('GW_CIRCUIT_OPEN');
    await expectAccessible('traffic');
  });
});

describe('console: routes', () => {
  it('lists the routes in order and explains where a request would go: which rule, which replica, why', async () => {
    await openPage(page, 'routes', 'Routes');
    const rows = page.locator('table tbody tr');
    await rows.nth(2).waitFor();
    await expect(rows.count()).resolves.toBe(3);
    await expect(rows.nth(0).textContent()).resolves.toContain('big-*');
    await expect(rows.nth(2).textContent()).resolves.toContain('*');
    await page.getByLabel('Model').fill('small-anything');
    await page.getByRole('button', { name: 'Explain' }).click();
    const answer = page.getByTestId('explanation');
    await answer.waitFor();
    await expect(answer.locator('[data-field="rule"]').textContent()).resolves.toContain('route 1 (small');
    await expect(answer.locator('[data-field="replica"]').textContent()).resolves.toMatch(/^0: /);
    await expect(answer.locator('[data-field="provider"]').textContent()).resolves.toContain('small (llama-cpp), translate');
    await expect(answer.locator('[data-field="why"]').textContent()).resolves.toContain('sent as "qwen3-4b"');
    await expectAccessible('routes');
  });
});

describe('console: config', () => {
  it('shows the revision, puts a validation error at its line, saves an edit, diffs it and rolls it back', async () => {
    await openPage(page, 'config', 'Config');
    await expect(page.getByTestId('current-revision').textContent()).resolves.toContain('Current revision 1');
    const editor = page.getByLabel(/^Config \(JSON/);
    const original = await editor.inputValue();

    // An invalid edit: the gateway names providers[1].base_url; the page marks that line.
    const broken = original.replace(`"base_url": "${small.url}"`, '"base_url": "http://127.0.0.1:1/v1/messages"');
    await editor.fill(broken);
    await page.getByRole('button', { name: 'Validate and save' }).click();
    const problem = page.locator('#config-problem');
    await problem.waitFor();
    const badLine = broken.split('\n').findIndex((line) => line.includes('/v1/messages')) + 1;
    await expect(problem.getAttribute('data-line')).resolves.toBe(String(badLine));
    await expect(problem.textContent()).resolves.toContain(`Line ${badLine}`);
    await expect(problem.textContent()).resolves.toContain('base_url');
    await screenshot(page, 'config-error-at-line');

    // A JSON syntax error is placed too.
    await editor.fill(original.replace('"routes": [', '"routes" ['));
    await page.getByRole('button', { name: 'Validate and save' }).click();
    await expect(problem.textContent()).resolves.toContain('not JSON');
    await expect(problem.getAttribute('data-line')).resolves.toBe(String(original.split('\n').findIndex((line) => line.includes('"routes": [')) + 1));

    // A valid edit: one more route.
    const edited = JSON.parse(original) as { routes: unknown[] };
    edited.routes.unshift({ name: 'extra', match: 'extra-*', provider: 'small' });
    await editor.fill(JSON.stringify(edited, null, 2));
    await page.getByRole('button', { name: 'Validate and save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved as revision 2' }).waitFor();
    // The revision line is re-read from the server after the save: waited for, not read at once
    // (read at once, it raced the refresh on a busy CI machine).
    await page.getByTestId('current-revision').filter({ hasText: 'Current revision 2' }).waitFor();

    await page.getByRole('button', { name: 'Show the changes of revision 2' }).click();
    const diff = page.getByLabel('Changes in revision 2');
    await expect(diff.locator('ins').first().textContent()).resolves.toContain('extra-*');

    await page.getByRole('button', { name: 'Roll back to revision 1' }).click();
    await page.getByRole('status').filter({ hasText: 'Rolled back to revision 1: now revision 3' }).waitFor();
    const live = (await (await fetch(`${gateway.url}/admin/config`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as { revision: number; config: { routes: { name?: string }[] } };
    expect(live.revision).toBe(3);
    expect(live.config.routes.map((route) => route.name)).toEqual(['big', 'small', undefined]);
    await expectAccessible('config');
  });
});

describe('console: logout and off', () => {
  it('logs out: the session ends on the gateway, not only in the browser', async () => {
    const cookie = (await chromium.context.cookies(gateway.url))[0]!;
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Admin token').waitFor();
    const stale = await fetch(`${gateway.url}/admin/config`, { headers: { cookie: `${cookie.name}=${cookie.value}` } });
    expect(stale.status).toBe(401);
  });

  it('is not there at all while the admin API is off', async () => {
    const off = await startGatewayProcess(writeTempConfig(`providers: [{ id: p, kind: llama-cpp, base_url: "${small.url}", messages: translate }]\nroutes: [{ match: "*", provider: p }]\n`));
    try {
      for (const path of ['/console/', '/console/api/session', '/console/api/events']) {
        const response = await fetch(`${off.url}${path}`);
        expect(response.status).toBe(404);
        expect(((await response.json()) as { error: { type: string } }).error.type).toBe('not_found_error');
      }
    } finally {
      await off.stop();
    }
  });
});
