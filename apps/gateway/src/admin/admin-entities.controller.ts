import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { Audited, AuditWrites } from './audit-writes.interceptor';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '@turnout/errors';
import type { ConfigStore } from '@turnout/config-store';
import { CONFIG_STORE } from '../config/routing-source';
import { actor, sendDocument } from './admin-config.controller';
import { AdminTokenGuard } from './admin-token.guard';
import { adminCall, ifMatchRevision } from './config-store-failure';
import { refuseDisallowedApiKeyEnv } from './api-key-env-check';
import { GATEWAY_ENV, type GatewayEnv } from '../env/gateway-env';

interface RawConfig {
  providers: Array<Record<string, unknown>>;
  routes: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

/**
 * Single providers and routes, edited as read-modify-write on the whole document: the store's
 * compare-and-set makes each edit atomic (If-Match optional; without it the revision just read
 * is the one expected, so two concurrent edits still cannot silently overwrite each other), and
 * the whole document is validated, so deleting a provider a route still uses is refused.
 */
@Controller('admin')
@UseGuards(AdminTokenGuard)
@UseInterceptors(AuditWrites)
export class AdminEntitiesController {
  constructor(
    @Inject(CONFIG_STORE) private readonly store: ConfigStore,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  @Get('providers')
  providers(): { data: unknown[] } {
    return { data: this.document().config.providers };
  }

  @Get('providers/:id')
  provider(@Param('id') id: string): unknown {
    const found = this.document().config.providers.find((p) => p.id === id);
    if (!found) throw new GatewayError('GW_NOT_FOUND', { message: `provider "${id}" is not configured` });
    return found;
  }

  @Put('providers/:id')
  @Audited('provider.put')
  async putProvider(@Param('id') id: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const provider = objectBody(body);
    if (provider.id !== undefined && provider.id !== id) throw new GatewayError('GW_INVALID_REQUEST', { message: `id: the body says "${String(provider.id)}" but the path says "${id}"` });
    await this.edit(request, reply, (config) => {
      const index = config.providers.findIndex((p) => p.id === id);
      const next = { ...provider, id };
      if (index === -1) config.providers.push(next);
      else config.providers[index] = next;
    });
  }

  @Delete('providers/:id')
  @Audited('provider.delete')
  async deleteProvider(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.edit(request, reply, (config) => {
      const index = config.providers.findIndex((p) => p.id === id);
      if (index === -1) throw new GatewayError('GW_NOT_FOUND', { message: `provider "${id}" is not configured` });
      config.providers.splice(index, 1);
    });
  }

  @Get('routes')
  routes(): { data: unknown[] } {
    return { data: this.document().config.routes };
  }

  /** Appends a route, or inserts it at `?at=N` (routes are ordered: first match wins). */
  @Post('routes')
  @Audited('route.add')
  @HttpCode(200)
  async addRoute(@Body() body: unknown, @Query('at') at: string | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const route = objectBody(body);
    await this.edit(request, reply, (config) => {
      const index = at === undefined ? config.routes.length : routeIndex(at, config.routes.length + 1);
      config.routes.splice(index, 0, route);
    });
  }

  @Put('routes/:index')
  @Audited('route.put')
  async putRoute(@Param('index') indexText: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const route = objectBody(body);
    await this.edit(request, reply, (config) => {
      config.routes[routeIndex(indexText, config.routes.length)] = route;
    });
  }

  @Delete('routes/:index')
  @Audited('route.delete')
  async deleteRoute(@Param('index') indexText: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.edit(request, reply, (config) => {
      config.routes.splice(routeIndex(indexText, config.routes.length), 1);
    });
  }

  private document(): { revision: number; config: RawConfig } {
    const snapshot = this.store.current();
    return { revision: snapshot.revision, config: structuredClone(snapshot.document.config) as RawConfig };
  }

  private async edit(request: FastifyRequest, reply: FastifyReply, change: (config: RawConfig) => void): Promise<void> {
    const { revision, config } = await adminCall(async () => this.document());
    const expected = ifMatchRevision(request.headers['if-match']) ?? revision;
    change(config);
    refuseDisallowedApiKeyEnv(config, this.env.limits.apiKeyEnvAllow);
    const snapshot = await adminCall(() => this.store.replace(config, expected, actor(request)));
    await sendDocument(reply, snapshot, 200);
  }
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new GatewayError('GW_INVALID_REQUEST', { message: 'body: must be a JSON object' });
  return body as Record<string, unknown>;
}

function routeIndex(text: string, size: number): number {
  const index = Number(text);
  if (!Number.isInteger(index) || index < 0 || index >= size) {
    throw new GatewayError('GW_NOT_FOUND', { message: `route index ${text} does not exist (there are ${size === 0 ? 'no routes' : `routes 0 to ${size - 1}`})` });
  }
  return index;
}
