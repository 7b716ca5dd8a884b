import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '@turnout/testing';
import { launchHeadlessChromium, type HeadlessChromium } from '../../../../libs/testing/src/headless-chromium';

export const ADMIN_TOKEN = 'console-admin-token-0123456789';
/** Screenshots of each page: kept by CI as test artifacts (gitignored). */
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'console');

export { launchHeadlessChromium, type HeadlessChromium };

/** A llama-server's unary OpenAI chat answer (what a translated request gets back): "Hello.", 7 tokens in, 2 out. */
export const SCRIPTED_COMPLETION = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'qwen3-4b',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 },
};

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Logs in through the form, as a person would. */
export async function logIn(page: Page, gatewayUrl: string): Promise<void> {
  await page.goto(`${gatewayUrl}/console`);
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Console pages' }).waitFor();
}

export async function openPage(page: Page, id: string, title: string): Promise<void> {
  await page.getByRole('link', { name: title }).click();
  await page.waitForURL(new RegExp(`#/${id}$`));
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core over the page as it is (WCAG 2 A/AA and best practices): every control labelled,
 * contrast, landmarks. Evaluated through the DevTools protocol, so the page's CSP, which
 * allows no inline script, stays on.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }).then((result) => result.violations)",
  )) as AxeViolation[];
  return violations.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
}

/** Marks every visible, enabled control (links, buttons, inputs, text areas) and names them. Runs in the page. */
const MARK_CONTROLS = `(() => {
  const all = [...document.querySelectorAll('a[href], button, input, textarea, select, [tabindex]:not([tabindex="-1"])')];
  const visible = all.filter((element) => !element.disabled && element.getClientRects().length > 0);
  visible.forEach((element, index) => element.setAttribute('data-tab-probe', String(index)));
  document.activeElement?.blur();
  return visible.map((element) => element.tagName.toLowerCase() + ' "' + (element.getAttribute('aria-label') ?? element.textContent?.trim() ?? element.id) + '"');
})()`;

/**
 * Every visible control gets focus by pressing Tab alone, in one pass through the page;
 * returns the controls Tab never reached.
 */
export async function controlsNotReachedByTab(page: Page): Promise<string[]> {
  const controls = (await page.evaluate(MARK_CONTROLS)) as string[];
  const reached = new Set<string>();
  for (let press = 0; press < controls.length + 5; press++) {
    await page.keyboard.press('Tab');
    const probe = (await page.evaluate("document.activeElement?.getAttribute('data-tab-probe') ?? null")) as string | null;
    if (probe !== null) reached.add(probe);
  }
  return controls.filter((_, index) => !reached.has(String(index)));
}
