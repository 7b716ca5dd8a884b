#!/usr/bin/env node
// `npm run bench:soak [-- --duration S]`: a bounded soak under faults. 16 clients send unary and
// streamed requests through Turnout for S seconds (default 60) to a route with a fallback. At a
// third of the run the primary upstream is killed; at two thirds it comes back on the same port.
// Reports requests, errors, who served in each phase, the circuit, and the gateway's RSS at the
// start and the end; writes bench/results/soak.{json,md}. Exit 1 on any client-visible error
// other than a stream that had already started on the primary when it was killed.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rssMb as rssMegabytes, startProcess } from './processes.mjs';

const root = new URL('..', import.meta.url).pathname;
const durationFlag = process.argv.indexOf('--duration');
const DURATION_S = durationFlag > 0 ? Number(process.argv[durationFlag + 1]) : 60;
const CLIENTS = 16;

const start = (argv, env = {}) => startProcess(process.execPath, argv, { env });

const rssMb = (pid) => Math.round(rssMegabytes(pid) * 10) / 10;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const work = mkdtempSync(join(tmpdir(), 'turnout-soak-'));
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
const gateway = await start([join(root, 'bin/turnout.js'), 'serve', '--config', config, '--port', '0'], { TURNOUT_LOG_FORMAT: 'json' });
const base = `http://127.0.0.1:${gateway.port}`;
const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

/** One request: ok, who served, and for a failure what the client saw. */
function send(stream) {
  const body = JSON.stringify({ model: 'claude-soak', max_tokens: stream ? 64 : 16, stream, messages: [{ role: 'user', content: 'hello' }] });
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(`${base}/v1/messages`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-api-key': 'soak', 'anthropic-version': '2023-06-01' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        const ok = res.statusCode === 200 && (!stream || (text.includes('event: message_stop') && !text.includes('event: error')));
        const startedStreaming = res.statusCode === 200 && stream;
        resolve({ ok, stream, startedStreaming, status: res.statusCode, provider: res.headers['x-turnout-provider'], ms: performance.now() - started, preview: ok ? undefined : text.slice(0, 160) });
      });
      res.on('error', () => resolve({ ok: false, stream, status: res.statusCode, preview: 'response error', ms: performance.now() - started }));
    });
    req.on('error', (error) => resolve({ ok: false, stream, status: 0, preview: error.message, ms: performance.now() - started }));
    req.end(body);
  });
}

await sleep(2_000); // probes settle
for (let i = 0; i < 50; i++) await send(i % 2 === 0);
const rssStart = rssMb(gateway.child.pid);
const results = [];
const startedAt = performance.now();
const endAt = startedAt + DURATION_S * 1000;
const phaseOf = (at) => (at - startedAt < (DURATION_S * 1000) / 3 ? 'before kill' : at - startedAt < (2 * DURATION_S * 1000) / 3 ? 'primary down' : 'primary back');

const faults = (async () => {
  await sleep((DURATION_S * 1000) / 3);
  primary.child.kill('SIGKILL');
  await sleep((DURATION_S * 1000) / 3);
  primary = await start([join(root, 'bench/upstream.mjs'), String(primaryPort)]);
})();

await Promise.all(
  Array.from({ length: CLIENTS }, async (_, client) => {
    for (let n = 0; performance.now() < endAt; n++) {
      const at = performance.now();
      const result = await send((client + n) % 2 === 0);
      results.push({ ...result, phase: phaseOf(at) });
    }
  }),
);
await faults;
const rssEnd = rssMb(gateway.child.pid);
const metrics = await (await fetch(`${base}/metrics`)).text();
const metric = (prefix) => metrics.split('\n').filter((line) => line.startsWith(prefix)).map((line) => line.trim());

const phases = ['before kill', 'primary down', 'primary back'].map((phase) => {
  const inPhase = results.filter((r) => r.phase === phase);
  return { phase, requests: inPhase.length, primary: inPhase.filter((r) => r.ok && r.provider === 'primary').length, spare: inPhase.filter((r) => r.ok && r.provider === 'spare').length, errors: inPhase.filter((r) => !r.ok).length };
});
const failures = results.filter((r) => !r.ok);
// A stream already answering from the primary when it was killed can only end with event: error.
const cutMidStream = failures.filter((r) => r.startedStreaming && r.preview?.includes('event: error'));
const otherErrors = failures.filter((r) => !cutMidStream.includes(r));
const latencies = results.filter((r) => r.ok).map((r) => r.ms).sort((a, b) => a - b);
const pct = (p) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] * 10) / 10;
const summary = {
  date: new Date().toISOString(),
  node: process.version,
  duration_s: DURATION_S,
  clients: CLIENTS,
  requests: results.length,
  ok: results.length - failures.length,
  errors_client_visible: otherErrors.length,
  streams_cut_mid_stream_when_primary_died: cutMidStream.length,
  error_samples: [...new Set(otherErrors.map((r) => `${r.status} ${r.preview}`))].slice(0, 5),
  phases,
  circuit_closed_again: phases[2].primary > 0,
  p50_ms: pct(0.5),
  p99_ms: pct(0.99),
  rss_mb_start: rssStart,
  rss_mb_end: rssEnd,
  metrics_at_end: [...metric('turnout_circuit_state'), ...metric('turnout_fallbacks_total'), ...metric('turnout_provider_up')],
};
const md = [
  `Soak: ${summary.duration_s} s, ${CLIENTS} clients, Node ${summary.node}, ${summary.date}`,
  '',
  `requests ${summary.requests}, ok ${summary.ok}, client-visible errors ${summary.errors_client_visible}, streams cut when the primary died ${summary.streams_cut_mid_stream_when_primary_died}`,
  `latency p50 ${summary.p50_ms} ms, p99 ${summary.p99_ms} ms; RSS start ${rssStart} MB, end ${rssEnd} MB`,
  '',
  '| phase | requests | served by primary | served by spare | errors |',
  '|---|---|---|---|---|',
  ...phases.map((p) => `| ${p.phase} | ${p.requests} | ${p.primary} | ${p.spare} | ${p.errors} |`),
  '',
  `circuit closed again (primary serving after it came back): ${summary.circuit_closed_again ? 'yes' : 'no'}`,
  '',
  '```',
  ...summary.metrics_at_end,
  '```',
  ...(summary.error_samples.length ? ['', 'error samples:', ...summary.error_samples.map((s) => `- ${s}`)] : []),
].join('\n');
console.log(md);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/soak.json'), `${JSON.stringify(summary, null, 2)}\n`);
writeFileSync(join(root, 'bench/results/soak.md'), `${md}\n`);
process.exit(otherErrors.length === 0 && summary.circuit_closed_again ? 0 : 1);
