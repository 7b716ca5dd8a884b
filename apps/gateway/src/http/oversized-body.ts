import { Transform, type Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '@turnout/errors';
import { errorRendererForPath } from './error-renderers';
import { sendErrorReply } from './reply-writer';

export interface BodyLimits {
  /** Largest body accepted. */
  readonly maxBodyBytes: number;
  /** Largest body read (and dropped) before the 413, so the client can finish sending and read it. */
  readonly maxDrainBytes: number;
}

/**
 * A body over the limit gets a 413 the client can read. Fastify answers one at once, with
 * `connection: close`, while the client is still sending: the socket closes under it and the
 * client sees EPIPE or a reset instead of the 413 (in about every run with a 33 MB body).
 * Here a body declared too large is answered at once too (a client that reads while it sends
 * sees the 413 without sending the rest), but the connection stays open and the rest of the
 * body is read and dropped, so a client that sends first and reads after gets it as well; past
 * `maxDrainBytes` the sender is hostile and the connection is closed. A chunked body is cut off
 * at the limit (nothing more is buffered) and drained to its end before its 413.
 */
export function installBodyLimits(fastify: FastifyInstance, limits: BodyLimits): void {
  fastify.addHook('preParsing', async (request, reply, payload) => {
    const declared = Number(request.headers['content-length']);
    if (declared > limits.maxBodyBytes) {
      drainInBackground(payload, limits.maxDrainBytes, () => request.raw.socket?.destroy());
      sendErrorReply(reply, tooLarge(limits.maxBodyBytes), request.id, {}, errorRendererForPath(request.url));
      return reply as unknown as Readable;
    }
    // A declared length within the limit bounds the body already (Node's parser stops there):
    // only a chunked body needs counting, and the stream that counts costs every request.
    return request.headers['content-length'] === undefined ? capped(payload, limits) : payload;
  });
}

function tooLarge(maxBodyBytes: number): GatewayError {
  return new GatewayError('GW_BODY_TOO_LARGE', { message: `Request exceeds the maximum allowed size of ${maxBodyBytes} bytes` });
}

/** Reads a body to its end and drops it; past `maxBytes`, gives up on the sender. */
function drainInBackground(payload: Readable, maxBytes: number, giveUp: () => void): void {
  let read = 0;
  payload.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > maxBytes) {
      payload.removeAllListeners('data');
      giveUp();
    }
  });
  payload.on('error', () => undefined);
}

/**
 * The body as Fastify reads it, but never more than the limit: past it, the rest is counted and
 * dropped to the end of the body (or `maxDrainBytes`), then the stream fails with the 413.
 */
function capped(payload: Readable, limits: BodyLimits): Readable {
  let seen = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen <= limits.maxBodyBytes) return done(null, chunk);
      if (seen > limits.maxBodyBytes + limits.maxDrainBytes) return done(tooLarge(limits.maxBodyBytes));
      done();
    },
    flush(done) {
      done(seen > limits.maxBodyBytes ? tooLarge(limits.maxBodyBytes) : null);
    },
  });
  payload.on('error', (error) => cap.destroy(error));
  return payload.pipe(cap);
}
