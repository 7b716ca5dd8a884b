import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { KeyGate, keyAllowsModel, type RateLimiter } from '@turnout/access';
import type { ApiKeyConfig } from '@turnout/config';
import { ROUTING_SOURCE, type RoutingSource } from '../config/routing-source';
import { RATE_LIMITER } from './keys-tokens';

/** Where the authenticated key rides along the request (for logs, metrics and token accounting). */
const KEY_ON_REQUEST = Symbol('turnout.apiKey');

/**
 * The Nest face of the gateway's API keys (the rules are `KeyGate`'s, in libs/access): keys
 * come from the config snapshot in force, and the key found rides along the request.
 */
@Injectable()
export class KeyAccess {
  private readonly logger = new Logger('Keys');
  private readonly gate: KeyGate;

  constructor(@Inject(ROUTING_SOURCE) routing: RoutingSource, @Inject(RATE_LIMITER) limiter: RateLimiter) {
    this.gate = new KeyGate(() => routing.current().config.keys, limiter, (message) => this.logger.warn(message));
  }

  /** Authenticates and, for a model request, authorizes and counts it. Returns the key (undefined when open). */
  async admit(request: FastifyRequest, model: string | undefined, countRequest: boolean): Promise<ApiKeyConfig | undefined> {
    const key = this.gate.authenticate(request.headers);
    if (key === undefined) return undefined;
    (request as unknown as Record<symbol, ApiKeyConfig>)[KEY_ON_REQUEST] = key;
    await this.gate.authorize(key, model, countRequest);
    return key;
  }

  /** Tokens the upstream reported for a finished request count against its key's budget. */
  recordTokens(key: ApiKeyConfig | undefined, tokens: number): void {
    this.gate.recordTokens(key, tokens);
  }

  /** The models a key may see in /v1/models. */
  allowsModel(request: FastifyRequest, model: string): boolean {
    const key = (request as unknown as Record<symbol, ApiKeyConfig | undefined>)[KEY_ON_REQUEST];
    return key === undefined || keyAllowsModel(key, model);
  }
}
