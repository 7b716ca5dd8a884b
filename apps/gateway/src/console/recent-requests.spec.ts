import type { ExchangeRecord } from '@turnout/observability';
import { RecentRequests, type RecentRequest } from './recent-requests';

const record = (n: number, over: Partial<ExchangeRecord> = {}): ExchangeRecord => ({
  requestId: `req_${n}`,
  keyId: 'team-a',
  api: 'messages',
  model: `model-${n}`,
  route: 'claude-*',
  provider: 'gpu',
  mode: 'translate',
  stream: true,
  status: 200,
  outcome: 'completed',
  errorCode: null,
  stopReason: 'end_turn',
  usage: { inputTokens: 10, outputTokens: 3, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, reported: true },
  rewrites: [],
  durationS: 1.2344,
  ttftS: 0.1236,
  timePerOutputTokenS: undefined,
  overheadS: undefined,
  ...over,
});

describe('RecentRequests (the console live traffic ring)', () => {
  afterEach(() => jest.useRealTimers());

  it('keeps only the last N records, oldest first, however many arrive', () => {
    const ring = new RecentRequests(3);
    for (let n = 1; n <= 10; n++) ring.add(record(n));
    expect(ring.list().map((item) => item.request_id)).toEqual(['req_8', 'req_9', 'req_10']);
  });

  it('shows facts only, in the units the page prints, with client text cut', () => {
    const ring = new RecentRequests(2);
    ring.add(record(1, { model: 'm'.repeat(10_000) }), new Date('2026-01-01T00:00:00Z'));
    const [item] = ring.list() as [RecentRequest];
    expect(item).toMatchObject({ at: '2026-01-01T00:00:00.000Z', key: 'team-a', ttft_ms: 124, duration_ms: 1234, input_tokens: 10, output_tokens: 3 });
    expect(item.model.length).toBeLessThanOrEqual(257);
    expect(Object.keys(item)).not.toContain('rewrites');
  });

  it("remembers a provider's last upstream or gateway failure, not a client's mistake", () => {
    const ring = new RecentRequests(5);
    ring.add(record(1, { status: 502, outcome: 'upstream_error', errorCode: 'GW_UPSTREAM_UNREACHABLE' }));
    ring.add(record(2, { status: 400, outcome: 'client_error', errorCode: 'GW_INVALID_REQUEST' }));
    ring.add(record(3));
    expect(ring.lastFailure('gpu')).toMatchObject({ status: 502, error_code: 'GW_UPSTREAM_UNREACHABLE' });
    expect(ring.lastFailure('other')).toBeUndefined();
  });

  it('tells listeners in one batch per flush, and nothing once they leave', () => {
    jest.useFakeTimers();
    const ring = new RecentRequests(100);
    const batches: string[][] = [];
    const leave = ring.subscribe((batch) => batches.push(batch.map((item) => item.request_id)));
    ring.add(record(1));
    ring.add(record(2));
    expect(batches).toEqual([]); // not on the request's own path
    jest.advanceTimersByTime(100);
    expect(batches).toEqual([['req_1', 'req_2']]);
    leave();
    ring.add(record(3));
    jest.advanceTimersByTime(100);
    expect(batches).toHaveLength(1);
  });

  it('holds at most N records for a flush, even in a burst', () => {
    jest.useFakeTimers();
    const ring = new RecentRequests(4);
    let seen: readonly RecentRequest[] = [];
    ring.subscribe((batch) => (seen = batch));
    for (let n = 1; n <= 50; n++) ring.add(record(n));
    jest.advanceTimersByTime(100);
    expect(seen.map((item) => item.request_id)).toEqual(['req_47', 'req_48', 'req_49', 'req_50']);
  });

  it('refuses a capacity that is not a whole number from 1', () => {
    expect(() => new RecentRequests(0)).toThrow(RangeError);
  });
});
