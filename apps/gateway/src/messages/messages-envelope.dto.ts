// Decorator metadata needs the Reflect polyfill wherever the DTOs load (the CLI validates configs
// without Nest).
import 'reflect-metadata';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  Min,
  MinLength,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';

const ROLES = ['user', 'assistant', 'system'];

/**
 * Each message needs a known role and string-or-array content. Blocks inside are not checked
 * here: translators tolerate unknown block types by rule (ARCHITECTURE.md), and a per-block
 * validator on 100k-message arrays would cost more than the request is worth.
 */
function IsMessageList(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isMessageList',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => Array.isArray(value) && value.every((m) => describeMessageProblem(m) === undefined),
        defaultMessage: (args) => {
          const list = args?.value as unknown;
          if (!Array.isArray(list)) return 'messages: must be an array';
          const index = list.findIndex((m) => describeMessageProblem(m) !== undefined);
          return `messages.${index}.${describeMessageProblem(list[index])}`;
        },
      },
    });
}

/** Why one message is not `{role, content}` with a known role; undefined when it is. */
export function describeMessageProblem(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return 'must be an object with role and content';
  const { role, content } = message as { role?: unknown; content?: unknown };
  if (typeof role !== 'string' || !ROLES.includes(role)) return `role: must be one of ${ROLES.map((r) => `'${r}'`).join(', ')}`;
  if (typeof content !== 'string' && !Array.isArray(content)) return 'content: must be a string or an array of content blocks';
  return undefined;
}

/** Top-level fields every `/v1/messages/count_tokens` body needs. */
export class CountTokensEnvelopeDto {
  @IsString({ message: 'model: must be a string' }) @MinLength(1, { message: 'model: must not be empty' })
  model!: string;

  @IsArray({ message: 'messages: must be an array' })
  @ArrayMaxSize(100_000, { message: 'messages: at most 100000 messages' })
  @IsMessageList()
  messages!: unknown[];

  @IsOptional() @IsStringOrList({ message: 'system: must be a string or an array of text blocks' })
  system?: unknown;

  @IsOptional() @IsArray({ message: 'tools: must be an array' }) @ArrayMaxSize(10_000, { message: 'tools: at most 10000 tools' })
  tools?: unknown[];

  @IsOptional() @IsObject({ message: 'tool_choice: must be an object' })
  tool_choice?: unknown;

  @IsOptional() @IsObject({ message: 'thinking: must be an object' })
  thinking?: unknown;
}

/** The optional top-level fields checked for their type (the rest pass through untouched). */
export const ENVELOPE_OPTIONAL_FIELDS = ['stream', 'system', 'tools', 'tool_choice', 'thinking', 'metadata', 'stop_sequences', 'temperature', 'top_p', 'top_k'];

function IsStringOrList(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isStringOrList',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: { validate: (value: unknown) => typeof value === 'string' || (Array.isArray(value) && value.every((b) => typeof b === 'object' && b !== null)) },
    });
}

/** Top-level fields every `/v1/messages` body needs (the envelope); the rest is the translator's. */
export class MessagesEnvelopeDto extends CountTokensEnvelopeDto {
  @IsInt({ message: 'max_tokens: must be an integer' })
  @Min(1, { message: 'max_tokens: must be at least 1' })
  @Max(100_000_000, { message: 'max_tokens: is too large' })
  max_tokens!: number;

  @IsOptional() @IsBoolean({ message: 'stream: must be a boolean' })
  stream?: boolean;

  @IsOptional() @IsObject({ message: 'metadata: must be an object' })
  metadata?: unknown;

  @IsOptional() @IsArray({ message: 'stop_sequences: must be an array of strings' }) @IsString({ each: true, message: 'stop_sequences: must be an array of strings' })
  stop_sequences?: unknown[];

  @IsOptional() @IsNumber({}, { message: 'temperature: must be a number' })
  temperature?: number;

  @IsOptional() @IsNumber({}, { message: 'top_p: must be a number' })
  top_p?: number;

  @IsOptional() @IsInt({ message: 'top_k: must be an integer' })
  top_k?: number;
}
