import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { KeyAccess } from '../keys/key-access';
import { GatewayError } from '@turnout/errors';
import { ProviderRegistry } from '../providers/provider-registry';
import { ROUTING_SOURCE, type RoutingSource } from '../config/routing-source';
import { describeModel, listModels, pageModels, type ModelInfo, type ModelPage, type PageQuery, type ProbeFacts } from './model-catalog';

/**
 * `GET /v1/models` and `GET /v1/models/{id}` in Anthropic's shape. Claude Code calls it only
 * with gateway model discovery on, and keeps ids starting with `claude`; aliases do that.
 */
@Controller('v1/models')
export class ModelsController {
  constructor(
    @Inject(ROUTING_SOURCE) private readonly routing: RoutingSource,
    private readonly registry: ProviderRegistry,
    private readonly keys: KeyAccess,
  ) {}

  @Get()
  async list(@Query() query: PageQuery, @Req() request: FastifyRequest): Promise<ModelPage> {
    await this.keys.admit(request, undefined, false);
    // A key limited to some models sees only those.
    const visible = listModels(this.routing.current(), this.facts).filter((model) => this.keys.allowsModel(request, model.id));
    return pageModels(visible, query);
  }

  @Get(':id')
  async one(@Param('id') id: string, @Req() request: FastifyRequest): Promise<ModelInfo> {
    await this.keys.admit(request, id, false);
    const info = describeModel(this.routing.current(), this.facts, id);
    if (!info) throw new GatewayError('GW_NOT_FOUND', { message: `model: no route matches "${id}"` });
    return info;
  }

  private readonly facts: ProbeFacts = (providerId) => ({
    models: this.registry.probe(providerId)?.models,
    contextWindow: this.registry.contextWindowOf(providerId),
  });
}
