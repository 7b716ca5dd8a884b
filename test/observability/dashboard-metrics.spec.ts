import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { GatewayMetrics } from '@turnout/observability';

const CONFIG = join(__dirname, '..', '..', 'config');

/** Every PromQL expression in the shipped Grafana dashboard. */
function dashboardExpressions(): string[] {
  const dashboard = JSON.parse(readFileSync(join(CONFIG, 'grafana', 'dashboards', 'turnout.json'), 'utf8')) as {
    panels: { targets: { expr: string }[] }[];
    templating: { list: { definition?: string }[] };
  };
  return [
    ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)),
    ...dashboard.templating.list.map((variable) => variable.definition ?? ''),
  ];
}

function alertExpressions(): string[] {
  const rules = parse(readFileSync(join(CONFIG, 'prometheus', 'alerts.yml'), 'utf8')) as { groups: { rules: { expr: string }[] }[] };
  return rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr));
}

/** Metric names in an expression: ours and the process ones (label names and functions are not matched). */
function metricNames(expression: string): string[] {
  return [...expression.matchAll(/\b((?:turnout|process|nodejs)_[a-z_]+)\b/g)].map((match) => match[1] as string);
}

async function exportedFamilies(): Promise<Set<string>> {
  // With a Redis config store's facts, so the families read at scrape time are there too.
  const metrics = new GatewayMetrics({ config: () => ({ revision: 1, applied: 0, rejected: 0, redisConnected: true }) });
  const text = await metrics.registry.metrics();
  return new Set([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((match) => match[1] as string));
}

function familyOf(name: string, families: Set<string>): string | undefined {
  if (families.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return families.has(base) ? base : undefined;
}

describe('shipped dashboard and alert rules', () => {
  it.each([
    ['the Grafana dashboard', dashboardExpressions],
    ['the alert rules', alertExpressions],
  ])('%s query only metrics that /metrics exports', async (_what, expressions) => {
    const families = await exportedFamilies();
    const names = expressions().flatMap(metricNames);
    expect(names.length).toBeGreaterThan(3);
    const missing = names.filter((name) => familyOf(name, families) === undefined);
    expect(missing).toEqual([]);
  });

  it('the dashboard covers every family the issue asks for', () => {
    const used = new Set(dashboardExpressions().flatMap(metricNames).map((name) => name.replace(/_(bucket|sum|count)$/, '')));
    for (const family of [
      'turnout_requests_total',
      'turnout_request_duration_seconds',
      'turnout_time_to_first_token_seconds',
      'turnout_time_per_output_token_seconds',
      'turnout_gateway_overhead_seconds',
      'turnout_tokens_total',
      'turnout_inflight_requests',
      'turnout_stream_aborts_total',
      'turnout_upstream_errors_total',
      'turnout_provider_up',
      // issue 18: retries, fallbacks, circuit state, queue depth and wait, per-key traffic
      'turnout_retries_total',
      'turnout_retry_backoff_seconds',
      'turnout_fallbacks_total',
      'turnout_circuit_state',
      'turnout_queue_depth',
      'turnout_queue_wait_seconds',
      'turnout_overloaded_total',
      'turnout_key_requests_total',
      'turnout_key_tokens_total',
      'turnout_redis_up',
    ]) {
      expect(used).toContain(family);
    }
  });
});
