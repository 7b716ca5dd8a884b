import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort, REPO_ROOT } from '@turnout/testing';

/**
 * The real llama.cpp `llama-server` with the tiny random-weight model: `shared/llama-server/`
 * beside the repository (CI clones the repo next to a copy of `shared/`), or
 * `TURNOUT_LLAMA_SERVER_DIR`.
 */
export const LLAMA_SERVER_DIR = resolve(process.env.TURNOUT_LLAMA_SERVER_DIR ?? join(REPO_ROOT, '..', 'shared', 'llama-server'));

/** The alias `start.sh` gives the model; what the direct requests name. */
export const LLAMA_MODEL = 'tinyllama-2-anthropic';

export type BinaryCheck = { readonly runnable: true } | { readonly runnable: false; readonly reason: string };

/**
 * Whether this machine can run the binary. A missing folder or file is an error (CI always has
 * `shared/`; passing without the upstream would be a lie). The one accepted reason to skip is a
 * CPU without the instructions the binary was built for (AVX2): it dies with SIGILL.
 */
export function checkLlamaServerBinary(dir: string = LLAMA_SERVER_DIR): BinaryCheck {
  for (const file of ['llama-server', 'tiny.gguf', 'start.sh']) {
    if (!existsSync(join(dir, file))) {
      throw new Error(
        `live suite: ${join(dir, file)} is missing. The live tier needs the real llama-server: put shared/llama-server/ ` +
          'beside the repository or set TURNOUT_LLAMA_SERVER_DIR to its folder.',
      );
    }
  }
  const run = spawnSync(join(dir, 'llama-server'), ['--version'], { encoding: 'utf8', timeout: 20_000 });
  if (run.signal === 'SIGILL') {
    return { runnable: false, reason: `${join(dir, 'llama-server')} died with SIGILL (illegal instruction): this CPU lacks AVX2` };
  }
  if (run.error || run.status !== 0) {
    throw new Error(`live suite: llama-server --version failed (${run.error?.message ?? `exit ${run.status}, signal ${run.signal}`}): ${run.stderr}`);
  }
  return { runnable: true };
}

export interface LlamaServer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** `start.sh PORT [args]` on a free port; it waits for /health and prints the pid. */
export async function startLlamaServer(args: readonly string[], dir: string = LLAMA_SERVER_DIR): Promise<LlamaServer> {
  let lastError: unknown;
  // A port found free can be taken before start.sh binds it; start.sh then exits 1 at once.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      const pid = await startOn(dir, port, args);
      return { url: `http://127.0.0.1:${port}`, pid, stop: () => stopPid(pid) };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function startOn(dir: string, port: number, args: readonly string[]): Promise<number> {
  return new Promise((resolvePid, reject) => {
    // Through bash: a copied folder may have lost start.sh's executable bit.
    execFile('bash', [join(dir, 'start.sh'), String(port), ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`start.sh ${port} failed: ${error.message}\n${stderr}`));
      const pid = Number(stdout.trim());
      if (!Number.isInteger(pid) || pid <= 0) return reject(new Error(`start.sh printed no pid: ${stdout}`));
      resolvePid(pid);
    });
  });
}

/** SIGTERM the server start.sh started (by its pid), SIGKILL after 5 s. */
async function stopPid(pid: number): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 5_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
