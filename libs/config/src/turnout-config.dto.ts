// Decorator metadata needs the Reflect polyfill wherever the DTOs load (the CLI validates configs
// without Nest).
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from './class-validator-parts';
import { PROVIDER_KIND_IDS, type ProviderKindId } from '@turnout/providers';
import {
  CircuitConfigDto,
  COMMIT_RULE,
  ON_DISCONNECT_RULE,
  ProviderLimitsDto,
  RetryConfigDto,
  type CommitMode,
  type OnDisconnect,
} from './resilience-config.dto';
import { ApiKeyDto, ModelPriceDto } from './keys-config.dto';
import { AFFINITY_RULE, BALANCE_RULE, RouteConditionsDto, RouteTargetDto, type AffinityMode, type BalanceMode } from './route-rules.dto';

export const MESSAGES_MODES = ['native', 'translate', 'auto'] as const;
/** Who answers Claude Code's `safeguards` (auto mode) on passthrough: the upstream, or Turnout. */
export const SAFEGUARDS_MODES = ['passthrough', 'synthesize'] as const;
export type SafeguardsMode = (typeof SAFEGUARDS_MODES)[number];
export type MessagesMode = (typeof MESSAGES_MODES)[number];

export class ProviderTimeoutsDto {
  /** TCP/TLS connect. */
  @IsOptional() @IsInt() @Min(1) @Max(600_000)
  connect_ms?: number;

  /** Until the upstream's response headers: local prefill of a long prompt can take minutes. */
  @IsOptional() @IsInt() @Min(1) @Max(3_600_000)
  first_byte_ms?: number;

  /** Longest silence between two body chunks. */
  @IsOptional() @IsInt() @Min(1) @Max(3_600_000)
  idle_ms?: number;

  /** Whole exchange, first byte to last; unset: no limit (long generations are normal locally). */
  @IsOptional() @IsInt() @Min(1) @Max(86_400_000)
  total_ms?: number;
}

/** Per-value filter for the `anthropic-beta` header on passthrough (`*` globs allowed). */
export class BetaPolicyDto {
  /** When given, only these beta values reach the upstream. */
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true })
  allow?: string[];

  /** These beta values are removed (a strict upstream 400s on unknown betas). */
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true })
  deny?: string[];
}

export const TOOL_ID_FORMATS = ['keep', 'mistral9'] as const;

/** Overrides of the kind's request-hygiene defaults; every rule is switchable per provider. */
export class HygieneConfigDto {
  @IsOptional() @IsBoolean()
  strip_billing_header?: boolean;

  @IsOptional() @IsBoolean()
  fold_system_messages?: boolean;

  @IsOptional() @IsBoolean()
  drop_cache_control?: boolean;

  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true })
  drop_fields?: string[];

  @IsOptional() @IsBoolean()
  drop_foreign_thinking?: boolean;

  @IsOptional() @IsIn(TOOL_ID_FORMATS as unknown as string[], { message: `tool_id_format must be one of: ${TOOL_ID_FORMATS.join(', ')}` })
  tool_id_format?: (typeof TOOL_ID_FORMATS)[number];
}

export const TRANSLATION_TARGETS = ['openai-chat', 'ollama-chat'] as const;

export class ProviderConfigDto {
  @IsString() @Matches(/^[a-z0-9-]+$/, { message: 'id must match [a-z0-9-]+' }) @MaxLength(64)
  id!: string;

  @IsIn(PROVIDER_KIND_IDS as ProviderKindId[], { message: `kind must be one of: ${PROVIDER_KIND_IDS.join(', ')}` })
  kind!: ProviderKindId;

  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true }, { message: 'base_url must be an http(s) URL' })
  base_url!: string;

  @IsOptional() @IsIn(MESSAGES_MODES as unknown as string[], { message: `messages must be one of: ${MESSAGES_MODES.join(', ')}` })
  messages?: MessagesMode;

  @IsOptional() @IsString() @Matches(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'api_key_env must be an environment variable name' })
  api_key_env?: string;

  @IsOptional() @ValidateNested() @Type(() => ProviderTimeoutsDto)
  timeouts?: ProviderTimeoutsDto;

  /** Which protocol to translate to when not passing through; default: the kind's first choice. */
  @IsOptional() @IsIn(TRANSLATION_TARGETS as unknown as string[], { message: `translate_to must be one of: ${TRANSLATION_TARGETS.join(', ')}` })
  translate_to?: (typeof TRANSLATION_TARGETS)[number];

  /**
   * The model's context window in tokens, when the operator knows it better than the probe
   * (it overrides what `/props`, `/v1/models` or `/api/show` report). For Ollama's `/api/chat`
   * it is also the `num_ctx` sent with every request.
   */
  @IsOptional() @Max(10_000_000) @Min(512) @IsInt({ message: 'context_window must be an integer' })
  context_window?: number;

  @IsOptional() @ValidateNested() @Type(() => BetaPolicyDto)
  betas?: BetaPolicyDto;

  @IsOptional() @ValidateNested() @Type(() => HygieneConfigDto)
  hygiene?: HygieneConfigDto;

  @IsOptional() @ValidateNested() @Type(() => ProviderLimitsDto)
  limits?: ProviderLimitsDto;

  @IsOptional() @ValidateNested() @Type(() => CircuitConfigDto)
  circuit?: CircuitConfigDto;

  @IsOptional() @ValidateNested() @Type(() => RetryConfigDto)
  retries?: RetryConfigDto;

  /**
   * `synthesize` (default for every kind but `anthropic`): on passthrough, drop the request's
   * `safeguards` field and its beta, and answer with `safeguard_results` saying nothing was
   * evaluated. `passthrough`: send both on (an upstream that runs Anthropic's classifier).
   * Translated requests are always answered by Turnout: no other protocol has the field.
   */
  @IsOptional() @IsIn(SAFEGUARDS_MODES as unknown as string[], { message: `safeguards must be one of: ${SAFEGUARDS_MODES.join(', ')}` })
  safeguards?: SafeguardsMode;

  /** `drain`: when the client leaves, read the upstream's answer to its end instead of cutting it (servers that mishandle aborts). */
  @IsOptional() @ON_DISCONNECT_RULE
  on_disconnect?: OnDisconnect;
}

export class RouteConfigDto {
  /** A label for `x-turnout-route`, logs and explain; default `#<index> <match>`. */
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9._-]+$/, { message: 'name must match [A-Za-z0-9._-]+' }) @MaxLength(64)
  name?: string;

  /** Exact model name or a glob (`*` any run of characters, `?` one character). */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(256)
  match?: string;

  /** An alias list: exact names or globs; any one matching is enough. */
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1_000) @IsString({ each: true })
  models?: string[];

  /** A regular expression over the whole model name (anchored). */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(512)
  model_regex?: string;

  @IsOptional() @ValidateNested() @Type(() => RouteConditionsDto)
  when?: RouteConditionsDto;

  /** The provider, for a route with one target; `targets` for several replicas. */
  @IsOptional() @IsString() @MinLength(1)
  provider?: string;

  /** Replicas of the same model: one is chosen per request (`balance`), sticky per session (`affinity`). */
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(64) @ValidateNested({ each: true }) @Type(() => RouteTargetDto)
  targets?: RouteTargetDto[];

  @IsOptional() @BALANCE_RULE
  balance?: BalanceMode;

  @IsOptional() @AFFINITY_RULE
  affinity?: AffinityMode;

  /** Upstream model name; by default the requested one is sent. */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(256)
  model?: string;

  /** Send an Anthropic `ping` after this much upstream silence in a started stream. */
  @IsOptional() @IsInt() @Min(100) @Max(600_000)
  ping_interval_ms?: number;

  /** Further targets tried in order when one fails before anything reached the client: `provider` or `provider/model`. */
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true })
  fallbacks?: string[];

  /**
   * `first-event` (default): the 200 waits for the upstream's first event, so early failures are
   * real HTTP errors (and can fall back). `early`: commit the stream at once and ping during a
   * long prefill, for clients and proxies with short idle timeouts.
   */
  @IsOptional() @COMMIT_RULE
  commit?: CommitMode;
}

export class TurnoutConfigDto {
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => ProviderConfigDto)
  providers!: ProviderConfigDto[];

  @IsArray() @ValidateNested({ each: true }) @Type(() => RouteConfigDto)
  routes!: RouteConfigDto[];

  /** Gateway API keys; none: the gateway is open (and binds to loopback by default). */
  @IsOptional() @IsArray() @ArrayMaxSize(10_000) @ValidateNested({ each: true }) @Type(() => ApiKeyDto)
  keys?: ApiKeyDto[];

  /** Optional prices per model (globs, first match): `turnout_cost_usd_total` and USD budgets of keys. */
  @IsOptional() @IsArray() @ArrayMaxSize(1_000) @ValidateNested({ each: true }) @Type(() => ModelPriceDto)
  prices?: ModelPriceDto[];
}
