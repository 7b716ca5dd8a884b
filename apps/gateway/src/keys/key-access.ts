import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { costUsd, KeyGate, KeyRegistry, keyAllowsModel, type GatewayKey, type RateLimiter, type UsageStore } from '@turnout/access';
import { ROUTING_SOURCE, type RoutingSource } from '../config/routing-source';
import { RATE_LIMITER, USAGE_STORE } from './keys-tokens';
import { GatewayError } from '@turnout/errors';

/** Where the authenticated key rides along the request (for logs, metrics and token accounting). */
const KEY_ON_REQUEST = Symbol('turnout.apiKey');

/**
 * The Nest face of the gateway's API keys (the rules are `KeyGate`'s, in libs/access): keys
 * come from the config snapshot in force and the key store (KeyRegistry), and the key found rides along the request.
 */
@Injectable()
export class KeyAccess {
  private readonly logger = new Logger('Keys');
  private readonly gate: KeyGate;

  constructor(
    private readonly registry: KeyRegistry,
    @Inject(RATE_LIMITER) limiter: RateLimiter,
    @Inject(USAGE_STORE) usage: UsageStore,
    @Inject(ROUTING_SOURCE) private readonly routing: RoutingSource,
  ) {
    this.gate = new KeyGate(() => registry.gatewayKeys(), limiter, (message) => this.logger.warn(message), usage);
  }

  /**
   * Finds the key the client presented, or throws 401. Called in the earliest hook, before the
   * body is read, so an unauthenticated client costs no body parsing; the key rides along.
   */
  authenticate(request: FastifyRequest): GatewayKey | undefined {
    if (this.registry.keysUnknown()) {
      throw new GatewayError('GW_CONFIG_UNAVAILABLE', { message: 'the gateway keys could not be read from Redis yet; refusing rather than running open' });
    }
    const key = this.gate.authenticate(request.headers);
    if (key !== undefined) this.registry.touch(key.id);
    (request as unknown as Record<symbol, GatewayKey | null>)[KEY_ON_REQUEST] = key ?? null;
    return key;
  }

  /** For a model request: authorizes and counts it (authenticating first if no hook did). Returns the key (undefined when open). */
  async admit(request: FastifyRequest, model: string | undefined, countRequest: boolean): Promise<GatewayKey | undefined> {
    const found = (request as unknown as Record<symbol, GatewayKey | null | undefined>)[KEY_ON_REQUEST];
    const key = found === undefined ? this.authenticate(request) : (found ?? undefined);
    if (key === undefined) return undefined;
    await this.gate.authorize(key, model, countRequest);
    return key;
  }

  /**
   * A finished request in its key's usage (daily buckets, budgets); returns its cost in USD by
   * the config's price table for the requested model (0 without a matching price).
   */
  recordUsage(key: GatewayKey, model: string, inputTokens: number, outputTokens: number): number {
    const cost = costUsd(this.routing.current().config.prices, model, inputTokens, outputTokens);
    this.gate.recordUsage(key, inputTokens, outputTokens, cost);
    return cost;
  }

  /** Tokens the upstream reported for a finished request count against its key's per-minute limit. */
  recordTokens(key: GatewayKey | undefined, tokens: number): void {
    this.gate.recordTokens(key, tokens);
  }

  /** The models a key may see in /v1/models. */
  allowsModel(request: FastifyRequest, model: string): boolean {
    const key = (request as unknown as Record<symbol, GatewayKey | null | undefined>)[KEY_ON_REQUEST];
    return key === undefined || key === null || keyAllowsModel(key, model);
  }
}
