#!/usr/bin/env node
// `npm run bench`: Turnout (passthrough and translate) against the direct upstream and a raw Node
// proxy, all measured in one run on this machine. The gateway under test is pinned to CPU 1; the
// scripted upstream, the load generator (wrk) and the clients share CPU 0. Prints a markdown
// table and the targets of issue 7, and writes bench/results/latest.{json,md}.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpuTicks, has, heapUsedMb, rssMb, singleProviderConfig, startProcess, stop } from './processes.mjs';
import { startPeers, stopPeers } from './peers.mjs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';

const root = new URL('..', import.meta.url).pathname;
const QUICK = process.argv.includes('--quick');
// --smoke: one round of 1 s phases, for the test suite's check that the bench runs and produces
// numbers (figures that short mean nothing); --out DIR writes the results there instead.
const SMOKE = process.argv.includes('--smoke');
const outAt = process.argv.indexOf('--out');
const OUT_DIR = outAt === -1 ? join(root, 'bench/results') : process.argv[outAt + 1];
// --peers: Portkey and claude-code-router (installed from npm, so it needs the network) measured
// beside the others, each in the mode it serves (bench/peers.mjs).
const PEERS = process.argv.includes('--peers');
// Each target is measured in ROUNDS short phases, the targets of a scenario taking turns,
// and the medians are reported: on a shared or throttled machine the speed drifts by tens of
// percent within a minute, and one long phase per target would put that drift in the ratios.
const ROUNDS = SMOKE ? 1 : 3;
const PHASE_1_S = QUICK || SMOKE ? 1 : 2;
const PHASE_32_S = SMOKE ? 1 : QUICK ? 2 : 4;
const WARMUP_S = 1;

if (!has('wrk')) {
  console.error('npm run bench needs wrk (the load generator): sudo apt-get install -y wrk');
  process.exit(1);
}
const pin = has('taskset') && cpus().length >= 2 ? (cpu, argv) => ['taskset', ['-c', String(cpu), ...argv]] : (_cpu, argv) => [argv[0], argv.slice(1)];

function start(cpu, argv, env = {}, pattern = undefined) {
  const [command, args] = pin(cpu, argv);
  return startProcess(command, args, { env, pattern });
}

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

/** `headers`: extra request headers, for a peer that takes its routing in headers (Portkey). */
function wrk(url, bodyFile, connections, seconds, headers = {}) {
  const args = ['-t', connections === 1 ? '1' : '2', '-c', String(connections), '-d', `${seconds}s`, '-s', join(root, 'bench/post.lua'), url];
  const [command, argv] = pin(0, ['wrk', ...args]);
  const out = execFileSync(command, argv, { env: { PATH: process.env.PATH, BENCH_BODY_FILE: bodyFile, BENCH_HEADERS: Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('\n') } }).toString();
  const json = JSON.parse(out.split('\n').find((line) => line.startsWith('{"requests"')));
  return { rps: json.requests / (json.duration_us / 1e6), p50Ms: json.p50_us / 1000, p99Ms: json.p99_us / 1000, requests: json.requests, errors: json.errors };
}

/** Resolves once `pid` has used no CPU for 200 ms (at most 10 s). */
async function cpuQuiet(pid) {
  const started = Date.now();
  let last = cpuTicks(pid);
  while (Date.now() - started < 10_000) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const now = cpuTicks(pid);
    if (now === last) return;
    last = now;
  }
}

/** Sequential streamed requests: time to the first content chunk, and the gaps between chunks. */
async function streamTimings(url, body, count, headers = {}) {
  const ttft = [];
  const gaps = [];
  for (let i = 0; i < count; i++) {
    await new Promise((resolve, reject) => {
      const started = performance.now();
      let first;
      let last;
      const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'bench', 'anthropic-version': '2023-06-01', ...headers } }, (res) => {
        res.on('data', (chunk) => {
          const text = chunk.toString();
          if (!text.includes('content_block_delta') && !text.includes('"content":"tok')) return;
          const now = performance.now();
          if (first === undefined) first = now;
          else gaps.push(now - last);
          last = now;
        });
        res.on('end', () => {
          ttft.push(first - started);
          resolve();
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }
  return { ttftMs: median(ttft), gapMs: gaps.length ? median(gaps) : undefined };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (value, digits = 2) => (value === undefined ? undefined : Number(value.toFixed(digits)));

// ---------------------------------------------------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'turnout-bench-'));
const claudeCode = JSON.parse(readFileSync(join(root, 'test/fixtures/claude-code/a-first-turn-hello.body.json'), 'utf8'));
const anthropicBody = (extra) => JSON.stringify({ model: 'claude-bench', messages: [{ role: 'user', content: 'hello' }], ...extra });
const SCENARIOS = [
  { name: 'unary 16 tokens', anthropic: anthropicBody({ max_tokens: 16 }), stream: false },
  { name: 'stream 256 tokens', anthropic: anthropicBody({ max_tokens: 256, stream: true }), stream: true },
  { name: 'Claude Code request (60 KB, 21 tools), stream 64', anthropic: JSON.stringify({ ...claudeCode, model: 'claude-bench', max_tokens: 64, stream: true }), stream: true },
  { name: 'slow tokens (32 × 20 ms)', anthropic: anthropicBody({ model: 'claude-bench-delay20', max_tokens: 32, stream: true }), stream: true, timingsOnly: true, slow: true },
];

const upstream = await start(0, [process.execPath, join(root, 'bench/upstream.mjs'), '0']);
const upstreamUrl = `http://127.0.0.1:${upstream.port}`;
const rawProxy = await start(1, [process.execPath, join(root, 'bench/raw-proxy.mjs'), '0', upstreamUrl]);
const peers = PEERS ? await startPeers({ upstreamUrl, start, cpu: 1 }) : [];

async function startTurnout(mode) {
  const config = join(work, `${mode}.yaml`);
  writeFileSync(config, singleProviderConfig(upstreamUrl, mode));
  // --port 0: the gateway prints the port it got, and startProcess reads it from that line.
  return start(1, [process.execPath, join(root, 'bin/turnout.js'), 'serve', '--config', config, '--port', '0'], { TURNOUT_LOG_FORMAT: 'json' });
}

/**
 * What the upstream receives when Turnout forwards `anthropicBody`: the direct upstream and the
 * raw proxy are sent exactly that, so every target does the same upstream work and the
 * differences are the gateway's own (translated, a 60 KB Claude Code request stays ~60 KB).
 */
async function forwardedBody(gatewayPort, anthropicBody, upstreamPath) {
  const answer = await fetch(`http://127.0.0.1:${gatewayPort}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'bench', 'anthropic-version': '2023-06-01' }, body: anthropicBody });
  await answer.arrayBuffer();
  if (!answer.ok) throw new Error(`Turnout answered ${answer.status} to the ${upstreamPath} scenario body`);
  const last = await fetch(`${upstreamUrl}/bench/last-body?path=${encodeURIComponent(upstreamPath)}`);
  if (!last.ok) throw new Error(`the upstream saw no request on ${upstreamPath}`);
  return last.text();
}

/** One scenario, every target: warm-up, then ROUNDS rounds in which the targets take turns. */
async function measureScenario(mode, scenario, targets) {
  for (const target of targets) {
    target.bodyFile = join(work, `${mode}-${target.label.replace(/\W+/g, '-')}-${scenario.name.replace(/\W+/g, '-')}.json`);
    writeFileSync(target.bodyFile, target.body);
  }
  const samples = new Map(targets.map((target) => [target, { one: [], many: [], ticks: 0, requests: 0, errors: 0 }]));
  if (!scenario.timingsOnly) {
    for (const target of targets) wrk(target.url, target.bodyFile, 32, WARMUP_S, target.headers);
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate who goes first, so no target always runs right after the same neighbour.
      for (let i = 0; i < targets.length; i++) {
        const target = targets[(round + i) % targets.length];
        const sample = samples.get(target);
        const one = wrk(target.url, target.bodyFile, 1, PHASE_1_S, target.headers);
        const ticksBefore = target.pid ? cpuTicks(target.pid) : 0;
        const many = wrk(target.url, target.bodyFile, 32, PHASE_32_S, target.headers);
        if (target.pid) sample.ticks += cpuTicks(target.pid) - ticksBefore;
        // A slow target (a peer) may still be working through what wrk sent when wrk stops; the
        // next target must not share the gateway CPU with that backlog.
        if (target.pid) await cpuQuiet(target.pid);
        sample.one.push(one);
        sample.many.push(many);
        sample.requests += many.requests;
        sample.errors += one.errors + many.errors;
      }
    }
  }
  const rows = [];
  for (const target of targets) {
    const sample = samples.get(target);
    const row = { mode, target: target.label, scenario: scenario.name };
    if (!scenario.timingsOnly) {
      Object.assign(row, {
        p50_1conn_ms: round(median(sample.one.map((s) => s.p50Ms)), 3),
        p99_1conn_ms: round(median(sample.one.map((s) => s.p99Ms)), 3),
        rps_32conn: Math.round(median(sample.many.map((s) => s.rps))),
        p99_32conn_ms: round(median(sample.many.map((s) => s.p99Ms)), 2),
        errors: sample.errors,
        cpu_us_per_request: target.pid ? round((sample.ticks * TICK_MS * 1000) / sample.requests, 1) : undefined,
        rps_rounds: sample.many.map((s) => Math.round(s.rps)),
      });
    }
    if (scenario.stream) {
      const timings = await streamTimings(target.url, target.body, SMOKE ? 3 : scenario.timingsOnly ? 20 : 30, target.headers);
      row.ttft_ms = round(timings.ttftMs, 3);
      if (scenario.slow) row.token_gap_ms = round(timings.gapMs, 3);
    }
    if (target.pid) row.rss_mb = round(rssMb(target.pid), 1);
    if (target.metricsPort) row.heap_used_mb = round(await heapUsedMb(target.metricsPort), 1);
    rows.push(row);
  }
  return rows;
}

const rows = [];
const idle = [];
for (const mode of ['native', 'translate']) {
  const gateway = await startTurnout(mode);
  // Idle: settled after start, before any request (start-up garbage collected, nothing in flight).
  await new Promise((resolve) => setTimeout(resolve, 3000));
  idle.push({ mode, rss_mb: round(rssMb(gateway.child.pid), 1), heap_used_mb: round(await heapUsedMb(gateway.port), 1) });
  const upstreamPath = mode === 'native' ? '/v1/messages' : '/v1/chat/completions';
  for (const scenario of SCENARIOS) {
    const direct = await forwardedBody(gateway.port, scenario.anthropic, upstreamPath);
    rows.push(
      ...(await measureScenario(mode, scenario, [
        { label: 'direct upstream', url: `${upstreamUrl}${upstreamPath}`, body: direct },
        { label: 'raw Node proxy', url: `http://127.0.0.1:${rawProxy.port}${upstreamPath}`, body: direct, pid: rawProxy.child.pid },
        { label: `Turnout ${mode === 'native' ? 'passthrough' : 'translate'}`, url: `http://127.0.0.1:${gateway.port}/v1/messages`, body: scenario.anthropic, pid: gateway.child.pid, metricsPort: gateway.port },
        ...peers.filter((peer) => peer.mode === mode).map((peer) => ({ label: peer.label, url: peer.url, body: peer.bodyFor(scenario.anthropic), headers: peer.headers, pid: peer.child.pid })),
      ])),
    );
  }
  await stop(gateway.child);
}

// Ratios against the direct upstream and the raw proxy, measured in this same run.
for (const row of rows) {
  const peer = (target) => rows.find((r) => r.mode === row.mode && r.scenario === row.scenario && r.target === target);
  const direct = peer('direct upstream');
  const raw = peer('raw Node proxy');
  if (row.rps_32conn !== undefined) {
    row.rps_vs_direct = round(row.rps_32conn / direct.rps_32conn, 2);
    row.rps_vs_raw_proxy = round(row.rps_32conn / raw.rps_32conn, 2);
    row.added_p50_ms = round(row.p50_1conn_ms - direct.p50_1conn_ms, 3);
  }
  if (row.ttft_ms !== undefined) row.added_ttft_ms = round(row.ttft_ms - direct.ttft_ms, 3);
  if (row.token_gap_ms !== undefined) row.added_token_gap_ms = round(row.token_gap_ms - direct.token_gap_ms, 3);
}

const find = (mode, scenario, target) => rows.find((r) => r.mode === mode && r.scenario.startsWith(scenario) && r.target.startsWith(target));
const targets = [];
const check = (name, value, ok, goal) => targets.push({ target: name, goal, measured: value, met: ok });
const pt = find('native', 'unary', 'Turnout');
const tr = find('translate', 'unary', 'Turnout');
check('passthrough unary: req/s vs raw proxy (32 conn)', pt.rps_vs_raw_proxy, pt.rps_vs_raw_proxy >= 0.6, '>= 0.60');
check('passthrough unary: added p50 (1 conn, ms)', pt.added_p50_ms, pt.added_p50_ms <= 0.15, '<= 0.15');
check('translate unary: req/s vs raw proxy (32 conn)', tr.rps_vs_raw_proxy, tr.rps_vs_raw_proxy >= 1 / 3, '>= 0.33');
check('translate unary: added p50 (1 conn, ms)', tr.added_p50_ms, tr.added_p50_ms <= 0.3, '<= 0.30');
for (const mode of ['native', 'translate']) {
  const stream = find(mode, 'stream 256', 'Turnout');
  check(`${mode === 'native' ? 'passthrough' : 'translate'} stream 256: req/s vs direct upstream`, stream.rps_vs_direct, stream.rps_vs_direct >= 0.6, '>= 0.60');
  check(`${mode === 'native' ? 'passthrough' : 'translate'} stream 256: added TTFT (ms)`, stream.added_ttft_ms, stream.added_ttft_ms <= 1, '<= 1');
  const slow = find(mode, 'slow', 'Turnout');
  check(`${mode === 'native' ? 'passthrough' : 'translate'} slow tokens: added delay per token (ms)`, slow.added_token_gap_ms, slow.added_token_gap_ms <= 0.1, '<= 0.10');
}
const cc = find('translate', 'Claude Code', 'Turnout');
check('translate Claude Code request: added p50 (ms)', cc.added_p50_ms, cc.added_p50_ms <= 1, '<= 1');
const rss = Math.max(...rows.filter((r) => r.target.startsWith('Turnout')).map((r) => r.rss_mb));
check('Turnout RSS after the 32-connection runs (MB)', rss, rss < 150, '< 150');
const idleRss = Math.max(...idle.map((i) => i.rss_mb));
check('Turnout RSS idle, after start (MB)', idleRss, idleRss < 90, '< 90');

const machine = { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, date: new Date().toISOString(), pinned: has('taskset') && cpus().length >= 2, peers: peers.map((peer) => peer.resolved) };
const columns = ['mode', 'scenario', 'target', 'p50_1conn_ms', 'p99_1conn_ms', 'rps_32conn', 'p99_32conn_ms', 'ttft_ms', 'token_gap_ms', 'cpu_us_per_request', 'rss_mb', 'heap_used_mb', 'rps_vs_direct', 'rps_vs_raw_proxy', 'added_p50_ms', 'added_ttft_ms', 'added_token_gap_ms'];
const table = [`| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${columns.map((c) => row[c] ?? '').join(' | ')} |`)].join('\n');
const targetTable = ['| target | goal | measured | met |', '|---|---|---|---|', ...targets.map((t) => `| ${t.target} | ${t.goal} | ${t.measured} | ${t.met ? 'yes' : 'no'} |`)].join('\n');
const peerLine = PEERS ? `\nPeers: ${peers.length ? machine.peers.join('; ') : 'none could be started (see the messages above)'}\n` : '';
const markdown = `Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date}${machine.pinned ? ' (gateway on CPU 1; upstream and wrk on CPU 0)' : ''}\n${peerLine}\n${table}\n\nTurnout idle (3 s after start, no request yet): ${idle.map((i) => `${i.mode} RSS ${i.rss_mb} MB, heap used ${i.heap_used_mb} MB`).join('; ')}\n\n${targetTable}\n`;
mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(join(OUT_DIR, 'latest.json'), `${JSON.stringify({ machine, rows, idle, targets }, null, 2)}\n`);
writeFileSync(join(OUT_DIR, 'latest.md'), markdown);
console.log(markdown);
await stop(upstream.child);
await stop(rawProxy.child);
await stopPeers(peers);
process.exit(0);
