/**
 * The scenarios the live suite sends three ways (direct to llama-server, through Turnout
 * `messages: native`, through `messages: translate`). The tiny model writes random ASCII words
 * and runs to max_tokens unless a stop sequence matches, so every request keeps max_tokens small
 * and the suite compares structure, usage and stop reasons, never text.
 */
export type ScenarioKind = 'messages' | 'count_tokens' | 'models';

export interface Scenario {
  readonly id: string;
  /** The row label in docs/compatibility.md. */
  readonly title: string;
  readonly kind: ScenarioKind;
  readonly stream?: boolean;
  /** The request body; `model` is filled in per target. */
  readonly body?: Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, string>>;
}

const user = (content: unknown) => ({ role: 'user', content });

const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'The weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

/** A 1x1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** Longer than the 2048-token context the suite starts llama-server with (about 2,400 tokens). */
const LONG_PROMPT = 'hello world '.repeat(1_200);

/**
 * 2,034 tokens: without max_tokens llama-server generates until its 2048-token context is full,
 * which with a short prompt is 2,000 tokens (a minute on a loaded 2-core machine); this leaves it 14.
 */
const NEAR_FULL_PROMPT = 'hello world '.repeat(1_012);

export const SCENARIOS: readonly Scenario[] = [
  { id: 'text-unary', title: 'text, unary', kind: 'messages', body: { max_tokens: 8, messages: [user('Hello')] } },
  { id: 'text-stream', title: 'text, stream', kind: 'messages', stream: true, body: { max_tokens: 8, messages: [user('Hello')] } },
  {
    id: 'system-string',
    title: 'system as a string',
    kind: 'messages',
    stream: true,
    body: { max_tokens: 6, system: 'You are terse.', messages: [user('Hi')] },
  },
  {
    id: 'system-blocks',
    title: 'system as blocks',
    kind: 'messages',
    stream: true,
    body: {
      max_tokens: 6,
      system: [
        { type: 'text', text: 'You are terse.' },
        { type: 'text', text: 'Answer in English.', cache_control: { type: 'ephemeral' } },
      ],
      messages: [user('Hi')],
    },
  },
  {
    id: 'multi-turn',
    title: 'multi-turn',
    kind: 'messages',
    body: {
      max_tokens: 6,
      messages: [user('Hi'), { role: 'assistant', content: 'Hello there.' }, user([{ type: 'text', text: 'And again?' }])],
    },
  },
  { id: 'max-tokens', title: 'max_tokens stop (4)', kind: 'messages', stream: true, body: { max_tokens: 4, messages: [user('Count to ten')] } },
  {
    id: 'stop-sequence-one',
    title: 'stop_sequences, one given',
    kind: 'messages',
    stream: true,
    body: { max_tokens: 16, stop_sequences: ['e'], messages: [user('Hello')] },
  },
  {
    id: 'stop-sequence-two',
    title: 'stop_sequences, two given',
    kind: 'messages',
    body: { max_tokens: 16, stop_sequences: ['e', 'q'], messages: [user('Hello')] },
  },
  ...(['auto', 'any', 'tool', 'none'] as const).map(
    (type): Scenario => ({
      id: `tools-${type}`,
      title: `tools, tool_choice ${type}`,
      kind: 'messages',
      stream: true,
      body: {
        max_tokens: 8,
        tools: [WEATHER_TOOL],
        tool_choice: type === 'tool' ? { type, name: WEATHER_TOOL.name } : { type },
        messages: [user('What is the weather in Paris?')],
      },
    }),
  ),
  {
    id: 'tool-result',
    title: 'tool_result round trip',
    kind: 'messages',
    body: {
      max_tokens: 8,
      tools: [WEATHER_TOOL],
      messages: [
        user('What is the weather in Paris?'),
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_live1', name: 'get_weather', input: { city: 'Paris' } }] },
        user([{ type: 'tool_result', tool_use_id: 'toolu_live1', content: 'Sunny, 21 C' }]),
      ],
    },
  },
  {
    id: 'thinking',
    title: 'thinking enabled',
    kind: 'messages',
    stream: true,
    body: { max_tokens: 8, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [user('Think about it')] },
  },
  {
    id: 'safeguards-stream',
    title: 'Claude Code auto mode (`safeguards`), stream',
    kind: 'messages',
    stream: true,
    headers: { 'anthropic-beta': 'dangerous-tool-use-2026-09-03' },
    body: {
      max_tokens: 6,
      tools: [WEATHER_TOOL],
      safeguards: [{ type: 'dangerous_tool_use', classifier_context: { permission_mode: 'auto' } }],
      messages: [user('Hi')],
    },
  },
  {
    id: 'safeguards-unary',
    title: 'Claude Code auto mode (`safeguards`), unary',
    kind: 'messages',
    headers: { 'anthropic-beta': 'dangerous-tool-use-2026-09-03' },
    body: {
      max_tokens: 6,
      tools: [WEATHER_TOOL],
      safeguards: [{ type: 'dangerous_tool_use', classifier_context: { permission_mode: 'auto' } }],
      messages: [user('Hi')],
    },
  },
  { id: 'count-tokens', title: 'count_tokens', kind: 'count_tokens', body: { system: 'You are terse.', tools: [WEATHER_TOOL], messages: [user('Hello')] } },
  { id: 'missing-max-tokens', title: 'missing max_tokens', kind: 'messages', body: { messages: [user(NEAR_FULL_PROMPT)] } },
  { id: 'bad-role', title: 'a bad role', kind: 'messages', body: { max_tokens: 4, messages: [{ role: 'robot', content: 'Hello' }] } },
  {
    id: 'image-no-vision',
    title: 'an image to a model without vision',
    kind: 'messages',
    body: {
      max_tokens: 4,
      messages: [user([{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }, { type: 'text', text: 'What is this?' }])],
    },
  },
  { id: 'context-overflow', title: 'a prompt longer than the context', kind: 'messages', body: { max_tokens: 4, messages: [user(LONG_PROMPT)] } },
  { id: 'models', title: '`GET /v1/models`', kind: 'models' },
];
