import type { ApiKeyConfig } from '@turnout/config';
import type { GatewayKey } from './gateway-key';
import { GatewayError } from '@turnout/errors';
import { compileModelPattern } from '@turnout/routing';
import { checkApiKey } from './api-key-check';
import type { RateLimiter } from './rate-limiter';
import { dayOf, type Spent, type UsageStore } from './usage-store';

/**
 * Gateway API keys (issue 6). No keys configured: open. Otherwise a known key is required
 * (401), its model globs must allow the requested model (403), and its per-minute limits must
 * not be spent (429 with retry-after). The keys are read on every call, so a key added or
 * revoked through the admin API applies to the next request on every replica.
 */
export class KeyGate {
  constructor(
    private readonly keys: () => readonly GatewayKey[],
    private readonly limiter: RateLimiter,
    private readonly warn: (message: string) => void,
    private readonly usage?: UsageStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** The configured key the client presented; undefined when the gateway is open. Throws 401 otherwise. */
  authenticate(headers: Readonly<Record<string, string | string[] | undefined>>): GatewayKey | undefined {
    const keys = this.keys();
    if (keys.length === 0) return undefined;
    const check = checkApiKey(headers, keys);
    if (!check.ok) throw unauthenticated(check.reason === 'missing' ? 'x-api-key header is required' : 'invalid x-api-key');
    const key = check.key;
    // Revoked and expired keys stay known, so the refusal can say which (the secret is still never echoed).
    if (key.revokedAt !== undefined) throw unauthenticated(`key ${key.name} was revoked at ${key.revokedAt}`);
    if (key.expiresAt !== undefined && key.expiresAt <= this.now()) throw unauthenticated(`key ${key.name} expired at ${new Date(key.expiresAt).toISOString()}`);
    return key;
  }

  /** For a model request: the key may use the model (403), and, when counted, is within its limits (429). */
  async authorize(key: GatewayKey, model: string | undefined, countRequest: boolean): Promise<void> {
    if (model !== undefined && !keyAllowsModel(key, model)) {
      throw new GatewayError('GW_PERMISSION', { message: `key ${key.id} may not use model "${model}"` });
    }
    if (countRequest && key.budget !== undefined) await this.checkBudget(key);
    if (countRequest) {
      const admission = await this.limiter.admit(key.id, key);
      if (!admission.ok) {
        throw new GatewayError('GW_RATE_LIMITED', {
          message: `key ${key.id} is over its ${admission.what} per minute; retry in ${admission.retryAfterSeconds} s`,
          headers: { 'retry-after': String(admission.retryAfterSeconds) },
        });
      }
    }
  }

  /**
   * Budgets (issue 19): a key over its daily or monthly tokens or USD (UTC day and month) gets a
   * 429 naming the budget and when it resets. Usage is read from the usage store; when it cannot
   * answer, the request is admitted (as the rate limiter fails open) and the failure logged.
   */
  private async checkBudget(key: GatewayKey): Promise<void> {
    const budget = key.budget;
    if (budget === undefined || this.usage === undefined) return;
    const now = this.now();
    let spent: Spent;
    try {
      spent = await this.usage.spent(key.id, now);
    } catch (error) {
      this.warn(`budgets: the usage store did not answer (${(error as Error).message}); key ${key.name} admitted unchecked`);
      return;
    }
    const over = (
      [
        ['daily token', budget.daily_tokens, spent.dayTokens, 'day'],
        ['monthly token', budget.monthly_tokens, spent.monthTokens, 'month'],
        ['daily USD', budget.daily_usd, spent.dayUsd, 'day'],
        ['monthly USD', budget.monthly_usd, spent.monthUsd, 'month'],
      ] as const
    ).find(([, limit, used]) => limit !== undefined && used >= limit);
    if (!over) return;
    const [what, limit, used, period] = over;
    const resetsAt = period === 'day' ? Date.parse(`${dayOf(now)}T00:00:00Z`) + 86_400_000 : nextMonth(now);
    const retryAfter = Math.max(1, Math.ceil((resetsAt - now) / 1000));
    throw new GatewayError('GW_RATE_LIMITED', {
      message: `key ${key.name} is over its ${what} budget (${limit}; used ${Math.round(used * 1e6) / 1e6}); it resets at ${new Date(resetsAt).toISOString()}`,
      headers: { 'retry-after': String(retryAfter) },
    });
  }

  /** One finished request of a key in its usage (requests, tokens, cost). */
  recordUsage(key: GatewayKey, inputTokens: number, outputTokens: number, costUsd: number): void {
    this.usage?.add(key.id, this.now(), { requests: 1, inputTokens, outputTokens, costUsd }).catch((error: unknown) => this.warn(`usage accounting failed: ${String(error)}`));
  }

  /** Tokens the upstream reported for a finished request count against its key's budget. */
  recordTokens(key: ApiKeyConfig | undefined, tokens: number): void {
    if (key?.tokensPerMinute === undefined || tokens <= 0) return;
    this.limiter.recordTokens(key.id, tokens).catch((error: unknown) => this.warn(`token accounting failed: ${String(error)}`));
  }
}

function nextMonth(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

function unauthenticated(message: string): GatewayError {
  return new GatewayError('GW_AUTHENTICATION', { message, headers: { 'x-should-retry': 'false' } });
}

export function keyAllowsModel(key: ApiKeyConfig, model: string): boolean {
  return key.models === undefined || key.models.some((pattern) => compileModelPattern(pattern)(model));
}
