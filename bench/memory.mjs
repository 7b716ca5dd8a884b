#!/usr/bin/env node
// `npm run bench:memory -- [--seconds N]`: the gateway's memory, idle and under the load of issue
// 20 (32 connections of unary requests and 32 of 256-token streams at once, wrk), in passthrough
// and translate modes. RSS (/proc/PID/status) is sampled every 250 ms during the load; heap used
// is the gateway's own `nodejs_heap_size_used_bytes`; CPU is the gateway's user + system time. Extra environment for the gateway (for
// instance TURNOUT_V8_YOUNG_GENERATION=growing TURNOUT_V8_HEAP_GROWTH_PERCENT=0 for V8's own
// heap sizing) is passed through with --env NAME=VALUE. Writes bench/results/memory.{json,md}.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawn as spawnProcess } from 'node:child_process';
import { cpuTicks, has, heapUsedMb, rssMb, singleProviderConfig, startProcess, stop } from './processes.mjs';
import { envOptions, option } from './options.mjs';

const root = new URL('..', import.meta.url).pathname;
const SECONDS = Number(option('seconds', 20));
const IDLE_SETTLE_MS = 3000;
const TICK_US = 1e6 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
const extraEnv = envOptions();
if (!has('wrk')) {
  console.error('bench:memory needs wrk (the load generator): sudo apt-get install -y wrk');
  process.exit(1);
}
// Same layout as bench/run.mjs: the gateway alone on CPU 1, the upstream and wrk on CPU 0.
const pinned = has('taskset') && cpus().length >= 2;
const pin = (cpu, argv) => (pinned ? ['taskset', ['-c', String(cpu), ...argv]] : [argv[0], argv.slice(1)]);
const start = (cpu, argv, env = {}) => startProcess(...pin(cpu, argv), { env });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (value) => Number(value.toFixed(1));

const work = mkdtempSync(join(tmpdir(), 'turnout-memory-'));
const bodyFile = (name, extra) => {
  const path = join(work, `${name}.json`);
  writeFileSync(path, JSON.stringify({ model: 'claude-bench', messages: [{ role: 'user', content: 'hello' }], ...extra }));
  return path;
};
const unary = bodyFile('unary', { max_tokens: 16 });
const stream = bodyFile('stream', { max_tokens: 256, stream: true });

function wrk(url, file) {
  const [command, args] = pin(0, ['wrk', '-t', '1', '-c', '32', '-d', `${SECONDS}s`, '-s', join(root, 'bench/post.lua'), url]);
  return new Promise((resolve, reject) => {
    const child = spawnProcess(command, args, { env: { PATH: process.env.PATH, BENCH_BODY_FILE: file } });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', () => {
      const json = JSON.parse(out.split('\n').find((line) => line.startsWith('{"requests"')));
      resolve({ requests: json.requests, rps: Math.round(json.requests / (json.duration_us / 1e6)), errors: json.errors });
    });
  });
}

const upstream = await start(0, [process.execPath, join(root, 'bench/upstream.mjs'), '0']);
const rows = [];
for (const mode of ['native', 'translate']) {
  const config = join(work, `${mode}.yaml`);
  writeFileSync(config, singleProviderConfig(`http://127.0.0.1:${upstream.port}`, mode));
  const gateway = await start(1, [process.execPath, join(root, 'bin/turnout.js'), 'serve', '--config', config, '--port', '0'], { TURNOUT_LOG_FORMAT: 'json', ...extraEnv });
  const pid = gateway.child.pid;
  await sleep(IDLE_SETTLE_MS);
  const idleRss = rssMb(pid);
  const idleHeap = await heapUsedMb(gateway.port);
  const samples = [];
  const sampler = setInterval(() => samples.push(rssMb(pid)), 250);
  const ticksBefore = cpuTicks(pid);
  const url = `http://127.0.0.1:${gateway.port}/v1/messages`;
  const [u, s] = await Promise.all([wrk(url, unary), wrk(url, stream)]);
  clearInterval(sampler);
  const ticks = cpuTicks(pid) - ticksBefore;
  const heapAfter = await heapUsedMb(gateway.port);
  const rssAfter = rssMb(pid);
  rows.push({
    mode,
    idle_rss_mb: round(idleRss),
    idle_heap_used_mb: round(idleHeap),
    load_rss_median_mb: round(median(samples)),
    load_rss_max_mb: round(Math.max(...samples, rssAfter)),
    load_heap_used_mb: round(heapAfter),
    unary_rps: u.rps,
    stream_rps: s.rps,
    // The gateway's CPU time over the load per request (a stream counts as one request).
    cpu_us_per_request: Math.round((ticks * TICK_US) / (u.requests + s.requests)),
    errors: u.errors + s.errors,
  });
  await stop(gateway.child);
}
await stop(upstream.child);

const machine = { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, date: new Date().toISOString(), pinned, seconds: SECONDS, env: extraEnv };
const columns = Object.keys(rows[0]);
const markdown = [
  `Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date}; ${SECONDS} s of 32 unary + 32 streaming connections${Object.keys(extraEnv).length ? `; env ${JSON.stringify(extraEnv)}` : ''}`,
  '',
  `| ${columns.join(' | ')} |`,
  `|${columns.map(() => '---').join('|')}|`,
  ...rows.map((row) => `| ${columns.map((c) => row[c]).join(' | ')} |`),
  '',
].join('\n');
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/memory.json'), `${JSON.stringify({ machine, rows }, null, 2)}\n`);
writeFileSync(join(root, 'bench/results/memory.md'), markdown);
console.log(markdown);
process.exit(0);
