import cluster from 'node:cluster';
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '@turnout/errors';
import { GATEWAY_ENV, type GatewayEnv } from '../env/gateway-env';
import { bearerTokenMatches } from '../http/bearer-token';
import { GatewayMetrics } from '@turnout/observability';
import { WorkerMetrics } from '../cli/cluster-metrics';

/** `GET /metrics` in the Prometheus text format; behind a bearer token when TURNOUT_METRICS_TOKEN is set. */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: GatewayMetrics,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {
    // Under --workers, a scrape answers for every worker (the primary aggregates).
    this.workers = cluster.isWorker ? new WorkerMetrics(metrics.registry) : undefined;
  }

  private readonly workers: WorkerMetrics | undefined;

  @Get()
  async scrape(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (this.env.metricsToken && !bearerTokenMatches(request.headers.authorization, this.env.metricsToken)) {
      throw new GatewayError('GW_AUTHENTICATION', { message: 'GET /metrics needs Authorization: Bearer <TURNOUT_METRICS_TOKEN>' });
    }
    if (this.workers) {
      const text = await this.workers.aggregate().catch((error: Error) => {
        throw new GatewayError('GW_INTERNAL', { message: `metrics of the other workers: ${error.message}` });
      });
      await reply.header('content-type', this.workers.contentType).send(text);
      return;
    }
    const text = await this.metrics.registry.metrics();
    await reply.header('content-type', this.metrics.registry.contentType).send(text);
  }
}
