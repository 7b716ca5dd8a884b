import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from './class-validator-parts';

/** Token and cost budgets of a key (UTC day and month); over one: 429 naming it and when it resets. */
export class KeyBudgetDto {
  @IsOptional() @Max(1e12) @Min(1) @IsInt()
  daily_tokens?: number;

  @IsOptional() @Max(1e12) @Min(1) @IsInt()
  monthly_tokens?: number;

  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1e12)
  daily_usd?: number;

  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1e12)
  monthly_usd?: number;
}

/**
 * A gateway API key (issue 6): stored as the SHA-256 of the key, never the key itself, so the
 * config file and Redis hold nothing a reader could use. `turnout keys new` makes one.
 */
export class ApiKeyDto {
  /** A label for logs and metrics; never the key. */
  @IsString() @Matches(/^[a-z0-9-]+$/, { message: 'id must match [a-z0-9-]+' }) @MaxLength(64)
  id!: string;

  /** Lower-case hex SHA-256 of the key. */
  @IsString() @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lower-case hex characters (the SHA-256 of the key)' })
  sha256!: string;

  /** Model names (globs) this key may use; absent: all. */
  @IsOptional() @IsArray() @ArrayMaxSize(1_000) @IsString({ each: true })
  models?: string[];

  @IsOptional() @Max(1_000_000) @Min(1) @IsInt()
  requests_per_minute?: number;

  /** Input + output tokens per minute, as the upstreams reported them. */
  @IsOptional() @Max(1_000_000_000) @Min(1) @IsInt()
  tokens_per_minute?: number;

  @IsOptional() @ValidateNested() @Type(() => KeyBudgetDto)
  budget?: KeyBudgetDto;
}

/** One line of the optional price table: the first whose glob matches the requested model prices it. */
export class ModelPriceDto {
  @IsString() @MaxLength(256)
  model!: string;

  /** US dollars per million input tokens. */
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1_000_000)
  input_usd_per_mtok!: number;

  /** US dollars per million output tokens. */
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1_000_000)
  output_usd_per_mtok!: number;
}
