#!/usr/bin/env node
// `node bench/compare-builds.mjs --trees /path/to/old-checkout,/path/to/this-checkout [--mode native|translate]
// [--scenario stream256|unary] [--rounds N] [--secs S] [--c 32]`: two or more built checkouts of
// Turnout (npm run build in each) side by side against one scripted upstream, wrk at 32
// connections, rounds interleaved (in native mode the raw proxy too); prints req/s and the
// gateway's CPU µs per request per round and their medians. Callgrind (bench:instructions)
// under-weights per-read costs, since under valgrind many frames arrive per read: this is how
// issue 14's remaining stream regression was measured. TURNOUT_* variables reach the gateways;
// GW_FLAGS adds node flags. A tree may carry its own environment after `#`
// (`--trees .#TURNOUT_V8_YOUNG_GENERATION=16,.#TURNOUT_V8_YOUNG_GENERATION=growing`: one build,
// two settings; `&` between variables).
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
const root = new URL('..', import.meta.url).pathname;
import { cpuTicks, rssMb, singleProviderConfig, startProcess } from './processes.mjs';
import { envFromAssignments, option } from './options.mjs';
const mode = option('mode', 'native'); const scen = option('scenario', 'stream256'); const rounds = Number(option('rounds', 4)); const secs = Number(option('secs', 4)); const conns = Number(option('c', 32));
const trees = option('trees', root).split(',');
const work = mkdtempSync(join(tmpdir(), 'ab-'));
const pin = (cpu, argv) => ['taskset', ['-c', String(cpu), ...argv]];
const start = (cpu, argv, env = {}) => { const [c, a] = pin(cpu, argv); return startProcess(c, a, { env }); };
const up = await start(0, [process.execPath, join(root, 'bench/upstream.mjs'), '0']);
const upUrl = `http://127.0.0.1:${up.port}`;
const path = mode === 'native' ? '/v1/messages' : '/v1/chat/completions';
const stream = scen === 'stream256';
const body = JSON.stringify({ model: 'claude-bench', messages: [{ role: 'user', content: 'hello' }], max_tokens: stream ? 256 : 16, ...(stream ? { stream: true } : {}) });
const bodyFile = join(work, 'body.json'); writeFileSync(bodyFile, body);
const targets = [];
const raw = await start(1, [process.execPath, join(root, 'bench/raw-proxy.mjs'), '0', upUrl]);
for (const spec of trees) {
  const [tree, own = ''] = spec.split('#');
  const ownEnv = envFromAssignments(own.split('&'));
  const cfg = join(work, `${targets.length}.yaml`); writeFileSync(cfg, singleProviderConfig(upUrl, mode));
  const g = await start(1, [process.execPath, ...(process.env.GW_FLAGS ? process.env.GW_FLAGS.split(' ') : []), join(tree, 'bin/turnout.js'), 'serve', '--config', cfg, '--port', '0'], { TURNOUT_LOG_FORMAT: 'json', ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('TURNOUT_'))), ...ownEnv });
  targets.push({ label: spec, url: `http://127.0.0.1:${g.port}/v1/messages`, pid: g.child.pid, rps: [], cpu: [] });
}
if (mode === 'native') { // raw proxy gets the same upstream body
  targets.unshift({ label: 'raw', url: `http://127.0.0.1:${raw.port}${path}`, pid: raw.child.pid, rps: [], cpu: [] });
}
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
function wrk(url, c, s) {
  const [cmd, argv] = pin(0, ['wrk', '-t', c === 1 ? '1' : '2', '-c', String(c), '-d', `${s}s`, '-s', join(root, 'bench/post.lua'), url]);
  const out = execFileSync(cmd, argv, { env: { PATH: process.env.PATH, BENCH_BODY_FILE: bodyFile } }).toString();
  const j = JSON.parse(out.split('\n').find((l) => l.startsWith('{"requests"')));
  return { rps: j.requests / (j.duration_us / 1e6), requests: j.requests, p50: j.p50_us / 1000 };
}
for (const t of targets) wrk(t.url, conns, 2);
for (let r = 0; r < rounds; r++) for (let i = 0; i < targets.length; i++) {
  const t = targets[(r + i) % targets.length];
  const before = cpuTicks(t.pid); const res = wrk(t.url, conns, secs); const ticks = cpuTicks(t.pid) - before;
  t.rps.push(Math.round(res.rps)); t.cpu.push(Math.round(ticks * TICK_MS * 1000 / res.requests)); t.p50 = (t.p50 ?? []).concat(res.p50);
}
const med = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
for (const t of targets) console.log(`${t.label.padEnd(16)} rps med ${med(t.rps)} ${JSON.stringify(t.rps)}  cpu µs/req med ${med(t.cpu)} ${JSON.stringify(t.cpu)} p50 ${med(t.p50).toFixed(3)} rss ${rssMb(t.pid).toFixed(0)}`);
process.exit(0);
