#!/usr/bin/env node
// `npm run bench:instructions -- [--mode native|translate] [--scenario unary|stream256] [--requests N] [--concurrency N] [--env NAME=VALUE]
// [--token-delay-ms N] [--tree DIR]`:
// CPU instructions per request of the gateway, counted by valgrind's callgrind. On a shared
// machine wall-clock speed drifts by tens of percent between runs (the same build measured 1,601
// and 3,417 req/s); instruction counts repeat within about 3 %, so this is how to tell whether a
// change of a few percent is real. The gateway runs under callgrind with instrumentation off
// until it is warm, then counts N requests sent `--concurrency` (4) at a time. Needs valgrind (apt-get install valgrind).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { has, singleProviderConfig, startProcess, stop } from './processes.mjs';
import { envOptions, option } from './options.mjs';

const root = new URL('..', import.meta.url).pathname;
const mode = option('mode', 'native');
const scenario = option('scenario', 'unary');
const stream = scenario === 'stream256';
const requests = Number(option('requests', stream ? 200 : 1000));
// Requests in flight at once (4 by default). GC costs depend on it: what is in flight when the
// young generation fills is what a scavenge copies.
const concurrency = Number(option('concurrency', 4));
// --token-delay-ms N: the upstream waits N ms between tokens, so each upstream read carries one
// frame as in production, where under valgrind without it many frames arrive per read and the
// per-read costs (promise hops, writes) all but vanish from the count. 2 ms with --concurrency 16
// keeps the gateway, slowed by valgrind, ahead of the tokens.
const tokenDelayMs = Number(option('token-delay-ms', 0));
// --tree DIR: another built checkout's gateway, for a before/after count with the same driver.
const tree = option('tree', root);
// --env NAME=VALUE (repeatable): extra environment for the gateway, e.g. TURNOUT_V8_YOUNG_GENERATION=growing.
const extraEnv = envOptions();
if (!has('valgrind')) {
  console.error('bench:instructions needs valgrind: sudo apt-get install -y valgrind');
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'turnout-instructions-'));
const model = tokenDelayMs > 0 ? `claude-bench-delay${tokenDelayMs}` : 'claude-bench';
const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }], max_tokens: stream ? 256 : 16, ...(stream ? { stream: true } : {}) });
const upstream = await startProcess(process.execPath, [join(root, 'bench/upstream.mjs'), '0']);
const config = join(work, 'turnout.yaml');
writeFileSync(config, singleProviderConfig(`http://127.0.0.1:${upstream.port}`, mode));
const out = join(work, 'callgrind.out');
const gateway = await startProcess(
  'valgrind',
  ['--tool=callgrind', '--separate-threads=yes', '--smc-check=all-non-file', '--instr-atstart=no', `--callgrind-out-file=${out}`, `--log-file=${join(work, 'valgrind.log')}`, process.execPath, ...(process.env.TURNOUT_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), join(tree, 'bin/turnout.js'), 'serve', '--config', config, '--port', '0'],
  { env: { TURNOUT_LOG_FORMAT: 'json', ...extraEnv } },
);

const port = gateway.port; // --port 0: read from the gateway's "listening on" line
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
function post() {
  return new Promise((resolve, reject) => {
    const req = request(`http://127.0.0.1:${port}/v1/messages`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'bench' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}
async function send(count) {
  let left = count;
  const worker = async () => {
    while (left-- > 0) await post();
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
const control = (flag) => execFileSync('callgrind_control', [flag, String(gateway.child.pid)], { stdio: 'ignore' });

await send(stream ? 600 : 3000); // JIT warm-up, uninstrumented (fast)
control('--instr=on');
await send(stream ? 100 : 500); // warm-up of the instrumented code
control('--zero');
await send(requests);
control('--dump');
await new Promise((resolve) => setTimeout(resolve, 500));
agent.destroy();
await stop(gateway.child);
await stop(upstream.child);

// One file per thread (--separate-threads): the main thread's count is the request path's own
// work; V8's compiler and GC helper threads add more when the machine is busy (they finish
// later, so more of their work falls inside the measured window), which made the all-thread
// total vary by up to 20 % on a loaded machine.
const dumps = readdirSync(work).filter((name) => /^callgrind\.out\.\d+-\d+$/.test(name)); // the explicit dump, not the shutdown's
const count = (name) => Number(/^totals:\s+(\d+)/m.exec(readFileSync(join(work, name), 'utf8'))?.[1] ?? '0');
const total = dumps.reduce((sum, name) => sum + count(name), 0);
const mainThread = dumps.filter((name) => name.endsWith('-01')).reduce((sum, name) => sum + count(name), 0);
console.log(`${mode} ${scenario}: ${Math.round(mainThread / requests).toLocaleString('en-US')} instructions per request on the main thread, ${Math.round(total / requests).toLocaleString('en-US')} with V8's helper threads (${requests} requests, ${concurrency} at a time${tokenDelayMs > 0 ? `, ${tokenDelayMs} ms between tokens` : ''}, ${tree === root ? 'this checkout' : tree}, Node ${process.version})`);
console.log(`callgrind output (for callgrind_annotate): ${work}`);
process.exit(0);
