import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from './class-validator-parts';
import { PROVIDER_KINDS } from '@turnout/providers';
import { DEFAULT_CIRCUIT, DEFAULT_LIMITS, DEFAULT_PING_INTERVAL_MS, DEFAULT_RETRIES, DEFAULT_TIMEOUTS, type TurnoutConfig } from './turnout-config';
import { TurnoutConfigDto } from './turnout-config.dto';
import { baseUrlProblem } from './base-url-check';

/** A config document that cannot be used; the message names the first offending field. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Validates a parsed config document (from YAML now, from Redis later: same rules) and returns
 * the frozen, defaulted config. Throws ConfigError with one readable line naming the field.
 */
export function validateConfig(document: unknown): TurnoutConfig {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ConfigError('config must be a mapping with `providers` and `routes`');
  }
  const dto = plainToInstance(TurnoutConfigDto, document);
  const errors = validateSync(dto, { forbidUnknownValues: true, whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new ConfigError(describeFirst(errors));
  checkCrossReferences(dto);
  return freeze(dto);
}

function checkCrossReferences(dto: TurnoutConfigDto): void {
  const keyIds = new Set<string>();
  const keyHashes = new Set<string>();
  (dto.keys ?? []).forEach((key, index) => {
    if (keyIds.has(key.id)) throw new ConfigError(`keys[${index}].id: duplicate key id "${key.id}"`);
    if (keyHashes.has(key.sha256)) throw new ConfigError(`keys[${index}].sha256: the same key is configured twice`);
    keyIds.add(key.id);
    keyHashes.add(key.sha256);
  });
  const seen = new Set<string>();
  dto.providers.forEach((provider, index) => {
    if (seen.has(provider.id)) throw new ConfigError(`providers[${index}].id: duplicate provider id "${provider.id}"`);
    seen.add(provider.id);
    const kind = PROVIDER_KINDS[provider.kind];
    const urlProblem = baseUrlProblem(provider.base_url, kind);
    if (urlProblem) throw new ConfigError(`providers[${index}].base_url: ${urlProblem}`);
    if (provider.messages === 'translate' && !kind.protocols.some((p) => p !== 'anthropic-messages')) {
      throw new ConfigError(`providers[${index}].messages: kind ${provider.kind} speaks only Anthropic Messages, so it cannot be translated to`);
    }
    if (provider.translate_to && !kind.protocols.includes(provider.translate_to)) {
      const spoken = kind.protocols.filter((p) => p !== 'anthropic-messages').join(', ') || 'none';
      throw new ConfigError(`providers[${index}].translate_to: kind ${provider.kind} does not speak ${provider.translate_to} (it speaks: ${spoken})`);
    }
  });
  dto.routes.forEach((route, index) => {
    if (route.match === undefined && route.models === undefined && route.model_regex === undefined) {
      throw new ConfigError(`routes[${index}]: needs a model rule: match, models or model_regex`);
    }
    if ((route.provider === undefined) === (route.targets === undefined)) {
      throw new ConfigError(`routes[${index}]: give either provider (one target) or targets (replicas), not ${route.provider === undefined ? 'neither' : 'both'}`);
    }
    if (route.targets && route.model !== undefined) throw new ConfigError(`routes[${index}].model: with targets, give each target its model`);
    if (route.model_regex !== undefined) {
      try {
        new RegExp(route.model_regex);
      } catch (error) {
        throw new ConfigError(`routes[${index}].model_regex: not a valid regular expression (${(error as Error).message})`);
      }
    }
    const targetProviders = route.targets ? route.targets.map((t) => t.provider) : [route.provider as string];
    targetProviders.forEach((providerId, at) => {
      if (!seen.has(providerId)) {
        const where = route.targets ? `routes[${index}].targets[${at}].provider` : `routes[${index}].provider`;
        throw new ConfigError(`${where}: unknown provider "${providerId}" (configured: ${[...seen].join(', ')})`);
      }
    });
    (route.fallbacks ?? []).forEach((fallback, at) => {
      // `provider` or `provider/model` (model names may hold slashes: only the first one splits).
      const providerId = fallback.split('/', 1)[0] as string;
      if (!seen.has(providerId)) throw new ConfigError(`routes[${index}].fallbacks[${at}]: unknown provider "${providerId}" (configured: ${[...seen].join(', ')})`);
    });
  });
}

function describeFirst(errors: readonly ValidationError[], path = ''): string {
  for (const error of errors) {
    const here = /^\d+$/.test(error.property) ? `${path}[${error.property}]` : path ? `${path}.${error.property}` : error.property;
    if (error.constraints) {
      const message = Object.values(error.constraints)[0] ?? 'is invalid';
      if (error.constraints.whitelistValidation) return `${here}: unknown field`;
      // class-validator messages start with the property name; keep them readable with the full path.
      return `${here}: ${message.replace(new RegExp(`^${error.property} `), '')}`;
    }
    if (error.children && error.children.length > 0) return describeFirst(error.children, here);
  }
  return 'config is invalid';
}

function freeze(dto: TurnoutConfigDto): TurnoutConfig {
  return deepFreeze({
    providers: dto.providers.map((p) => ({
      id: p.id,
      kind: p.kind,
      baseUrl: p.base_url.replace(/\/+$/, ''),
      messages: p.messages ?? 'auto',
      apiKeyEnv: p.api_key_env,
      timeouts: {
        connectMs: p.timeouts?.connect_ms ?? DEFAULT_TIMEOUTS.connectMs,
        firstByteMs: p.timeouts?.first_byte_ms ?? DEFAULT_TIMEOUTS.firstByteMs,
        idleMs: p.timeouts?.idle_ms ?? DEFAULT_TIMEOUTS.idleMs,
        ...(p.timeouts?.total_ms === undefined ? {} : { totalMs: p.timeouts.total_ms }),
      },
      translateTo: p.translate_to,
      contextWindow: p.context_window,
      betas: withoutUndefined({ allow: p.betas?.allow, deny: p.betas?.deny }),
      hygiene: withoutUndefined({
        stripBillingHeader: p.hygiene?.strip_billing_header,
        foldSystemMessages: p.hygiene?.fold_system_messages,
        dropCacheControl: p.hygiene?.drop_cache_control,
        dropFields: p.hygiene?.drop_fields,
        dropForeignThinking: p.hygiene?.drop_foreign_thinking,
        toolIdFormat: p.hygiene?.tool_id_format,
      }),
      limits: {
        maxInFlight: p.limits?.max_in_flight ?? DEFAULT_LIMITS.maxInFlight,
        maxQueue: p.limits?.max_queue ?? DEFAULT_LIMITS.maxQueue,
        maxWaitMs: p.limits?.max_wait_ms ?? DEFAULT_LIMITS.maxWaitMs,
      },
      circuit: {
        failureThreshold: p.circuit?.failure_threshold ?? DEFAULT_CIRCUIT.failureThreshold,
        cooldownMs: p.circuit?.cooldown_ms ?? DEFAULT_CIRCUIT.cooldownMs,
        minRequests: p.circuit?.min_requests ?? DEFAULT_CIRCUIT.minRequests,
        windowMs: p.circuit?.window_ms ?? DEFAULT_CIRCUIT.windowMs,
      },
      retries: {
        maxAttempts: p.retries?.max_attempts ?? DEFAULT_RETRIES.maxAttempts,
        baseDelayMs: p.retries?.base_delay_ms ?? DEFAULT_RETRIES.baseDelayMs,
        maxDelayMs: p.retries?.max_delay_ms ?? DEFAULT_RETRIES.maxDelayMs,
      },
      onDisconnect: p.on_disconnect ?? 'abort',
      // Only Anthropic's API runs the safeguards classifier; anyone else would ignore the field.
      safeguards: p.safeguards ?? (p.kind === 'anthropic' ? 'passthrough' : 'synthesize'),
    })),
    keys: (dto.keys ?? []).map((k) => ({
      id: k.id,
      sha256: k.sha256,
      models: k.models,
      requestsPerMinute: k.requests_per_minute,
      tokensPerMinute: k.tokens_per_minute,
      ...(k.budget === undefined ? {} : { budget: { ...k.budget } }),
    })),
    prices: (dto.prices ?? []).map((p) => ({ model: p.model, inputUsdPerMtok: p.input_usd_per_mtok, outputUsdPerMtok: p.output_usd_per_mtok })),
    routes: dto.routes.map((r, index) => ({
      ...routeRules(r, index),
      pingIntervalMs: r.ping_interval_ms ?? DEFAULT_PING_INTERVAL_MS,
      fallbacks: r.fallbacks ?? [],
      commit: r.commit ?? 'first-event',
    })),
  });
}

/** A route's model rule, conditions and targets in their frozen, camelCase form. */
function routeRules(r: TurnoutConfigDto['routes'][number], index: number) {
  const targets = r.targets
    ? r.targets.map((t) => ({ provider: t.provider, model: t.model, weight: t.weight ?? 1 }))
    : [{ provider: r.provider as string, model: r.model, weight: 1 }];
  const match = r.match ?? (r.models ? r.models.join('|') : `/${r.model_regex}/`);
  const when = r.when;
  return {
    name: r.name ?? `#${index} ${match}`,
    match,
    models: [...(r.match === undefined ? [] : [r.match]), ...(r.models ?? [])],
    modelRegex: r.model_regex,
    when:
      when === undefined
        ? undefined
        : withoutUndefined({
            thinking: when.thinking,
            inputTokensOver: when.input_tokens_over,
            images: when.images,
            tool: when.tool,
            header: when.header ? withoutUndefined({ name: when.header.name.toLowerCase(), value: when.header.value }) : undefined,
            session: when.session,
          }),
    provider: (targets[0] as { provider: string }).provider,
    model: (targets[0] as { model: string | undefined }).model,
    targets,
    balance: r.balance ?? 'weighted',
    affinity: r.affinity ?? (targets.length > 1 ? 'session' : 'none'),
  };
}

/** Optional YAML keys stay absent rather than present-and-undefined, so `{...defaults, ...overrides}` works. */
function withoutUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
