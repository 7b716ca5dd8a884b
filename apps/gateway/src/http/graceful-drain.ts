import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';

const SWEEP_MS = 100;

/**
 * Counts responses in progress so a stopping gateway can wait for exactly those. Node's own
 * `server.close()` can wait forever on a keep-alive connection whose client began another
 * request or left its parser mid-message (seen with clients that stop reading after an SSE
 * `event: error`), although no response of ours is pending on it.
 */
export class GracefulDrain {
  private inflight = 0;
  private readonly idle = new Set<() => void>();

  install(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (_request, reply, done) => {
      this.inflight += 1;
      // 'close' fires whether the response finished or the socket died first.
      reply.raw.once('close', () => this.finished());
      done();
    });
  }

  /** Resolves once no response is in progress, then cuts every remaining connection. */
  async drain(server: Server): Promise<void> {
    const sweep = setInterval(() => server.closeIdleConnections(), SWEEP_MS);
    try {
      if (this.inflight > 0) await new Promise<void>((resolve) => this.idle.add(resolve));
    } finally {
      clearInterval(sweep);
    }
    server.closeAllConnections();
  }

  private finished(): void {
    this.inflight -= 1;
    if (this.inflight > 0) return;
    for (const resolve of this.idle) resolve();
    this.idle.clear();
  }
}
