#!/usr/bin/env node
// Time from a config write to every replica serving it (issue 4): one private redis-server,
// three gateway processes sharing it, WRITES route changes through one replica's admin API.
// For each write, every replica's GET /ready is polled back to back until it reports the new
// revision; the figure is the time from the PUT being acknowledged to the last replica. The
// polling itself costs about 0.1 ms per round trip, so it bounds the resolution.
// Usage: npm run build && node bench/config-propagation.mjs [writes]
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WRITES = Number(process.argv[2] ?? 200);
const REPLICAS = 3;
const TOKEN = 'bench-admin';
const root = new URL('..', import.meta.url).pathname;

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const children = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

async function startRedis() {
  const port = await freePort();
  children.push(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }));
  for (let i = 0; i < 200; i++) {
    await sleep(25);
    try {
      const { Redis } = await import('ioredis');
      const probe = new Redis(`redis://127.0.0.1:${port}`, { lazyConnect: true, retryStrategy: () => null });
      await probe.connect();
      probe.disconnect();
      return `redis://127.0.0.1:${port}`;
    } catch {}
  }
  throw new Error('redis-server did not start');
}

async function startGateway(configPath, redisUrl) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'bin/turnout.js'), 'serve', '--config', configPath, '--port', String(port)], {
    env: { PATH: process.env.PATH, REDIS_URL: redisUrl, TURNOUT_ADMIN_TOKEN: TOKEN, TURNOUT_LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise((resolve) => child.stdout.on('data', (chunk) => chunk.toString().includes('listening on') && resolve()));
  child.stdout.resume();
  return `http://127.0.0.1:${port}`;
}

const dir = mkdtempSync(join(tmpdir(), 'turnout-propagation-'));
const configPath = join(dir, 'turnout.yaml');
writeFileSync(
  configPath,
  `providers:\n  - { id: a, kind: llama-cpp, base_url: "http://127.0.0.1:9", messages: translate }\n  - { id: b, kind: llama-cpp, base_url: "http://127.0.0.1:10", messages: translate }\nroutes:\n  - { match: "*", provider: a }\n`,
);

const redisUrl = await startRedis();
const replicas = [];
for (let i = 0; i < REPLICAS; i++) replicas.push(await startGateway(configPath, redisUrl));

async function revisionOf(url) {
  const response = await fetch(`${url}/ready`);
  return (await response.json()).revision;
}

const samples = [];
for (let i = 0; i < WRITES; i++) {
  const provider = i % 2 === 0 ? 'b' : 'a';
  const current = await revisionOf(replicas[0]);
  const response = await fetch(`${replicas[i % REPLICAS]}/admin/config`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'if-match': `"${current}"` },
    body: JSON.stringify({
      providers: [
        { id: 'a', kind: 'llama-cpp', base_url: 'http://127.0.0.1:9', messages: 'translate' },
        { id: 'b', kind: 'llama-cpp', base_url: 'http://127.0.0.1:10', messages: 'translate' },
      ],
      routes: [{ match: '*', provider }],
    }),
  });
  if (response.status !== 200) throw new Error(`write failed: ${response.status} ${await response.text()}`);
  const written = Number(response.headers.get('etag').replaceAll('"', ''));
  const acknowledged = performance.now();
  const lastSeen = await Promise.all(
    replicas.map(async (url) => {
      while ((await revisionOf(url)) < written) {}
      return performance.now();
    }),
  );
  samples.push(Math.max(...lastSeen) - acknowledged);
}

samples.sort((a, b) => a - b);
const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
const result = {
  writes: WRITES,
  replicas: REPLICAS,
  p50_ms: +at(0.5).toFixed(2),
  p90_ms: +at(0.9).toFixed(2),
  p99_ms: +at(0.99).toFixed(2),
  max_ms: +samples.at(-1).toFixed(2),
  node: process.version,
  cpu: (await import('node:os')).cpus()[0]?.model,
  cores: (await import('node:os')).cpus().length,
  date: new Date().toISOString(),
};
console.log(JSON.stringify(result, null, 2));
process.exit(0);
