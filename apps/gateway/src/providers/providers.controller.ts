import { Controller, Get, Inject } from '@nestjs/common';
import { ROUTING_SOURCE, type RoutingSource } from '../config/routing-source';
import { ProviderRegistry, type ProviderStatus } from './provider-registry';

/**
 * `GET /v1/turnout/providers`: each upstream's kind, address, chosen mode and why, version seen
 * and whether it answered the last probe. Never a key: only the config's public parts.
 */
@Controller('v1/turnout/providers')
export class ProvidersController {
  constructor(
    @Inject(ROUTING_SOURCE) private readonly routing: RoutingSource,
    private readonly registry: ProviderRegistry,
  ) {}

  @Get()
  list(): { data: ProviderStatus[] } {
    return { data: this.registry.status(this.routing.current().config) };
  }
}
