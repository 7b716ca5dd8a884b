import { Body, Controller, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ConfigStore } from '@turnout/config-store';
import type { AnthropicRequest } from '@turnout/protocol';
import { TargetRunner } from '../messages/target-runner';
import { RequestRouter } from '../routing/request-router';
import { CONFIG_STORE } from '../config/routing-source';
import { AdminTokenGuard } from './admin-token.guard';
import { ExplainDto } from './admin-bodies.dto';
import { validateAdminBody } from './validate-body';

export interface RouteExplanation {
  readonly model: string;
  readonly revision: number;
  readonly route_index: number;
  readonly route_name: string;
  readonly route: string;
  readonly replica: number;
  readonly replica_why: string;
  readonly provider: string;
  readonly kind: string;
  readonly base_url: string;
  readonly mode: string;
  readonly mode_reason: string;
  readonly protocol: string;
  readonly upstream_model: string;
  /** The target's context window, when known, and the prompt's size as the check measured it. */
  readonly context_window: number | null;
  readonly input_tokens: number | null;
  /** Whether the request would be refused before any prefill ("prompt is too long"), and why. */
  readonly window_check: string;
  readonly why: string;
}

/** `POST /admin/routes/explain`: where a request body (at least `{model}`) would go, and why. */
@Controller('admin/routes/explain')
@UseGuards(AdminTokenGuard)
export class AdminExplainController {
  constructor(
    private readonly router: RequestRouter,
    private readonly runner: TargetRunner,
    @Inject(CONFIG_STORE) private readonly store: ConfigStore,
  ) {}

  /**
   * The body is a Messages request (at least `{model}`); headers named `x-explain-<name>` are
   * read as the request's header `<name>` (e.g. `x-explain-x-claude-code-session-id`), so header
   * rules and session affinity can be explained too.
   */
  @Post()
  @HttpCode(200)
  async explain(@Body() body: unknown, @Req() request: FastifyRequest): Promise<RouteExplanation> {
    const { model } = validateAdminBody(ExplainDto, body, true);
    const headers: Record<string, string | string[] | undefined> = {};
    for (const [name, value] of Object.entries(request.headers)) if (name.startsWith('x-explain-')) headers[name.slice('x-explain-'.length)] = value;
    const asRequest = { max_tokens: 1, messages: [], ...(body as object), model } as unknown as AnthropicRequest;
    const routed = await this.router.route(asRequest, headers, AbortSignal.timeout(5_000));
    const decision = routed.decision;
    const rewritten = decision.upstreamModel === model ? 'sent as is' : `sent as "${decision.upstreamModel}"`;
    const window = await this.runner.windowVerdict(decision, routed.tokens);
    return {
      model,
      revision: this.store.current().revision,
      route_index: decision.routeIndex,
      route_name: decision.route.name,
      route: decision.route.match,
      replica: decision.targetIndex,
      replica_why: routed.replicaWhy,
      provider: decision.provider.id,
      kind: decision.kind.id,
      base_url: decision.provider.baseUrl,
      mode: decision.mode,
      mode_reason: decision.modeReason,
      protocol: decision.protocol,
      upstream_model: decision.upstreamModel,
      context_window: window.window ?? null,
      input_tokens: window.tokens ?? null,
      window_check: window.why,
      why: `route ${decision.routeIndex} ("${decision.route.name}") is the first whose model rule and conditions match "${model}"; replica ${decision.targetIndex}: ${routed.replicaWhy}; provider ${decision.provider.id} (${decision.kind.id}), ${decision.mode === 'native' ? 'passed through' : `translated to ${decision.protocol}`} (${decision.modeReason}); the model is ${rewritten}; ${window.why}`,
    };
  }
}
