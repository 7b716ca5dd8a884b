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
  registerDecorator,
  type ValidationOptions,
} from '@turnout/config';
import { envelopeLimits } from './envelope-limits';

const ROLES = ['user', 'assistant', 'system'];

/**
 * Each message needs a known role and string-or-array content; each block must be an object
 * with a string `type` (a `null` block reached the translators and became a 500). Block types
 * and their fields are not checked here: translators tolerate unknown block types by rule
 * (ARCHITECTURE.md).
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
          const problem = describeMessageProblem(list[index]) as string;
          return problem.startsWith('must') ? `messages.${index}: ${problem}` : `messages.${index}.${problem}`;
        },
      },
    });
}

/** Why one message is not `{role, content}` with a known role; undefined when it is. */
export function describeMessageProblem(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return 'must be an object with role and content';
  const { role, content } = message as { role?: unknown; content?: unknown };
  if (typeof role !== 'string' || !ROLES.includes(role)) return `role: must be one of ${ROLES.map((r) => `'${r}'`).join(', ')}`;
  if (typeof content === 'string') return undefined;
  if (!Array.isArray(content)) return 'content: must be a string or an array of content blocks';
  const { maxContentBlocks } = envelopeLimits();
  if (content.length > maxContentBlocks) return `content: at most ${maxContentBlocks} content blocks`;
  for (let index = 0; index < content.length; index++) {
    const block: unknown = content[index];
    if (typeof block !== 'object' || block === null || Array.isArray(block)) return `content.${index}: must be an object with a type`;
    if (typeof (block as { type?: unknown }).type !== 'string') return `content.${index}.type: must be a string`;
  }
  return undefined;
}

/** Why one tool is not an object with a string `name`; undefined when it is. */
export function describeToolProblem(tool: unknown): string | undefined {
  if (typeof tool !== 'object' || tool === null || Array.isArray(tool)) return 'must be an object';
  const { name } = tool as { name?: unknown };
  if (name === undefined) return 'name: Field required';
  if (typeof name !== 'string' || name.length === 0) return 'name: must be a non-empty string';
  return undefined;
}

/** The model name is a routing key, a header value and a log field: bounded. */
export function describeModelProblem(model: unknown): string | undefined {
  if (typeof model !== 'string') return 'model: must be a string';
  if (model.length === 0) return 'model: must not be empty';
  const { maxModelNameLength } = envelopeLimits();
  if (model.length > maxModelNameLength) return `model: at most ${maxModelNameLength} characters`;
  return undefined;
}

function IsModelName(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isModelName',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => describeModelProblem(value) === undefined,
        defaultMessage: (args) => describeModelProblem(args?.value) ?? 'model: is invalid',
      },
    });
}

function IsToolList(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isToolList',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => !Array.isArray(value) || value.every((tool) => describeToolProblem(tool) === undefined),
        defaultMessage: (args) => {
          const list = args?.value as unknown[];
          const index = list.findIndex((tool) => describeToolProblem(tool) !== undefined);
          return `tools.${index}.${describeToolProblem(list[index])}`.replace(`tools.${index}.must`, `tools.${index}: must`);
        },
      },
    });
}

/** Top-level fields every `/v1/messages/count_tokens` body needs. */
export class CountTokensEnvelopeDto {
  @IsModelName()
  model!: string;

  @IsArray({ message: 'messages: must be an array' })
  @ArrayMaxSize(100_000, { message: 'messages: at most 100000 messages' })
  @IsMessageList()
  messages!: unknown[];

  @IsOptional() @IsStringOrList({ message: 'system: must be a string or an array of text blocks' })
  system?: unknown;

  @IsOptional() @IsArray({ message: 'tools: must be an array' }) @ArrayMaxSize(10_000, { message: 'tools: at most 10000 tools' }) @IsToolList()
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
