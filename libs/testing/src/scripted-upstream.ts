import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the upstream received it, byte for byte. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  /** Resolves when the upstream saw this request's socket close (client abort or keep-alive end). */
  readonly closed: Promise<void>;
  /** Whether the response was fully written before the socket closed. */
  readonly finished: () => boolean;
}

/**
 * A scripted reply. `frames` are written one by one (with `frameDelayMs` between them) so
 * streaming is real; `hangAfterFrames` keeps the response open forever (for idle timeouts and
 * client aborts); `destroyAfterFrames` cuts the socket mid-body.
 */
export interface ScriptedReply {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly json?: unknown;
  readonly body?: string | Buffer;
  readonly frames?: ReadonlyArray<string | Buffer>;
  readonly delayMs?: number;
  readonly frameDelayMs?: number;
  readonly hangAfterFrames?: boolean;
  readonly destroyAfterFrames?: boolean;
  /** Never answer at all: no status line (headers timeout, abort while waiting for headers). */
  readonly neverRespond?: boolean;
}

export interface ScriptedExpectation {
  readonly method?: string;
  readonly path?: string;
}

interface Script {
  readonly expectation: ScriptedExpectation;
  readonly reply: ScriptedReply;
}

/**
 * An HTTP server on loopback that answers from a queue of scripted replies, records every
 * request, and fails loudly (status 599, recorded in `unexpected`) on a request it was not
 * told to expect. Tests assert on what it received, including socket closes.
 */
export class ScriptedUpstream {
  readonly requests: RecordedRequest[] = [];
  readonly unexpected: string[] = [];
  private readonly queue: Script[] = [];
  private readonly standingReplies: Script[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly arrivals: Array<(request: RecordedRequest) => void> = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<ScriptedUpstream> {
    const server = createServer();
    const upstream = new ScriptedUpstream(server);
    server.on('request', (req, res) => void upstream.handle(req, res));
    server.on('connection', (socket) => {
      upstream.sockets.add(socket);
      socket.once('close', () => upstream.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return upstream;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Queues a reply for the next request matching `expectation`. */
  expect(expectation: ScriptedExpectation = {}): { respond(reply: ScriptedReply): ScriptedUpstream } {
    return {
      respond: (reply) => {
        this.queue.push({ expectation, reply });
        return this;
      },
    };
  }

  /**
   * Answers every request matching `expectation` with `reply`, for as long as the server runs,
   * without recording it: background traffic such as the gateway's provider probes, which a
   * test about something else should neither script nor see. Queued replies take precedence.
   */
  standing(expectation: ScriptedExpectation): { respond(reply: ScriptedReply): ScriptedUpstream } {
    return {
      respond: (reply) => {
        this.standingReplies.push({ expectation, reply });
        return this;
      },
    };
  }

  /** Resolves with the next request to arrive (or the already-recorded one at `index`). */
  nextRequest(index = this.requests.length): Promise<RecordedRequest> {
    const existing = this.requests[index];
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve) => this.arrivals.push(resolve));
  }

  get pending(): number {
    return this.queue.length;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = req.url ?? '/';
    const closed = socketClosed(req.socket);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.split('?')[0] as string,
      url,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      closed,
      finished: () => res.writableFinished,
    };
    const matches = ({ expectation: e }: Script) => (!e.method || e.method === recorded.method) && (!e.path || e.path === recorded.path);
    const index = this.queue.findIndex(matches);
    const standing = index === -1 ? this.standingReplies.find(matches) : undefined;
    if (standing) {
      await this.play(standing.reply, res);
      return;
    }
    this.requests.push(recorded);
    this.arrivals.splice(0).forEach((resolve) => resolve(recorded));
    if (index === -1) {
      this.unexpected.push(`${recorded.method} ${recorded.url}`);
      res.writeHead(599, { 'content-type': 'text/plain' }).end('unexpected request');
      return;
    }
    const [script] = this.queue.splice(index, 1);
    await this.play((script as Script).reply, res);
  }

  private async play(reply: ScriptedReply, res: ServerResponse): Promise<void> {
    if (reply.neverRespond) return;
    if (reply.delayMs) await sleep(reply.delayMs);
    if (res.destroyed) return;
    const headers: Record<string, string> = { ...reply.headers };
    if (reply.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      res.writeHead(reply.status ?? 200, headers).end(JSON.stringify(reply.json));
      return;
    }
    if (reply.frames) {
      headers['content-type'] ??= 'text/event-stream';
      res.writeHead(reply.status ?? 200, headers);
      res.flushHeaders();
      for (const frame of reply.frames) {
        if (res.destroyed) return;
        res.write(frame);
        if (reply.frameDelayMs) await sleep(reply.frameDelayMs);
      }
      if (reply.destroyAfterFrames) {
        res.socket?.destroy();
        return;
      }
      if (!reply.hangAfterFrames) res.end();
      return;
    }
    res.writeHead(reply.status ?? 200, headers).end(reply.body ?? '');
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * One close promise per socket, shared by every request on that keep-alive connection (a
 * listener per request would pile up and trip Node's MaxListeners warning).
 */
const closedSockets = new WeakMap<Socket, Promise<void>>();
function socketClosed(socket: Socket): Promise<void> {
  let closed = closedSockets.get(socket);
  if (!closed) {
    closed = socket.destroyed ? Promise.resolve() : new Promise<void>((resolve) => socket.once('close', () => resolve()));
    closedSockets.set(socket, closed);
  }
  return closed;
}
