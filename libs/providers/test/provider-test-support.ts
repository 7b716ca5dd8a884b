import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ScriptedReply } from '@turnout/testing';
import type { ProviderKind, UpstreamTarget } from '../src';

/** The real llama-server exchanges vendored at the repo root (test/fixtures/llama-server/README.md). */
const LLAMA_FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'llama-server');

export function llamaFixture(file: string): string {
  return readFileSync(join(LLAMA_FIXTURES, file), 'utf8');
}

/** A reply carrying a recorded llama-server body byte for byte, with its recorded status and content type. */
export function llamaReply(file: string, status = 200): ScriptedReply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: llamaFixture(file) };
}

export function targetFor(baseUrl: string, kind: ProviderKind, apiKey?: string): UpstreamTarget {
  return {
    id: `test-${kind.id}`,
    baseUrl,
    auth: kind.auth,
    apiKey,
    timeouts: { connectMs: 1_000, firstByteMs: 5_000, idleMs: 5_000 },
  };
}

/** A signal that never aborts: the test is about something else. */
export function openSignal(): AbortSignal {
  return new AbortController().signal;
}

/** A loopback URL nothing listens on: a port the OS gave us, then closed. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
