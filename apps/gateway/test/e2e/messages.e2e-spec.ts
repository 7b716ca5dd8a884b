import { startHarness, stopHarness, fixture, type Harness } from './gateway-harness';
import { chunkFrame, completion, DONE_FRAME, usageFrame } from './openai-chunks';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => stopHarness(h));
afterEach(() => {
  expect(h.upstream.unexpected).toEqual([]);
  expect(h.upstream.pending).toBe(0);
});

describe('POST /v1/messages through Turnout to an OpenAI-compatible upstream (SDK client)', () => {
  it('messages.create: real llama-server reply becomes an Anthropic Message', async () => {
    h.upstream.expect({ method: 'POST', path: '/v1/chat/completions' }).respond({
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: fixture('llama-server/chat-basic.response.json'),
    });
    const message = await h.client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 16,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    const upstreamReply = JSON.parse(fixture('llama-server/chat-basic.response.json'));
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content: [{ type: 'text', text: upstreamReply.choices[0].message.content }],
      stop_reason: 'max_tokens',
      stop_sequence: null,
    });
    expect(message.id).toMatch(/^msg_/);
    const cached = upstreamReply.usage.prompt_tokens_details?.cached_tokens ?? 0;
    expect(message.usage).toMatchObject({
      input_tokens: upstreamReply.usage.prompt_tokens - cached,
      cache_read_input_tokens: cached,
      output_tokens: upstreamReply.usage.completion_tokens,
    });

    const sent = h.upstream.requests.at(-1)!;
    const body = JSON.parse(sent.body);
    expect(body).toMatchObject({ model: 'big-model', max_tokens: 16, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello' }] });
    expect(body.stream).not.toBe(true);
    // The client's credential never reaches the upstream; the provider's own key does.
    expect(sent.headers['x-api-key']).toBeUndefined();
    expect(sent.headers.authorization).toBe('Bearer upstream-secret');
  });

  it('messages.stream().finalMessage(): real llama-server stream', async () => {
    const sse = fixture('llama-server/chat-stream-usage.response.sse');
    h.upstream.expect({ path: '/v1/chat/completions' }).respond({ frames: [sse] });
    const stream = h.client.messages.stream({ model: 'claude-haiku-5-5', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] });
    const message = await stream.finalMessage();
    const expectedText = sse
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .map((line) => JSON.parse(line.slice(6)))
      .map((chunk) => chunk.choices?.[0]?.delta?.content ?? '')
      .join('');
    expect(message.model).toBe('claude-haiku-5-5');
    expect(message.content).toEqual([{ type: 'text', text: expectedText, citations: null }]);
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    const body = JSON.parse(h.upstream.requests.at(-1)!.body);
    expect(body).toMatchObject({ model: 'small-model', stream: true, stream_options: { include_usage: true } });
  });

  it('a full tool-use round trip: streamed tool call, then the tool result goes back as a tool message', async () => {
    h.upstream.expect({ path: '/v1/chat/completions' }).respond({
      frames: [
        chunkFrame({ role: 'assistant', content: null }),
        chunkFrame({ content: 'Let me look.' }),
        chunkFrame({ tool_calls: [{ index: 0, id: 'call_abc', type: 'function', function: { name: 'Bash', arguments: '' } }] }),
        chunkFrame({ tool_calls: [{ index: 0, function: { arguments: '{"command":' } }] }),
        chunkFrame({ tool_calls: [{ index: 0, function: { arguments: '"ls -la"}' } }] }),
        chunkFrame({}, 'tool_calls'),
        usageFrame(120, 17),
        DONE_FRAME,
      ],
      frameDelayMs: 5,
    });
    const tools = [
      {
        name: 'Bash',
        description: 'Run a shell command',
        input_schema: { type: 'object' as const, properties: { command: { type: 'string' } }, required: ['command'] },
      },
    ];
    const first = await h.client.messages
      .stream({ model: 'claude-sonnet-4-6', max_tokens: 256, tools, messages: [{ role: 'user', content: 'List files' }] })
      .finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content).toEqual([
      { type: 'text', text: 'Let me look.', citations: null },
      { type: 'tool_use', id: 'call_abc', name: 'Bash', input: { command: 'ls -la' }, caller: { type: 'direct' } },
    ]);
    expect(first.usage).toMatchObject({ input_tokens: 120, output_tokens: 17 });
    const firstBody = JSON.parse(h.upstream.requests.at(-1)!.body);
    expect(firstBody.tools).toEqual([
      { type: 'function', function: { name: 'Bash', description: 'Run a shell command', parameters: tools[0]!.input_schema } },
    ]);

    h.upstream.expect({ path: '/v1/chat/completions' }).respond({ json: completion({ content: 'Two files.' }, 'stop', 150, 4) });
    const second = await h.client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 256,
      tools,
      messages: [
        { role: 'user', content: 'List files' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_abc', content: 'a.txt\nb.txt' }] },
      ],
    });
    expect(second.content).toEqual([{ type: 'text', text: 'Two files.', citations: null }]);
    expect(second.stop_reason).toBe('end_turn');
    const secondBody = JSON.parse(h.upstream.requests.at(-1)!.body);
    expect(secondBody.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: 'Let me look.',
        tool_calls: [{ id: 'call_abc', type: 'function', function: { name: 'Bash', arguments: '{"command":"ls -la"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_abc', content: 'a.txt\nb.txt' },
    ]);
  });

  it('thinking: reasoning_content becomes a thinking block before the text, with a signature', async () => {
    h.upstream.expect({ path: '/v1/chat/completions' }).respond({
      frames: [
        chunkFrame({ role: 'assistant', content: null }),
        chunkFrame({ reasoning_content: 'The user wants ' }),
        chunkFrame({ reasoning_content: 'a greeting.' }),
        chunkFrame({ content: 'Hello!' }),
        chunkFrame({}, 'stop'),
        usageFrame(30, 9),
        DONE_FRAME,
      ],
    });
    const events: string[] = [];
    const stream = h.client.messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 2048,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'Greet me' }],
    });
    stream.on('streamEvent', (event) => events.push(event.type));
    const message = await stream.finalMessage();
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'The user wants a greeting.', signature: '' },
      { type: 'text', text: 'Hello!', citations: null },
    ]);
    expect(message.stop_reason).toBe('end_turn');
    expect(events[0]).toBe('message_start');
    expect(events.at(-1)).toBe('message_stop');
    const body = JSON.parse(h.upstream.requests.at(-1)!.body);
    expect(body.chat_template_kwargs).toEqual({ enable_thinking: true });
  });

  it('thinking history goes back to the upstream as reasoning_content', async () => {
    h.upstream.expect({ path: '/v1/chat/completions' }).respond({ json: completion({ content: 'Done.' }, 'stop') });
    await h.client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      messages: [
        { role: 'user', content: 'Run it' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'I should run ls.', signature: '' },
            { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] },
      ],
    });
    const body = JSON.parse(h.upstream.requests.at(-1)!.body);
    expect(body.messages[1]).toMatchObject({ role: 'assistant', reasoning_content: 'I should run ls.' });
  });
});
