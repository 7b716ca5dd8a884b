#!/usr/bin/env node
// `npm run bench:workers`: what `turnout serve --workers 2` gives over one process. Translate mode,
// unary 16 tokens, 32 connections (wrk), against bench/upstream.mjs. The upstream and wrk are
// pinned to CPU 0 as in `npm run bench`; the gateway is not pinned (its workers may use every
// CPU), so on a 2-core machine the second worker shares CPU 0 with the upstream and wrk.
// Writes bench/results/workers.{json,md}. `-d 3s` sets the measured phase (default 10 s).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuTicks, has, rssMb, singleProviderConfig, startProcess, stop } from './processes.mjs';

const root = new URL('..', import.meta.url).pathname;
const durationArg = process.argv.indexOf('-d');
const PHASE_S = durationArg === -1 ? 10 : Number.parseFloat(process.argv[durationArg + 1]);
if (!(PHASE_S > 0)) {
  console.error('usage: node bench/workers.mjs [-d SECONDS]');
  process.exit(2);
}
const WARMUP_S = Math.min(3, PHASE_S);
const CONNECTIONS = 32;
const WORKER_COUNTS = [1, 2];

if (!has('wrk')) {
  console.error('npm run bench:workers needs wrk (the load generator): sudo apt-get install -y wrk');
  process.exit(1);
}
const pinned = has('taskset') && cpus().length >= 2;
const onCpu0 = (argv) => (pinned ? ['taskset', ['-c', '0', ...argv]] : [argv[0], argv.slice(1)]);

/** Starts a process and resolves with `{ child, match }` once its output matches `pattern`. */
const start = ([command, args], pattern, env = {}) => startProcess(command, args, { pattern, env });

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
const round = (value, digits = 2) => Number(value.toFixed(digits));
const sum = (values) => values.reduce((a, b) => a + b, 0);

function wrk(url, bodyFile, seconds) {
  const args = ['-t', '2', '-c', String(CONNECTIONS), '-d', `${seconds}s`, '-s', join(root, 'bench/post.lua'), url];
  const [command, argv] = onCpu0(['wrk', ...args]);
  const out = execFileSync(command, argv, { env: { PATH: process.env.PATH, BENCH_BODY_FILE: bodyFile } }).toString();
  const json = JSON.parse(out.split('\n').find((line) => line.startsWith('{"requests"')));
  return { rps: json.requests / (json.duration_us / 1e6), p50Ms: json.p50_us / 1000, p99Ms: json.p99_us / 1000, requests: json.requests, errors: json.errors };
}

const work = mkdtempSync(join(tmpdir(), 'turnout-bench-workers-'));
const bodyFile = join(work, 'unary-16.json');
writeFileSync(bodyFile, JSON.stringify({ model: 'claude-bench', max_tokens: 16, messages: [{ role: 'user', content: 'hello' }] }));
const config = join(work, 'translate.yaml');

const upstream = await start(onCpu0([process.execPath, join(root, 'bench/upstream.mjs'), '0']), /listening (?:on http:\/\/[^:]+:)?(\d+)/);
const upstreamUrl = `http://127.0.0.1:${upstream.match[1]}`;
writeFileSync(config, singleProviderConfig(upstreamUrl, 'translate'));

const rows = [];
for (const workers of WORKER_COUNTS) {
  // One process prints "listening on URL with …"; a cluster's primary adds "with N workers (pids a, b)".
  const gateway = await start(
    [process.execPath, [join(root, 'bin/turnout.js'), 'serve', '--config', config, '--port', '0', '--workers', String(workers)]],
    /listening on (http:\/\/\S+) with (?:\d+ workers \(pids ([\d, ]+)\)|\d+ provider)/,
    { TURNOUT_LOG_FORMAT: 'json' },
  );
  const url = `${gateway.match[1]}/v1/messages`;
  // Every process that does the work: the primary only hands connections out, but that is CPU too.
  const pids = [gateway.child.pid, ...(gateway.match[2] ? gateway.match[2].split(', ').map(Number) : [])];
  wrk(url, bodyFile, WARMUP_S);
  const ticksBefore = sum(pids.map(cpuTicks));
  const run = wrk(url, bodyFile, PHASE_S);
  const cpuMs = (sum(pids.map(cpuTicks)) - ticksBefore) * TICK_MS;
  rows.push({
    workers,
    rps_32conn: Math.round(run.rps),
    p50_32conn_ms: round(run.p50Ms, 2),
    p99_32conn_ms: round(run.p99Ms, 2),
    errors: run.errors,
    cpu_us_per_request: round((cpuMs * 1000) / run.requests, 1),
    cpu_cores_busy: round(cpuMs / (PHASE_S * 1000), 2),
    rss_mb_total: round(sum(pids.map(rssMb)), 1),
  });
  await stop(gateway.child);
}
await stop(upstream.child);

const [one, two] = rows;
const ratio = { rps: round(two.rps_32conn / one.rps_32conn, 2), p99: round(two.p99_32conn_ms / one.p99_32conn_ms, 2) };
const machine = { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, date: new Date().toISOString(), pinned, phase_s: PHASE_S };
const columns = ['workers', 'rps_32conn', 'p50_32conn_ms', 'p99_32conn_ms', 'errors', 'cpu_us_per_request', 'cpu_cores_busy', 'rss_mb_total'];
const table = [`| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${columns.map((c) => row[c]).join(' | ')} |`)].join('\n');
const markdown = `Translate mode, unary 16 tokens, ${CONNECTIONS} connections, ${PHASE_S} s per run after ${WARMUP_S} s of warm-up.
Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date}${pinned ? ' (upstream and wrk on CPU 0; the gateway not pinned)' : ' (nothing pinned)'}

${table}

workers=2 vs workers=1: **${ratio.rps}× the requests per second**, p99 ${ratio.p99}× (cpu and rss summed over the primary and its workers).
`;
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/workers.json'), `${JSON.stringify({ machine, rows, ratio }, null, 2)}\n`);
writeFileSync(join(root, 'bench/results/workers.md'), markdown);
console.log(markdown);
process.exit(0);
