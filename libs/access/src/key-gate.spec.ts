import { GatewayError } from '@turnout/errors';
import { sha256Hex } from './api-key-check';
import type { GatewayKey } from './gateway-key';
import { KeyGate } from './key-gate';
import { KeyRegistry } from './key-registry';
import { ReadOnlyKeyStore } from './key-store';
import { MemoryRateLimiter } from './rate-limiter';
import { MemoryUsageStore } from './usage-store';

const NOW = Date.parse('2026-12-04T15:00:00Z');
const key = (overrides: Partial<GatewayKey>): GatewayKey => ({
  id: 'key_1',
  name: 'alice',
  source: 'api',
  sha256: sha256Hex('tk-alice'),
  models: undefined,
  requestsPerMinute: undefined,
  tokensPerMinute: undefined,
  ...overrides,
});
const refusal = (run: () => unknown): Promise<GatewayError> =>
  Promise.resolve()
    .then(run)
    .then(
      () => {
        throw new Error('expected a refusal');
      },
      (error: GatewayError) => error,
    );

describe('KeyGate: revoked, expired, budgets', () => {
  it('a revoked key and an expired key are 401s that say which; a key expiring later works', async () => {
    const revoked = new KeyGate(() => [key({ revokedAt: '2026-12-01T00:00:00.000Z' })], new MemoryRateLimiter(), () => undefined, undefined, () => NOW);
    expect((await refusal(() => revoked.authenticate({ 'x-api-key': 'tk-alice' }))).message).toBe('key alice was revoked at 2026-12-01T00:00:00.000Z');
    const expired = new KeyGate(() => [key({ expiresAt: NOW })], new MemoryRateLimiter(), () => undefined, undefined, () => NOW);
    const error = await refusal(() => expired.authenticate({ 'x-api-key': 'tk-alice' }));
    expect([error.status, error.message]).toEqual([401, 'key alice expired at 2026-12-04T15:00:00.000Z']);
    const later = new KeyGate(() => [key({ expiresAt: NOW + 1 })], new MemoryRateLimiter(), () => undefined, undefined, () => NOW);
    expect(later.authenticate({ 'x-api-key': 'tk-alice' })?.name).toBe('alice');
  });

  it('a monthly USD budget: 429 naming it and the first of next month; retry-after to then', async () => {
    const usage = new MemoryUsageStore(90);
    const limited = key({ budget: { monthly_usd: 1 } });
    const gate = new KeyGate(() => [limited], new MemoryRateLimiter(), () => undefined, usage, () => NOW);
    await gate.authorize(limited, 'm', true);
    await usage.add('key_1', NOW - 86_400_000, { requests: 1, inputTokens: 10, outputTokens: 10, costUsd: 0.6 });
    await usage.add('key_1', NOW, { requests: 1, inputTokens: 10, outputTokens: 10, costUsd: 0.4 });
    const error = await refusal(() => gate.authorize(limited, 'm', true));
    expect([error.status, error.code, error.message]).toEqual([429, 'GW_RATE_LIMITED', 'key alice is over its monthly USD budget (1; used 1); it resets at 2027-01-01T00:00:00.000Z']);
    expect(error.headers?.['retry-after']).toBe(String((Date.parse('2027-01-01T00:00:00Z') - NOW) / 1000));
    // Not counted requests (count_tokens without counting) are not refused.
    await expect(gate.authorize(limited, 'm', false)).resolves.toBeUndefined();
  });

  it('a usage store that fails admits the request and says so once', async () => {
    const warnings: string[] = [];
    const broken = { spent: () => Promise.reject(new Error('Command timed out')) } as unknown as MemoryUsageStore;
    const limited = key({ budget: { daily_tokens: 1 } });
    const gate = new KeyGate(() => [limited], new MemoryRateLimiter(), (message) => warnings.push(message), broken, () => NOW);
    await expect(gate.authorize(limited, 'm', true)).resolves.toBeUndefined();
    expect(warnings).toEqual(['budgets: the usage store did not answer (Command timed out); key alice admitted unchecked']);
  });
});

describe('MemoryUsageStore', () => {
  it('daily buckets oldest first with zeros, micro-dollar exact sums, and days past keepDays dropped', async () => {
    const usage = new MemoryUsageStore(2);
    for (let i = 0; i < 3; i++) await usage.add('k', NOW, { requests: 1, inputTokens: 1, outputTokens: 2, costUsd: 0.1 });
    expect(await usage.daily('k', 2, NOW)).toEqual([
      { date: '2026-12-03', requests: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 },
      { date: '2026-12-04', requests: 3, input_tokens: 3, output_tokens: 6, cost_usd: 0.3 },
    ]);
    await usage.add('k', NOW + 3 * 86_400_000, { requests: 1, inputTokens: 0, outputTokens: 0, costUsd: 0 });
    expect((await usage.daily('k', 4, NOW + 3 * 86_400_000))[0]).toMatchObject({ date: '2026-12-04', requests: 0 });
    expect(await usage.spent('k', NOW + 3 * 86_400_000)).toEqual({ dayTokens: 0, monthTokens: 9, dayUsd: 0, monthUsd: 0.3 });
  });
});

describe('KeyRegistry.gatewayKeys', () => {
  it('is rebuilt only when the config or the stored keys change (it runs on every request)', () => {
    const config = [{ id: 'file', sha256: sha256Hex('tk-file'), models: undefined, requestsPerMinute: undefined, tokensPerMinute: undefined }];
    const registry = new KeyRegistry(new ReadOnlyKeyStore(), () => config, { maxKeys: 10, maxNameLength: 64 });
    const first = registry.gatewayKeys();
    expect(first).toEqual([expect.objectContaining({ id: 'file', name: 'file', source: 'config' })]);
    expect(registry.gatewayKeys()).toBe(first);
    expect(new KeyRegistry(new ReadOnlyKeyStore(), () => [], { maxKeys: 10, maxNameLength: 64 }).gatewayKeys()).toEqual([]);
  });
});
