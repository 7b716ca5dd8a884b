import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from './class-validator-parts';

/** A header condition: the header is present and its value matches the glob (`*` any run). */
export class HeaderConditionDto {
  @IsString() @MinLength(1) @MaxLength(128)
  name!: string;

  @IsOptional() @IsString() @MaxLength(512)
  value?: string;
}

/**
 * Request conditions of a route (issue 8): all must hold. A route without `when` matches on the
 * model name alone.
 */
export class RouteConditionsDto {
  /** Thinking asked for: `thinking.type: enabled`, or adaptive with effort high, max or xhigh. */
  @IsOptional() @IsBoolean()
  thinking?: boolean;

  /** Input tokens above this (the upstream's exact count where it can tokenize, else the estimate). */
  @IsOptional() @Max(100_000_000) @Min(1) @IsInt()
  input_tokens_over?: number;

  /** An image anywhere in the messages (tool results included). */
  @IsOptional() @IsBoolean()
  images?: boolean;

  /** A tool whose name matches this glob, e.g. `web_search*`. */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(128)
  tool?: string;

  @IsOptional() @ValidateNested() @Type(() => HeaderConditionDto)
  header?: HeaderConditionDto;

  /** A Claude Code session id is present (`x-claude-code-session-id`, or `metadata.user_id`'s session). */
  @IsOptional() @IsBoolean()
  session?: boolean;
}

/** One replica of a route: a provider (and the model name it is asked for), with a weight. */
export class RouteTargetDto {
  @IsString() @MinLength(1)
  provider!: string;

  @IsOptional() @IsString() @MinLength(1) @MaxLength(256)
  model?: string;

  @IsOptional() @Max(1_000) @Min(1) @IsInt()
  weight?: number;
}

export const BALANCE_MODES = ['weighted', 'least-in-flight'] as const;
export type BalanceMode = (typeof BALANCE_MODES)[number];
export const AFFINITY_MODES = ['session', 'none'] as const;
export type AffinityMode = (typeof AFFINITY_MODES)[number];

export const BALANCE_RULE = IsIn(BALANCE_MODES as unknown as string[], { message: `balance must be one of: ${BALANCE_MODES.join(', ')}` });
export const AFFINITY_RULE = IsIn(AFFINITY_MODES as unknown as string[], { message: `affinity must be one of: ${AFFINITY_MODES.join(', ')}` });
