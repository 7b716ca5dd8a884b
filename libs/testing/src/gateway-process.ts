import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

export interface GatewayProcess {
  readonly url: string;
  readonly output: () => string;
  stop(): Promise<void>;
  /** Sends a signal (SIGTERM for a graceful stop) without waiting. */
  kill(signal: NodeJS.Signals): void;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  readonly pid: number;
}

/** Writes a config file to a fresh temp dir and returns its path. */
export function writeTempConfig(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'turnout-test-'));
  const path = join(dir, 'turnout.yaml');
  writeFileSync(path, yaml);
  return path;
}

/**
 * Starts the BUILT gateway (`bin/turnout.js serve`, as a user would) on a free port and waits
 * for its "listening on" line. `npm test` builds before running the e2e tier.
 */
export async function startGatewayProcess(configPath: string, env: Record<string, string> = {}): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'turnout.js'), 'serve', '--config', configPath, '--port', '0'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolvePromise) => child.once('exit', (code) => resolvePromise(code)));
  const url = await waitForListening(child, () => output);
  return {
    url,
    output: () => output,
    stop: () => stopProcess(child),
    kill: (signal) => void child.kill(signal),
    exited,
    pid: child.pid as number,
  };
}

function waitForListening(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`gateway did not start within 20 s:\n${output()}`));
    }, 20_000);
    const onData = () => {
      const match = /listening on (http:\/\/[^\s]+)/.exec(output());
      if (match) {
        cleanup();
        resolvePromise(match[1] as string);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`gateway exited with ${code} before listening:\n${output()}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolvePromise) => child.once('exit', () => resolvePromise()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
