import { PassThrough } from 'node:stream';
import type { ExchangeRecord } from '@turnout/observability';
import { chooseLogFormat, RequestLog } from './request-log';

const RECORD: ExchangeRecord = {
  requestId: 'req_0123456789abcdef01234567',
  api: 'messages',
  model: 'claude-sonnet-4-6',
  route: 'claude-*sonnet*',
  provider: 'big-box',
  mode: 'native',
  stream: true,
  status: 200,
  outcome: 'completed',
  errorCode: null,
  stopReason: 'end_turn',
  usage: { inputTokens: 1200, outputTokens: 40, cacheReadInputTokens: 1000, cacheCreationInputTokens: 0, reported: true },
  rewrites: ['strip-billing-header'],
  durationS: 1.23456,
  ttftS: 0.2,
  timePerOutputTokenS: 0.02,
  overheadS: 0.0004,
};

function capture(): { stream: PassThrough; lines: () => string[] } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { stream, lines: () => text.split('\n').filter((line) => line.length > 0) };
}

describe('RequestLog', () => {
  it('writes one JSON line per request with the exchange facts', () => {
    const out = capture();
    new RequestLog('json', out.stream).write(RECORD);
    expect(out.lines()).toHaveLength(1);
    const line = JSON.parse(out.lines()[0] as string) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 30,
      msg: 'request',
      request_id: RECORD.requestId,
      api: 'messages',
      model: 'claude-sonnet-4-6',
      route: 'claude-*sonnet*',
      provider: 'big-box',
      mode: 'native',
      stream: true,
      status: 200,
      outcome: 'completed',
      stop_reason: 'end_turn',
      ttft_ms: 200,
      duration_ms: 1234.6,
      input_tokens: 1200,
      output_tokens: 40,
      cache_read_input_tokens: 1000,
      rewrites: ['strip-billing-header'],
    });
    expect(typeof line.time).toBe('string');
  });

  it('logs failures at warn level with their error code', () => {
    const out = capture();
    new RequestLog('json', out.stream).write({ ...RECORD, outcome: 'upstream_error', status: 502, errorCode: 'GW_UPSTREAM_UNREACHABLE', usage: undefined });
    const line = JSON.parse(out.lines()[0] as string) as Record<string, unknown>;
    expect(line.level).toBe(40);
    expect(line.error_code).toBe('GW_UPSTREAM_UNREACHABLE');
    expect(line).not.toHaveProperty('input_tokens');
  });

  it('pretty format is one readable line', async () => {
    const out = capture();
    new RequestLog('pretty', out.stream).write(RECORD);
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.lines()).toHaveLength(1);
    expect(out.lines()[0]).toContain('claude-sonnet-4-6');
    expect(out.lines()[0]).not.toMatch(/^\{/);
  });

  it('chooses pretty on a terminal unless told otherwise', () => {
    expect(chooseLogFormat(undefined, true)).toBe('pretty');
    expect(chooseLogFormat(undefined, false)).toBe('json');
    expect(chooseLogFormat('json', true)).toBe('json');
    expect(chooseLogFormat('pretty', false)).toBe('pretty');
  });
});
