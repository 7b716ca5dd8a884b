import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { Audited, AuditWrites } from './audit-writes.interceptor';
import { KeyRegistry, type CreatedKey, type KeyView, type UsageBucket, type UsageStore } from '@turnout/access';
import { GATEWAY_ENV, type GatewayEnv } from '../env/gateway-env';
import { USAGE_STORE } from '../keys/keys-tokens';
import { AdminTokenGuard } from './admin-token.guard';
import { GatewayError } from '@turnout/errors';

/**
 * The key lifecycle API (KEYS-API.md, shared with the web console): the secret leaves the
 * gateway once, in the answer to create or rotate; every other answer is a KeyView.
 */
@Controller('admin/keys')
@UseGuards(AdminTokenGuard)
@UseInterceptors(AuditWrites)
export class AdminKeysController {
  constructor(
    @Inject(KeyRegistry) private readonly registry: KeyRegistry,
    @Inject(USAGE_STORE) private readonly usage: UsageStore,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  @Post()
  @Audited('keys.create')
  @HttpCode(201)
  create(@Body() body: unknown): Promise<CreatedKey> {
    return keysCall(() => this.registry.create(body));
  }

  @Get()
  async list(): Promise<{ data: KeyView[] }> {
    return { data: await this.registry.list() };
  }

  @Get(':id')
  show(@Param('id') id: string): Promise<KeyView> {
    return this.registry.show(id);
  }

  /** Daily buckets (UTC), oldest first, today last; `days` from 1 to TURNOUT_USAGE_DAYS (default 7). */
  @Get(':id/usage')
  async usageOf(@Param('id') id: string, @Query('days') daysText: string | undefined): Promise<{ data: UsageBucket[] }> {
    const max = this.env.limits.usageDays;
    const days = daysText === undefined ? Math.min(7, max) : Number(daysText);
    if (!/^\d+$/.test(daysText ?? '7') || days < 1 || days > max) throw new GatewayError('GW_INVALID_REQUEST', { message: `days: an integer from 1 to ${max} (TURNOUT_USAGE_DAYS)` });
    await this.registry.show(id);
    return { data: await keysCall(() => this.usage.daily(id, days, Date.now())) };
  }

  @Post(':id/revoke')
  @Audited('keys.revoke')
  @HttpCode(200)
  revoke(@Param('id') id: string): Promise<KeyView> {
    return keysCall(() => this.registry.revoke(id));
  }

  @Post(':id/rotate')
  @Audited('keys.rotate')
  @HttpCode(200)
  rotate(@Param('id') id: string): Promise<CreatedKey> {
    return keysCall(() => this.registry.rotate(id));
  }
}

/** A store failure (Redis did not answer within its command timeout) as a 503 saying nothing was written. */
async function keysCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new GatewayError('GW_CONFIG_STORE_UNAVAILABLE', { message: `the key store (Redis) did not answer (${(error as Error).message}); nothing was written or read` });
  }
}
