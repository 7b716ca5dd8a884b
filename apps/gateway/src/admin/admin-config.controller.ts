import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Req, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { Audited, AuditWrites } from './audit-writes.interceptor';
import { actor } from './admin-actor';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '@turnout/errors';
import type { ConfigDocument, ConfigSnapshot, ConfigStore } from '@turnout/config-store';
import { ConfigError, validateConfig } from '@turnout/config';
import { CONFIG_STORE } from '../config/routing-source';
import { AdminTokenGuard } from './admin-token.guard';
import { RollbackDto } from './admin-bodies.dto';
import { adminCall, ifMatchRevision } from './config-store-failure';
import { validateAdminBody } from './validate-body';
import { configWrite } from './config-envelope';
import { refuseDisallowedApiKeyEnv } from './api-key-env-check';
import { GATEWAY_ENV, type GatewayEnv } from '../env/gateway-env';

/**
 * The whole config document: read it (revision in the ETag), replace it (If-Match, 409 when
 * stale), dry-run it, list revisions, roll back. Writes record who made them from the
 * `x-turnout-actor` header when given (the token is shared, so this is a label, not an identity).
 */
@Controller('admin/config')
@UseGuards(AdminTokenGuard)
@UseInterceptors(AuditWrites)
export class AdminConfigController {
  constructor(
    @Inject(CONFIG_STORE) private readonly store: ConfigStore,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  @Get()
  async read(@Res() reply: FastifyReply): Promise<void> {
    const snapshot = await adminCall(async () => this.store.current());
    await sendDocument(reply, snapshot, 200);
  }

  @Put()
  @Audited('config.replace')
  async replace(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const write = configWrite(body, ifMatchRevision(request.headers['if-match']));
    refuseDisallowedApiKeyEnv(write.config, this.env.limits.apiKeyEnvAllow);
    const snapshot = await adminCall(() => this.store.replace(write.config, write.expectedRevision, actor(request)));
    await sendDocument(reply, snapshot, 200);
  }

  @Post('validate')
  @HttpCode(200)
  validate(@Body() body: unknown): { valid: true; providers: number; routes: number } {
    refuseDisallowedApiKeyEnv(body, this.env.limits.apiKeyEnvAllow);
    try {
      const config = validateConfig(body);
      return { valid: true, providers: config.providers.length, routes: config.routes.length };
    } catch (error) {
      if (error instanceof ConfigError) throw new GatewayError('GW_CONFIG_INVALID', { message: `config: ${error.message}` });
      throw error;
    }
  }

  @Get('history')
  async history(@Query('limit') limitText: string | undefined): Promise<{ data: Omit<ConfigDocument, 'config'>[] }> {
    const limit = limitText === undefined ? 20 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new GatewayError('GW_INVALID_REQUEST', { message: 'limit: must be an integer from 1 to 1000' });
    const documents = await adminCall(() => this.store.history(limit));
    return { data: documents.map(({ config: _config, ...meta }) => meta) };
  }

  /** One earlier revision whole (config included), so a reader can diff two revisions (the console's history). */
  @Get('history/:revision')
  async revision(@Param('revision') revisionText: string): Promise<ConfigDocument> {
    const revision = Number(revisionText);
    if (!Number.isSafeInteger(revision) || revision < 1) throw new GatewayError('GW_INVALID_REQUEST', { message: 'revision: must be a whole number from 1' });
    const documents = await adminCall(() => this.store.history(HISTORY_SEARCH_LIMIT));
    const found = documents.find((document) => document.revision === revision);
    if (!found) throw new GatewayError('GW_NOT_FOUND', { message: `revision ${revision} is not in the kept history (the last ${documents.length})` });
    return found;
  }

  @Post('rollback')
  @Audited('config.rollback')
  async rollback(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { revision } = validateAdminBody(RollbackDto, body);
    const snapshot = await adminCall(() => this.store.rollback(revision, actor(request) ?? `rollback to ${revision}`));
    await sendDocument(reply, snapshot, 200);
  }
}

/** The history endpoint's own upper bound on `limit`: the most revisions one lookup reads. */
const HISTORY_SEARCH_LIMIT = 1000;

export async function sendDocument(reply: FastifyReply, snapshot: ConfigSnapshot, status: number): Promise<void> {
  await reply.status(status).header('etag', `"${snapshot.revision}"`).send(snapshot.document);
}

/** Who made a write (moved beside the audit interceptor that reads it too). */
export { actor };
