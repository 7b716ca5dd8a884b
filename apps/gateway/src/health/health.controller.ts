import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { ConfigStore } from '@turnout/config-store';
import { CONFIG_STORE } from '../config/routing-source';

/**
 * Liveness (`/health`: the process serves HTTP; its pid tells `--workers` processes apart) and readiness (`/ready`: it has a routing config
 * to serve with, and says where it comes from and whether Redis is connected).
 */
@Controller()
export class HealthController {
  constructor(@Inject(CONFIG_STORE) private readonly store: ConfigStore) {}

  @Get('health')
  health(): { status: 'ok'; pid: number } {
    return { status: 'ok', pid: process.pid };
  }

  @Get('ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const readiness = this.store.readiness();
    const revision = readiness.ready ? this.store.current().revision : null;
    await reply.status(readiness.ready ? 200 : 503).send({ ready: readiness.ready, source: readiness.source, revision, detail: readiness.detail });
  }
}
