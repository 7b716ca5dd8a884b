import type { ExchangeRecord } from './exchange-record';
import { GatewayMetrics } from './gateway-metrics';

const BASE: ExchangeRecord = {
  requestId: 'req_1',
  api: 'messages',
  model: 'claude-sonnet-4-6',
  route: 'claude-*',
  provider: 'big-box',
  mode: 'translate',
  stream: true,
  status: 200,
  outcome: 'completed',
  errorCode: null,
  stopReason: 'end_turn',
  usage: { inputTokens: 100, outputTokens: 20, cacheReadInputTokens: 60, cacheCreationInputTokens: 0, reported: true },
  rewrites: ['strip-billing-header', 'drop-betas(context-management-2025-06-27)'],
  durationS: 2,
  ttftS: 0.3,
  timePerOutputTokenS: 0.05,
  overheadS: 0.0003,
};

async function scrape(metrics: GatewayMetrics): Promise<string> {
  return metrics.registry.metrics();
}

describe('GatewayMetrics', () => {
  it('records one request in every family it belongs to', async () => {
    const metrics = new GatewayMetrics({ knownModels: ['claude-sonnet-4-6'] });
    metrics.record(BASE);
    const text = await scrape(metrics);
    expect(text).toContain('turnout_requests_total{model="claude-sonnet-4-6",provider="big-box",mode="translate",stream="true",outcome="completed",api="messages"} 1');
    expect(text).toContain('turnout_request_duration_seconds_count{model="claude-sonnet-4-6",provider="big-box",mode="translate",stream="true"} 1');
    expect(text).toContain('turnout_time_to_first_token_seconds_sum{model="claude-sonnet-4-6",provider="big-box",mode="translate"} 0.3');
    expect(text).toContain('turnout_time_per_output_token_seconds_count{model="claude-sonnet-4-6",provider="big-box"} 1');
    expect(text).toContain('turnout_gateway_overhead_seconds_count{mode="translate"} 1');
    expect(text).toContain('turnout_tokens_total{model="claude-sonnet-4-6",provider="big-box",type="input",api="messages"} 100');
    expect(text).toContain('turnout_tokens_total{model="claude-sonnet-4-6",provider="big-box",type="cache_read",api="messages"} 60');
    expect(text).toContain('turnout_rewrites_total{provider="big-box",rewrite="drop-betas"} 1');
    expect(text).toContain('process_cpu_seconds_total');
  });

  it('never counts estimated tokens', async () => {
    const metrics = new GatewayMetrics();
    metrics.record({ ...BASE, usage: { ...BASE.usage!, reported: false } });
    expect(await scrape(metrics)).not.toMatch(/^turnout_tokens_total\{/m);
  });

  it('counts upstream errors by code and stream aborts by side', async () => {
    const metrics = new GatewayMetrics();
    metrics.record({ ...BASE, outcome: 'upstream_error', errorCode: 'GW_UPSTREAM_STREAM_ENDED' });
    metrics.record({ ...BASE, outcome: 'client_aborted' });
    metrics.record({ ...BASE, stream: false, status: 502, outcome: 'upstream_error', errorCode: 'GW_UPSTREAM_UNREACHABLE', usage: undefined });
    const text = await scrape(metrics);
    expect(text).toContain('turnout_upstream_errors_total{provider="big-box",code="GW_UPSTREAM_STREAM_ENDED"} 1');
    expect(text).toContain('turnout_upstream_errors_total{provider="big-box",code="GW_UPSTREAM_UNREACHABLE"} 1');
    expect(text).toContain('turnout_stream_aborts_total{provider="big-box",side="upstream"} 1');
    expect(text).toContain('turnout_stream_aborts_total{provider="big-box",side="client"} 1');
  });

  it('labels a model only with names the config knows: the name, else the matched route, else other', async () => {
    const metrics = new GatewayMetrics({ knownModels: ['qwen3-8b'] });
    for (let i = 0; i < 500; i++) metrics.record({ ...BASE, model: `random-${i}` });
    for (let i = 0; i < 500; i++) metrics.record({ ...BASE, model: `unrouted-${i}`, route: null, provider: null, mode: null, status: 404, outcome: 'client_error' });
    metrics.record({ ...BASE, model: 'qwen3-8b' });
    const text = await scrape(metrics);
    const models = new Set([...text.matchAll(/^turnout_requests_total\{model="([^"]+)"/gm)].map((m) => m[1]));
    expect(models).toEqual(new Set(['claude-*', 'other', 'qwen3-8b']));
  });

  it('caps the count and the length of model labels', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `known-${i}-${'x'.repeat(500)}`);
    const metrics = new GatewayMetrics({ knownModels: names, maxModelLabels: 3, maxLabelLength: 32 });
    for (const model of names) metrics.record({ ...BASE, model, route: null });
    const text = await scrape(metrics);
    const models = [...new Set([...text.matchAll(/^turnout_requests_total\{model="([^"]+)"/gm)].map((m) => m[1] as string))];
    expect(models).toHaveLength(4);
    expect(models).toContain('other');
    for (const model of models) expect(model.length).toBeLessThanOrEqual(32);
  });

  it('creates no series for requests refused by authentication, only a count by status', async () => {
    const metrics = new GatewayMetrics();
    const before = (await scrape(metrics)).length;
    for (let i = 0; i < 1_000; i++) metrics.record({ ...BASE, model: `guess-${i}`, route: null, provider: null, mode: null, status: i % 2 ? 401 : 403, outcome: 'client_error' });
    const text = await scrape(metrics);
    expect(text).toContain('turnout_auth_refusals_total{status="401"} 500');
    expect(text).toContain('turnout_auth_refusals_total{status="403"} 500');
    expect(text).not.toMatch(/^turnout_requests_total\{/m);
    expect(text.length - before).toBeLessThan(200);
  });

  it('labels refused requests without a provider as _none and tracks in-flight and provider health', async () => {
    const metrics = new GatewayMetrics();
    metrics.record({ ...BASE, provider: null, mode: null, route: null, status: 404, outcome: 'client_error', usage: undefined, rewrites: [] });
    metrics.requestStarted('big-box');
    metrics.requestStarted('big-box');
    metrics.requestEnded('big-box');
    metrics.setProviderUp('big-box', false);
    const text = await scrape(metrics);
    expect(text).toContain('provider="_none",mode="_none",stream="true",outcome="client_error",api="messages"} 1');
    expect(text).toContain('turnout_inflight_requests{provider="big-box"} 1');
    expect(text).toContain('turnout_provider_up{provider="big-box"} 0');
  });

  it('reports the config store revision and reload counts at scrape time', async () => {
    let facts = { revision: 3 as number | undefined, applied: 2, rejected: 0 };
    const metrics = new GatewayMetrics({ config: () => facts });
    expect(await scrape(metrics)).toContain('turnout_config_revision 3');
    facts = { revision: 4, applied: 3, rejected: 1 };
    const text = await scrape(metrics);
    expect(text).toContain('turnout_config_revision 4');
    expect(text).toContain('turnout_config_reloads_total{result="applied"} 3');
    expect(text).toContain('turnout_config_reloads_total{result="rejected"} 1');
  });

  it('reports Redis reachability only when the config lives in Redis', async () => {
    let facts: { revision: number; applied: number; rejected: number; redisConnected?: boolean } = { revision: 1, applied: 0, rejected: 0 };
    const metrics = new GatewayMetrics({ config: () => facts });
    expect(await scrape(metrics)).not.toMatch(/^turnout_redis_up[{ ]/m);
    facts = { ...facts, redisConnected: true };
    expect(await scrape(metrics)).toMatch(/^turnout_redis_up\{client="config-store"\} 1$/m);
    facts = { ...facts, redisConnected: false };
    expect(await scrape(metrics)).toMatch(/^turnout_redis_up\{client="config-store"\} 0$/m);
  });

  it('counts requests and reported tokens per gateway key, and nothing for a request without one', async () => {
    const metrics = new GatewayMetrics();
    metrics.record({ ...BASE, keyId: 'team-a' });
    metrics.record({ ...BASE, keyId: 'team-a', outcome: 'upstream_error', usage: undefined });
    metrics.record(BASE);
    const text = await scrape(metrics);
    expect(text).toContain('turnout_key_requests_total{key="team-a",outcome="completed"} 1');
    expect(text).toContain('turnout_key_requests_total{key="team-a",outcome="upstream_error"} 1');
    expect(text).toContain('turnout_key_tokens_total{key="team-a",type="output"} 20');
    expect(text).not.toContain('key="undefined"');
    expect(text.match(/^turnout_key_requests_total\{/gm)).toHaveLength(2);
  });

  it('observes retry back-off per provider', async () => {
    const metrics = new GatewayMetrics();
    metrics.observeRetryBackoff('big-box', 1.5);
    expect(await scrape(metrics)).toContain('turnout_retry_backoff_seconds_sum{provider="big-box"} 1.5');
  });

  it('counts 529 answers by provider and code', async () => {
    const metrics = new GatewayMetrics();
    metrics.record({ ...BASE, status: 529, outcome: 'gateway_error', errorCode: 'GW_QUEUE_FULL', usage: undefined });
    metrics.record({ ...BASE, status: 500, outcome: 'gateway_error', errorCode: 'GW_INTERNAL', usage: undefined });
    const text = await scrape(metrics);
    expect(text).toContain('turnout_overloaded_total{provider="big-box",code="GW_QUEUE_FULL"} 1');
    expect(text.match(/^turnout_overloaded_total\{/gm)).toHaveLength(1);
  });
});
