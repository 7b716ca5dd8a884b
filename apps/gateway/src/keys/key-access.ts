import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { GatewayError } from '@turnout/errors';
import { compileModelPattern, type ApiKeyConfig } from '@turnout/routing';
import { ROUTING_SOURCE, type RoutingSource } from '../routing/routing-source';
import { checkApiKey } from './api-key-check';
import { RATE_LIMITER } from './keys-tokens';
import type { RateLimiter } from './rate-limiter';

/** Where the authenticated key rides along the request (for logs, metrics and token accounting). */
const KEY_ON_REQUEST = Symbol('turnout.apiKey');

/**
 * Gateway API keys (issue 6). No keys configured: open. Otherwise a known key is required
 * (401), its model globs must allow the requested model (403), and its per-minute limits must
 * not be spent (429 with retry-after). Keys come from the config snapshot in force, so a key
 * added or revoked through the admin API applies to the next request on every replica.
 */
@Injectable()
export class KeyAccess {
  private readonly logger = new Logger('Keys');

  constructor(
    @Inject(ROUTING_SOURCE) private readonly routing: RoutingSource,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
  ) {}

  /** Authenticates and, for a model request, authorizes and counts it. Returns the key (undefined when open). */
  async admit(request: FastifyRequest, model: string | undefined, countRequest: boolean): Promise<ApiKeyConfig | undefined> {
    const keys = this.routing.current().config.keys;
    if (keys.length === 0) return undefined;
    const check = checkApiKey(request.headers, keys);
    if (!check.ok) {
      throw new GatewayError('GW_AUTHENTICATION', {
        message: check.reason === 'missing' ? 'x-api-key header is required' : 'invalid x-api-key',
        headers: { 'x-should-retry': 'false' },
      });
    }
    const { key } = check;
    (request as unknown as Record<symbol, ApiKeyConfig>)[KEY_ON_REQUEST] = key;
    if (model !== undefined && !allows(key, model)) {
      throw new GatewayError('GW_PERMISSION', { message: `key ${key.id} may not use model "${model}"` });
    }
    if (countRequest) {
      const admission = await this.limiter.admit(key.id, key);
      if (!admission.ok) {
        throw new GatewayError('GW_RATE_LIMITED', {
          message: `key ${key.id} is over its ${admission.what} per minute; retry in ${admission.retryAfterSeconds} s`,
          headers: { 'retry-after': String(admission.retryAfterSeconds) },
        });
      }
    }
    return key;
  }

  /** Tokens the upstream reported for a finished request count against its key's budget. */
  recordTokens(key: ApiKeyConfig | undefined, tokens: number): void {
    if (key?.tokensPerMinute === undefined || tokens <= 0) return;
    this.limiter.recordTokens(key.id, tokens).catch((error: unknown) => this.logger.warn(`token accounting failed: ${String(error)}`));
  }

  /** The models a key may see in /v1/models. */
  allowsModel(request: FastifyRequest, model: string): boolean {
    const key = (request as unknown as Record<symbol, ApiKeyConfig | undefined>)[KEY_ON_REQUEST];
    return key === undefined || allows(key, model);
  }
}

function allows(key: ApiKeyConfig, model: string): boolean {
  return key.models === undefined || key.models.some((pattern) => compileModelPattern(pattern)(model));
}
