import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './prometheus-server';

const run = promisify(execFile);

export interface RedisGroup {
  /** The REDIS_URL a gateway would be given. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A real three-node Redis Cluster on loopback (`redis-server --cluster-enabled yes` ×3, then
 * `redis-cli --cluster create`, no replicas), every slot assigned before it resolves.
 */
export async function startRedisCluster(nodes = 3): Promise<RedisGroup> {
  const dir = mkdtempSync(join(tmpdir(), 'turnout-redis-cluster-'));
  const ports: number[] = [];
  for (let i = 0; i < nodes; i++) ports.push(await freePort());
  const children = ports.map((port) =>
    spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: 'ignore' },
    ),
  );
  const group = { url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`, stop: () => stopAll(children, dir) };
  try {
    for (const port of ports) await waitFor(port, 'PING', 'PONG');
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of ports) await waitFor(port, 'CLUSTER INFO', 'cluster_state:ok');
  } catch (error) {
    await group.stop();
    throw error;
  }
  return group;
}

/** A Redis master and one Sentinel watching it as `mymaster` (quorum 1). */
export async function startRedisSentinel(): Promise<RedisGroup & { readonly masterPort: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'turnout-redis-sentinel-'));
  const [masterPort, sentinelPort] = [await freePort(), await freePort()];
  const master = spawn('redis-server', ['--port', String(masterPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const conf = join(dir, 'sentinel.conf');
  writeFileSync(conf, `port ${sentinelPort}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor mymaster 127.0.0.1 ${masterPort} 1\n`);
  const sentinel = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
  const group = { url: `redis+sentinel://127.0.0.1:${sentinelPort}/mymaster`, masterPort, stop: () => stopAll([master, sentinel], dir) };
  try {
    await waitFor(masterPort, 'PING', 'PONG');
    await waitFor(sentinelPort, 'SENTINEL get-master-addr-by-name mymaster', String(masterPort));
  } catch (error) {
    await group.stop();
    throw error;
  }
  return group;
}

async function waitFor(port: number, command: string, expected: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      last = (await run('redis-cli', ['-p', String(port), ...command.split(' ')])).stdout;
      if (last.includes(expected)) return;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`redis on ${port}: "${command}" did not answer ${expected} within 15 s (last: ${last.trim()})`);
}

async function stopAll(children: readonly ChildProcess[], dir: string): Promise<void> {
  await Promise.all(
    children.map((child) => {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      return exited;
    }),
  );
  rmSync(dir, { recursive: true, force: true });
}
