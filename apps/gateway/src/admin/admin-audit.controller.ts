import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { GatewayError } from '@turnout/errors';
import type { AuditEntry, AuditLog } from '@turnout/config-store';
import { GATEWAY_ENV, type GatewayEnv } from '../env/gateway-env';
import { AdminTokenGuard } from './admin-token.guard';
import { AUDIT_LOG } from './audit-writes.interceptor';

/** `GET /admin/audit?limit=N`: the admin writes, newest first (KEYS-API.md). */
@Controller('admin/audit')
@UseGuards(AdminTokenGuard)
export class AdminAuditController {
  constructor(
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  @Get()
  async list(@Query('limit') limitText: string | undefined): Promise<{ data: AuditEntry[] }> {
    const max = this.env.limits.auditMaxEntries;
    const limit = limitText === undefined ? Math.min(50, max) : Number(limitText);
    if (!/^\d+$/.test(limitText ?? '1') || limit < 1 || limit > max) throw new GatewayError('GW_INVALID_REQUEST', { message: `limit: an integer from 1 to ${max} (TURNOUT_AUDIT_MAX_ENTRIES)` });
    try {
      return { data: await this.audit.list(limit) };
    } catch (error) {
      throw new GatewayError('GW_CONFIG_STORE_UNAVAILABLE', { message: `the audit log (Redis) did not answer (${(error as Error).message})` });
    }
  }
}
