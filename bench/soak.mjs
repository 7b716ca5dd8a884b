#!/usr/bin/env node
// `npm run bench:soak [-- --duration S] [--token-delay-ms D]`: a bounded soak under faults. 16
// clients, each alternating unary (16 tokens) and streamed (64 tokens) requests, go through
// Turnout for S seconds (default 60) to a route whose primary has a fallback. At a third of the
// run the primary upstream is SIGKILLed; at two thirds a new one starts on the same port.
// Reports requests, errors grouped by what the client saw, who served in each third, whether the
// circuit closed again, latency, and the gateway's RSS at the start and the end; writes
// bench/results/soak.{json,md}. A stream that had already started on the primary when it was
// killed can only end with `event: error`: counted apart as "cut mid-stream", never a failure.
// Exit 1 on any other client-visible error, or if the primary's circuit did not close again.
// `--token-delay-ms D` puts D ms between streamed tokens (the upstream's `-delayD` model suffix),
// so that streams are in flight when the primary dies; the default, 0, is the issue's scenario.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rssMb as rssMegabytes, startProcess } from './processes.mjs';

const root = new URL('..', import.meta.url).pathname;
/** `--name N` or `--name=N`, a number ≥ 0. */
function flag(name, fallback) {
  const i = process.argv.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (i === -1) return fallback;
  const value = Number(process.argv[i].includes('=') ? process.argv[i].split('=')[1] : process.argv[i + 1]);
  if (!(value >= 0)) {
    console.error('usage: node bench/soak.mjs [--duration SECONDS] [--token-delay-ms MS]');
    process.exit(2);
  }
  return value;
}
const DURATION_S = flag('duration', 60);
const TOKEN_DELAY_MS = flag('token-delay-ms', 0);
if (DURATION_S < 3) {
  console.error('--duration must be at least 3 seconds (three phases)');
  process.exit(2);
}
const CLIENTS = 16;
const MODEL = TOKEN_DELAY_MS > 0 ? `claude-soak-delay${TOKEN_DELAY_MS}` : 'claude-soak';
const PHASES = ['before kill', 'primary down', 'primary back'];

const start = (argv, env = {}) => startProcess(process.execPath, argv, { env });
const rssMb = (pid) => Math.round(rssMegabytes(pid) * 10) / 10;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value) => Math.round(value * 10) / 10;

const work = mkdtempSync(join(tmpdir(), 'turnout-soak-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
let primary = await start([join(root, 'bench/upstream.mjs'), '0']);
const primaryPort = primary.port;
const spare = await start([join(root, 'bench/upstream.mjs'), '0']);
const config = join(work, 'soak.yaml');
writeFileSync(
  config,
  `providers:
  - { id: primary, kind: llama-cpp, base_url: "http://127.0.0.1:${primaryPort}", messages: translate, retries: { max_attempts: 2, base_delay_ms: 50 }, circuit: { failure_threshold: 3, cooldown_ms: 2000 } }
  - { id: spare, kind: llama-cpp, base_url: "http://127.0.0.1:${spare.port}", messages: translate }
routes:
  - { match: "*", provider: primary, fallbacks: [spare] }
`,
);
// startProcess keeps draining the gateway's stdout (the JSON request log) once it listens.
const gateway = await start([join(root, 'bin/turnout.js'), 'serve', '--config', config, '--port', '0'], { TURNOUT_LOG_FORMAT: 'json' });
const base = `http://127.0.0.1:${gateway.port}`;
const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
const HEADERS = { 'content-type': 'application/json', 'x-api-key': 'soak', 'anthropic-version': '2023-06-01' };

/** What a failed request showed the client, short: for a stream, its `event: error` frame if any. */
function preview(text) {
  const error = /event: error\ndata: (.*)/.exec(text);
  // Request ids differ on every request: masked, so that the same failure groups as one.
  return (error ? `event: error ${error[1]}` : text).replace(/\b(req|msg)_[0-9A-Za-z]+/g, '$1_…').replace(/\s+/g, ' ').slice(0, 240);
}

/** One request: ok, who served, how long it took, and for a failure what the client saw. */
function send(stream) {
  const body = JSON.stringify({ model: MODEL, max_tokens: stream ? 64 : 16, stream, messages: [{ role: 'user', content: 'hello' }] });
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (result) => {
      if (settled) return;
      settled = true;
      resolve({ stream, ms: performance.now() - started, ...result });
    };
    const req = request(`${base}/v1/messages`, { method: 'POST', agent, headers: HEADERS }, (res) => {
      let text = '';
      const provider = res.headers['x-turnout-provider'];
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        const ok = res.statusCode === 200 && (!stream || (text.includes('event: message_stop') && !text.includes('event: error')));
        // The 200 of a stream goes out with the upstream's first event: past it, no fallback is possible.
        const cut = !ok && stream && res.statusCode === 200 && text.includes('event: message_start');
        done({ ok, cut, status: res.statusCode, provider, preview: ok ? undefined : preview(text) });
      });
      const aborted = (why) => done({ ok: false, cut: stream && res.statusCode === 200 && text.includes('event: message_start'), status: res.statusCode, provider, preview: `${why} after ${text.length} bytes: ${preview(text)}` });
      res.on('error', (error) => aborted(`response error (${error.message})`));
      res.on('close', () => aborted('connection closed'));
    });
    req.on('error', (error) => done({ ok: false, cut: false, status: 0, preview: `request error: ${error.message}` }));
    req.end(body);
  });
}

await sleep(2_000); // warm-up: the gateway's start-up probes settle
for (let i = 0; i < 50; i++) await send(i % 2 === 1);
const rssStart = rssMb(gateway.child.pid);

const results = [];
const startedAt = performance.now();
const third = (DURATION_S * 1000) / 3;
const endAt = startedAt + DURATION_S * 1000;
const phaseOf = (at) => PHASES[Math.min(2, Math.floor((at - startedAt) / third))];
const events = {};

const faults = (async () => {
  await sleep(startedAt + third - performance.now());
  primary.child.kill('SIGKILL');
  events.killed_at_ms = round(performance.now() - startedAt);
  await sleep(startedAt + 2 * third - performance.now());
  primary = await start([join(root, 'bench/upstream.mjs'), String(primaryPort)]);
  events.restarted_at_ms = round(performance.now() - startedAt);
})();

await Promise.all(
  Array.from({ length: CLIENTS }, async (_, client) => {
    for (let n = 0; performance.now() < endAt; n++) {
      const at = performance.now();
      const result = await send((client + n) % 2 === 1);
      results.push({ ...result, phase: phaseOf(at), at: at - startedAt });
    }
  }),
);
await faults;
const elapsedS = (performance.now() - startedAt) / 1000;
const rssEnd = rssMb(gateway.child.pid);
const metrics = await (await fetch(`${base}/metrics`)).text();
const metricLines = (name) => metrics.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
const metricValue = (line) => Number(line.trim().split(/\s+/).pop());
const circuitLine = metricLines('turnout_circuit_state').find((line) => line.includes('provider="primary"'));
const circuitStatePrimary = circuitLine === undefined ? null : metricValue(circuitLine);
const fallbacksTotal = metricLines('turnout_fallbacks_total').reduce((sum, line) => sum + metricValue(line), 0);

const failures = results.filter((r) => !r.ok);
// Cut mid-stream: streamed, 200 and message_start already sent by the primary, then it died.
const cutMidStream = failures.filter((r) => r.cut && r.provider === 'primary');
const errors = failures.filter((r) => !cutMidStream.includes(r));
/** Failures grouped by status and what the client saw, most frequent first. */
const group = (list) =>
  Object.values(
    list.reduce((groups, r) => {
      const key = `${r.status} ${r.stream ? 'stream' : 'unary'} ${r.provider ?? '-'} ${r.preview}`;
      groups[key] ??= { count: 0, status: r.status, stream: r.stream, provider: r.provider ?? null, preview: r.preview, phases: {} };
      groups[key].count++;
      groups[key].phases[r.phase] = (groups[key].phases[r.phase] ?? 0) + 1;
      return groups;
    }, {}),
  ).sort((a, b) => b.count - a.count);
const percentile = (sorted, p) => (sorted.length === 0 ? null : round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]));
const latencies = (list) => list.filter((r) => r.ok).map((r) => r.ms).sort((a, b) => a - b);

const phases = PHASES.map((phase) => {
  const inPhase = results.filter((r) => r.phase === phase);
  const sorted = latencies(inPhase);
  return {
    phase,
    requests: inPhase.length,
    primary: inPhase.filter((r) => r.ok && r.provider === 'primary').length,
    spare: inPhase.filter((r) => r.ok && r.provider === 'spare').length,
    errors: inPhase.filter((r) => errors.includes(r)).length,
    cut_mid_stream: inPhase.filter((r) => cutMidStream.includes(r)).length,
    p50_ms: percentile(sorted, 0.5),
    p99_ms: percentile(sorted, 0.99),
  };
});
const restarted = events.restarted_at_ms ?? Infinity;
const firstBack = results.filter((r) => r.ok && r.provider === 'primary' && r.at >= restarted).reduce((min, r) => Math.min(min, r.at + r.ms), Infinity);
const allLatencies = latencies(results);
const circuitClosedAgain = phases[2].primary > 0 && circuitStatePrimary === 0;
const summary = {
  date: new Date().toISOString(),
  node: process.version,
  duration_s: DURATION_S,
  elapsed_s: round(elapsedS),
  clients: CLIENTS,
  model: MODEL,
  requests: results.length,
  requests_per_s: Math.round(results.length / elapsedS),
  ok: results.length - failures.length,
  errors: errors.length,
  cut_mid_stream: cutMidStream.length,
  errors_grouped: group(errors),
  cut_mid_stream_grouped: group(cutMidStream),
  phases,
  primary_killed_at_ms: events.killed_at_ms,
  primary_restarted_at_ms: events.restarted_at_ms,
  primary_serving_again_after_restart_ms: Number.isFinite(firstBack) ? round(firstBack - restarted) : null,
  circuit_state_primary_at_end: circuitStatePrimary,
  fallbacks_total: fallbacksTotal,
  circuit_closed_again: circuitClosedAgain,
  p50_ms: percentile(allLatencies, 0.5),
  p99_ms: percentile(allLatencies, 0.99),
  rss_mb_start: rssStart,
  rss_mb_end: rssEnd,
  metrics_at_end: ['turnout_circuit_state', 'turnout_fallbacks_total', 'turnout_provider_up'].flatMap(metricLines),
};

const groupLines = (groups) => groups.slice(0, 10).map((g) => `- ${g.count}× ${g.status} ${g.stream ? 'stream' : 'unary'} (provider ${g.provider ?? '-'}; ${Object.entries(g.phases).map(([p, n]) => `${p} ${n}`).join(', ')}): ${g.preview}`);
const md = [
  `Soak: ${DURATION_S} s, ${CLIENTS} clients (unary 16 tokens / streamed 64 tokens, model ${MODEL}), Node ${summary.node}, ${summary.date}`,
  '',
  `requests ${summary.requests} (${summary.requests_per_s}/s), ok ${summary.ok}, **client-visible errors ${summary.errors}**, cut mid-stream ${summary.cut_mid_stream} (expected: had started streaming on the primary when it was killed)`,
  `latency p50 ${summary.p50_ms} ms, p99 ${summary.p99_ms} ms; gateway RSS start ${rssStart} MB, end ${rssEnd} MB`,
  `primary killed at ${(events.killed_at_ms / 1000).toFixed(1)} s, restarted at ${(events.restarted_at_ms / 1000).toFixed(1)} s, serving again ${summary.primary_serving_again_after_restart_ms ?? '-'} ms after the restart`,
  '',
  '| phase | requests | served by primary | served by spare | errors | cut mid-stream | p50 ms | p99 ms |',
  '|---|---|---|---|---|---|---|---|',
  ...phases.map((p) => `| ${p.phase} | ${p.requests} | ${p.primary} | ${p.spare} | ${p.errors} | ${p.cut_mid_stream} | ${p.p50_ms ?? '-'} | ${p.p99_ms ?? '-'} |`),
  '',
  `circuit closed again (primary serving in the last third, turnout_circuit_state{provider="primary"} ${circuitStatePrimary}): ${circuitClosedAgain ? 'yes' : 'NO'}`,
  `turnout_fallbacks_total (all from/to): ${fallbacksTotal}`,
  '',
  '```',
  ...summary.metrics_at_end,
  '```',
  ...(errors.length ? ['', 'client-visible errors:', ...groupLines(summary.errors_grouped)] : []),
  ...(cutMidStream.length ? ['', 'cut mid-stream:', ...groupLines(summary.cut_mid_stream_grouped)] : []),
].join('\n');
console.log(md);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/soak.json'), `${JSON.stringify(summary, null, 2)}\n`);
writeFileSync(join(root, 'bench/results/soak.md'), `${md}\n`);
process.exit(errors.length === 0 && circuitClosedAgain ? 0 : 1);
