import { Transform, type Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '@turnout/errors';

export interface BodyLimits {
  /** Largest body accepted. */
  readonly maxBodyBytes: number;
  /** Largest body read (and dropped) before the 413, so the client can finish sending and read it. */
  readonly maxDrainBytes: number;
}

/**
 * A body over the limit gets a 413 the client can read. Fastify answers one at once, with
 * `connection: close`, while the client is still sending: the socket closes under it and the
 * client sees EPIPE or a reset instead of the 413 (in about every run with a 33 MB body). So the
 * rest of a too-large body is read and dropped first, up to `maxDrainBytes` (beyond that the
 * sender is hostile, and closing on it is right); then the 413 goes out on a connection the
 * client is reading. Bodies with a content-length over the limit are drained before parsing;
 * chunked ones are cut off at the limit (nothing more is buffered) and drained to their end.
 */
export function installBodyLimits(fastify: FastifyInstance, limits: BodyLimits): void {
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    const declared = Number(request.headers['content-length']);
    if (declared > limits.maxBodyBytes) {
      await drain(payload, limits.maxDrainBytes);
      throw tooLarge(limits.maxBodyBytes);
    }
    return capped(payload, limits);
  });
}

function tooLarge(maxBodyBytes: number): GatewayError {
  return new GatewayError('GW_BODY_TOO_LARGE', { message: `Request exceeds the maximum allowed size of ${maxBodyBytes} bytes` });
}

/** Reads a body to its end and drops it; stops (the caller then answers and closes) past `maxBytes`. */
async function drain(payload: Readable, maxBytes: number): Promise<void> {
  let read = 0;
  for await (const chunk of payload) {
    read += (chunk as Buffer).length;
    if (read > maxBytes) return;
  }
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
