import { answerBackgroundTraffic, ScriptedUpstream, startGatewayProcess, startRedisServer, writeTempConfig, type GatewayProcess, type RedisServer } from '@turnout/testing';
import type { Page } from 'playwright-core';
import { ADMIN_TOKEN, axeViolations, controlsNotReachedByTab, launchHeadlessChromium, logIn, openPage, screenshot, SCRIPTED_COMPLETION, type HeadlessChromium } from './console-harness';

/**
 * Issue 21, the keys page, against the key lifecycle API (/admin/keys, per the contract the
 * `keys` and `console` branches share). It needs that API in the gateway: it passes once the
 * `keys` branch is merged, and fails before (the list answers 404).
 */
jest.setTimeout(60_000);

let redis: RedisServer;
let upstream: ScriptedUpstream;
let gateway: GatewayProcess;
let chromium: HeadlessChromium;
let page: Page;


const ask = (secret: string) =>
  fetch(`${gateway.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': secret },
    body: JSON.stringify({ model: 'any', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] }),
  });

beforeAll(async () => {
  [redis, upstream] = await Promise.all([startRedisServer(), ScriptedUpstream.start()]);
  answerBackgroundTraffic(upstream);
  upstream.standing({ method: 'POST', path: '/v1/chat/completions' }).respond({ json: SCRIPTED_COMPLETION });
  const config = writeTempConfig(`
providers:
  - { id: local, kind: llama-cpp, base_url: "${upstream.url}", messages: translate }
routes:
  - { match: "*", provider: local }
`);
  gateway = await startGatewayProcess(config, { REDIS_URL: redis.url, TURNOUT_ADMIN_TOKEN: ADMIN_TOKEN });
  chromium = await launchHeadlessChromium();
  page = await chromium.context.newPage();
  page.setDefaultTimeout(5_000);
  page.on('dialog', (dialog) => void dialog.accept());
  await logIn(page, gateway.url);
});

afterAll(async () => {
  await chromium?.close();
  await gateway?.stop();
  await Promise.all([upstream?.close(), redis?.stop()]);
});

describe('console: keys', () => {
  it('creates a key (its secret shown once, and it works), lists it, revokes it (and it stops working)', async () => {
    await openPage(page, 'keys', 'Keys');
    await page.getByRole('table').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('ci-bot');
    await page.getByLabel('Owner (optional)').fill('platform');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.getByTestId('new-secret').inputValue();
    expect(secret).toMatch(/^tk-/);
    const row = page.locator('tr[data-key="ci-bot"]');
    await expect(row.locator('[data-field="state"]').textContent()).resolves.toBe('active');
    await expect(row.textContent()).resolves.toContain(secret.slice(0, 8));
    expect((await ask(secret)).status).toBe(200);
    await expect(axeViolations(page)).resolves.toEqual([]);
    await expect(controlsNotReachedByTab(page)).resolves.toEqual([]);
    await screenshot(page, 'keys-created');

    // Shown once: after "copied", the page has no way to show it again.
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await expect(page.getByTestId('new-secret').count()).resolves.toBe(0);
    await page.reload();
    await openPage(page, 'keys', 'Keys');
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);

    await page.getByRole('button', { name: 'Revoke key ci-bot' }).click();
    await row.locator('[data-field="state"]', { hasText: 'revoked' }).waitFor();
    expect((await ask(secret)).status).toBe(401);
    await screenshot(page, 'keys');
  });
});
