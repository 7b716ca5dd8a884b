// What every benchmark script needs to run the processes it measures: start one and wait for its
// "listening" line, the gateway's config, stop it, read its CPU time and RSS, and kill whatever is
// left on exit.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';

/** The line bench/upstream.mjs, bench/raw-proxy.mjs and `turnout serve` print once they listen. */
export const LISTENING = /listening (?:on http:\/\/[^:]+:)?(\d+)/;

const children = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

export function has(command) {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Spawns `command args` and resolves with `{ child, match, port }` once its stdout matches `pattern`. */
export function startProcess(command, args, { pattern = LISTENING, env = {} } = {}) {
  const child = spawn(command, args, { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk) => {
      out += chunk;
      const match = pattern.exec(out);
      if (match) {
        child.stdout.off('data', onData);
        // From here on a `cat` of its own drains the child's output: the benchmarks block their
        // own event loop in execFileSync(wrk), and a pipe they do not read fills up, after which
        // the gateway queued every request's log line in its memory (130 MB in 15 s). `cat`
        // gets a copy of the pipe's descriptor, so it keeps reading whatever this process does.
        const drain = spawn('cat', [], { stdio: [child.stdout, 'ignore', 'ignore'] });
        children.push(drain);
        child.stdout.destroy();
        resolve({ child, match, port: Number(match[1]) });
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${out}`)));
  });
}

/** The Turnout config every single-upstream benchmark runs: one provider at `upstreamUrl` in `messages` mode (native or translate), no retries, every model routed to it. */
export const singleProviderConfig = (upstreamUrl, messages) =>
  `providers:\n  - { id: u, kind: llama-cpp, base_url: "${upstreamUrl}", messages: ${messages}, retries: { max_attempts: 1 } }\nroutes:\n  - { match: "*", provider: u }\n`;

export const stop = (child) => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM'))));

/** User + system CPU of a process, in clock ticks. */
export const cpuTicks = (pid) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((a, b) => a + Number(b), 0);

export const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** The gateway's V8 heap in use (MB), from its own `/metrics` (prom-client's `nodejs_heap_size_used_bytes`). */
export async function heapUsedMb(port) {
  // A fresh connection each time: a pooled keep-alive socket the gateway has just closed
  // failed one full run with "other side closed".
  const text = await new Promise((resolve, reject) => {
    const req = request(`http://127.0.0.1:${port}/metrics`, { agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
  return Number(/^nodejs_heap_size_used_bytes\s+(\S+)/m.exec(text)?.[1] ?? NaN) / 1048576;
}
