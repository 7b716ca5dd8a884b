import Anthropic from '@anthropic-ai/sdk';
import { ScriptedUpstream, startGatewayProcess, writeTempConfig, type GatewayProcess, type ScriptedReply } from '@turnout/testing';
import { PARITY_SCENARIOS, type ParityScenario } from '../e2e/parity-scenarios';
import type { Wire } from './wire-writers';

/** What a scripted server must do to behave like one provider kind (docs/protocol.md §9). */
export interface KindProfile {
  readonly kind: string;
  /** The auth header the kind's servers accept: the provider key must arrive in it, alone. */
  readonly auth: 'bearer' | 'x-api-key';
  /** Standing answers to the version probes, and the mode `auto` must pick from them. */
  readonly probes: ReadonlyArray<{ readonly method: 'GET' | 'POST'; readonly path: string; readonly reply: ScriptedReply }>;
  readonly autoMode: 'native' | 'translate';
  readonly translate?: {
    readonly path: string;
    readonly wire: Wire;
    /** Where thinking history goes back to the server (`none`: it is not sent). */
    readonly reasoningInput: 'reasoning_content' | 'reasoning' | 'thinking' | 'none';
    /** Where a tool result goes back: the role:"tool" message and its id field. */
    readonly toolResultIdField: 'tool_call_id' | 'tool_name';
  };
  readonly native?: {
    readonly wire: Wire;
    /** The Anthropic API rejects thinking it did not sign (`Invalid signature`): hygiene removes such blocks on the way. */
    readonly dropsForeignThinking?: boolean;
  };
  /** The kind's real error shape, and what the client must see. */
  readonly error: { readonly status: number; readonly body: unknown; readonly headers?: Record<string, string>; readonly expect: { readonly status: number; readonly type: string; readonly message?: RegExp } };
  /** How count_tokens is answered: the upstream's own counter, its tokenizer, or the estimate (no upstream call). */
  readonly countTokens: { readonly method: string; readonly replies: ReadonlyArray<{ readonly path: string; readonly reply: ScriptedReply }> } | 'estimate';
}

const KEY = 'provider-key-for-contract';
const params = (model: string, extra: Partial<Anthropic.MessageCreateParamsNonStreaming> = {}): Anthropic.MessageCreateParamsNonStreaming => ({
  model,
  max_tokens: 64,
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});
const scenario = (name: string) => PARITY_SCENARIOS.find((s) => s.name === name) as ParityScenario;

/**
 * The contract every provider kind must meet, run once per kind against a scripted server
 * that speaks that kind's wire format. One gateway per kind, with one provider per mode:
 * `t-*` translated, `n-*` passed through, `a-*` on `messages: auto`.
 */
export function describeKindContract(profile: KindProfile): void {
  describe(`provider kind ${profile.kind}`, () => {
    let upstream: ScriptedUpstream;
    let gateway: GatewayProcess;
    let client: Anthropic;

    beforeAll(async () => {
      upstream = await ScriptedUpstream.start();
      for (const probe of profile.probes) upstream.standing({ method: probe.method, path: probe.path }).respond(probe.reply);
      // Every other probe gets the usual 404; an unexpected POST stays unexpected (and fails the test).
      upstream.standing({ method: 'GET' }).respond({ status: 404, json: { error: 'not found' } });
      const providers = [
        profile.translate ? `  - { id: t, kind: ${profile.kind}, base_url: "${upstream.url}", messages: translate, api_key_env: PROVIDER_API_KEY, retries: { max_attempts: 1 } }` : '',
        profile.native ? `  - { id: n, kind: ${profile.kind}, base_url: "${upstream.url}", messages: native, api_key_env: PROVIDER_API_KEY, retries: { max_attempts: 1 } }` : '',
        `  - { id: a, kind: ${profile.kind}, base_url: "${upstream.url}", messages: auto, api_key_env: PROVIDER_API_KEY, retries: { max_attempts: 1 } }`,
      ].filter(Boolean);
      const routes = [profile.translate ? '  - { match: "t-*", provider: t, model: upstream-model }' : '', profile.native ? '  - { match: "n-*", provider: n, model: upstream-model }' : '', '  - { match: "a-*", provider: a }'].filter(Boolean);
      gateway = await startGatewayProcess(writeTempConfig(`providers:\n${providers.join('\n')}\nroutes:\n${routes.join('\n')}\n`), { PROVIDER_API_KEY: KEY });
      client = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
    });
    afterAll(async () => {
      await gateway?.stop();
      await upstream?.close();
    });
    afterEach(() => {
      expect(upstream.unexpected).toEqual([]);
      expect(upstream.pending).toBe(0);
    });

    it(`messages: auto picks ${profile.autoMode} from what the server reports, and says why`, async () => {
      const status = (await (await fetch(`${gateway.url}/v1/turnout/providers`)).json()) as { data: Array<{ id: string; mode: string; mode_reason: string }> };
      const auto = status.data.find((p) => p.id === 'a');
      expect(auto?.mode).toBe(profile.autoMode);
      expect(auto?.mode_reason).toMatch(/^auto: /);
    });

    for (const mode of ['translate', 'native'] as const) {
      const track = mode === 'translate' ? profile.translate : profile.native;
      if (!track) continue;
      const prefix = mode === 'translate' ? 't' : 'n';
      const path = mode === 'translate' ? (profile.translate as NonNullable<KindProfile['translate']>).path : '/v1/messages';
      const respondStream = (s: ParityScenario) => {
        const { frames, contentType } = track.wire.stream(s);
        upstream.expect({ path }).respond({ headers: { 'content-type': contentType }, frames });
      };

      describe(mode === 'translate' ? 'translated' : 'passed through', () => {
        it('unary text', async () => {
          upstream.expect({ path }).respond({ json: track.wire.unary(scenario('plain text')) });
          const message = await client.messages.create(params(`${prefix}-model`));
          expect(message.content).toMatchObject([{ type: 'text', text: 'Hello from the model.' }]);
          expect(message.stop_reason).toBe('end_turn');
          expect(message.model).toBe(`${prefix}-model`);
        });

        it('streamed text, accumulated by the SDK', async () => {
          respondStream(scenario('plain text'));
          const message = await client.messages.stream(params(`${prefix}-model`)).finalMessage();
          expect(message.content).toMatchObject([{ type: 'text', text: 'Hello from the model.' }]);
          expect(message.usage.output_tokens).toBe(6);
        });

        it('a streamed tool call after thinking (thinking first), and the tool result going back in the kind\'s format', async () => {
          respondStream(scenario('thinking then a tool call'));
          const first = await client.messages.stream(params(`${prefix}-model`, { tools: [{ name: 'Bash', input_schema: { type: 'object' } }] })).finalMessage();
          expect(first.content.map((block) => block.type)).toEqual(['thinking', 'text', 'tool_use']);
          expect(first.content[2]).toMatchObject({ type: 'tool_use', id: 'toolu_parity1', name: 'Bash', input: { command: 'ls -la', description: 'List files' } });
          expect(first.stop_reason).toBe('tool_use');

          respondStream(scenario('plain text'));
          const history = params(`${prefix}-model`, {
            tools: [{ name: 'Bash', input_schema: { type: 'object' } }],
            messages: [
              { role: 'user', content: 'list the files' },
              { role: 'assistant', content: first.content as Anthropic.ContentBlockParam[] },
              { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_parity1', content: 'file-a' }] },
            ],
          });
          await client.messages.stream(history).finalMessage();
          const sent = upstream.requests.at(-1)!;
          if (mode === 'native') {
            // Passthrough: the client's bytes, only the model renamed (and, for the Anthropic API,
            // the locally made thinking it would refuse taken out).
            const expected = JSON.parse(JSON.stringify({ ...history, stream: true, model: 'upstream-model' })) as { messages: Array<{ content: unknown }> };
            if (profile.native?.dropsForeignThinking) {
              const assistant = expected.messages[1] as { content: Array<{ type: string }> };
              assistant.content = assistant.content.filter((block) => block.type !== 'thinking');
            }
            expect(JSON.parse(sent.body)).toEqual(expected);
            return;
          }
          const translate = profile.translate as NonNullable<KindProfile['translate']>;
          const body = JSON.parse(sent.body) as { messages: Array<Record<string, unknown>> };
          const tool = body.messages.find((m) => m.role === 'tool');
          expect(tool).toMatchObject({ [translate.toolResultIdField]: translate.toolResultIdField === 'tool_call_id' ? 'toolu_parity1' : 'Bash' });
          expect(JSON.stringify(tool?.content)).toContain('file-a');
          const assistant = body.messages.find((m) => m.role === 'assistant') as Record<string, unknown>;
          if (translate.reasoningInput === 'none') expect(Object.keys(assistant)).not.toEqual(expect.arrayContaining(['reasoning_content', 'reasoning', 'thinking']));
          else expect(String(assistant[translate.reasoningInput])).toContain('Bash can do that');
        });

        it('the provider key arrives in the kind\'s auth header, and the client\'s never', async () => {
          upstream.expect({ path }).respond({ json: track.wire.unary(scenario('plain text')) });
          await client.messages.create(params(`${prefix}-model`));
          const headers = upstream.requests.at(-1)!.headers;
          if (profile.auth === 'bearer') {
            expect(headers.authorization).toBe(`Bearer ${KEY}`);
            expect(headers['x-api-key']).toBeUndefined();
          } else {
            expect(headers['x-api-key']).toBe(KEY);
            expect(headers.authorization).toBeUndefined();
            // The client's version is forwarded as sent (the SDK's own date); never dropped.
            expect(headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          }
          expect(JSON.stringify(headers)).not.toContain('client-key');
        });

        it(`the kind's error shape (HTTP ${profile.error.status}) reaches the client Anthropic-shaped`, async () => {
          upstream.expect({ path }).respond({ status: profile.error.status, json: profile.error.body, headers: profile.error.headers });
          const failure = (await client.messages.create(params(`${prefix}-model`)).catch((error: unknown) => error)) as {
            status: number;
            error: { type: string; error: { type: string; message: string } };
          };
          expect(failure.status).toBe(profile.error.expect.status);
          expect(failure.error.type).toBe('error');
          expect(failure.error.error.type).toBe(profile.error.expect.type);
          if (profile.error.expect.message) expect(failure.error.error.message).toMatch(profile.error.expect.message);
        });
      });
    }

    it(profile.countTokens === 'estimate' ? 'count_tokens: the documented estimate, and the server is never asked' : `count_tokens: exact, ${profile.countTokens.method}`, async () => {
      const model = profile.translate ? 't-model' : 'n-model';
      if (profile.countTokens !== 'estimate') for (const { path, reply } of profile.countTokens.replies) upstream.expect({ method: 'POST', path }).respond(reply);
      const response = await fetch(`${gateway.url}/v1/messages/count_tokens?beta=true`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'client-key' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'How many tokens is this?' }] }),
      });
      expect(response.status).toBe(200);
      const counted = (await response.json()) as { input_tokens: number };
      expect(counted.input_tokens).toBeGreaterThan(0);
      expect(response.headers.get('x-turnout-token-count')).toBe(profile.countTokens === 'estimate' ? 'estimate' : `exact; ${profile.countTokens.method}`);
    });
  });
}
