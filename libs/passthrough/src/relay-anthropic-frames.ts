import { GatewayError } from '@turnout/errors';
import { SseFrameReader, SseParseError, type SseFrame } from '@turnout/sse';
import type { AnthropicSseTap } from './anthropic-sse-tap';
import { upstreamErrorEventAsGatewayError } from './upstream-error-event';
import { renameMessageStartModel } from './rename-message-start';
import { addSafeguardResultsToDelta } from './safeguard-results-relay';
import { CONTENT_DELTA_DATA_AT, isContentDeltaFrame } from './content-delta-frame';

export interface RelayOptions {
  /** Observes every frame relayed (usage, stop reason, first content). */
  readonly tap: AnthropicSseTap;
  /** The model name the client asked for, written into `message_start` when the upstream's differs. */
  readonly rename?: string;
  /** `safeguard_results` Turnout answers for the upstream (`safeguards: synthesize`), set in `message_delta`. */
  readonly safeguardResults?: unknown;
  /** Largest frame held while waiting for its end. */
  readonly maxFrameBytes?: number;
}

/**
 * Events the official SDKs parse as JSON (`MessageStream` throws on any that is not). Frames
 * with other names are relayed too (the SDK skips unknown events, and Anthropic adds new ones);
 * frames without an `event:` line are not Anthropic frames and are dropped.
 */
const PARSED_EVENTS = new Set(['message_start', 'message_delta', 'message_stop', 'content_block_start', 'content_block_stop']);

/**
 * The passthrough relay: an upstream Anthropic event stream as the client may see it. Yields,
 * per upstream read, the complete frames that read finished, as the upstream sent them (the
 * one edit: the model name in `message_start`), so the client never receives part of a frame.
 * Whatever goes wrong is thrown as a GatewayError after the good frames before it, and the
 * reply writer turns it into the stream's one Anthropic `event: error`:
 * - an upstream `event: error`, in any shape (llama.cpp sends its own, not Anthropic's);
 * - a frame the SDK would fail to parse (not JSON where JSON is due);
 * - a body that stops mid-frame, or ends without `message_stop`;
 * - a frame larger than the limit.
 * Body read failures (resets, timeouts) are thrown as they come, for the caller to classify.
 */
export async function* relayAnthropicFrames(body: AsyncIterable<Uint8Array>, options: RelayOptions): AsyncGenerator<string | Uint8Array> {
  const reader = new SseFrameReader(options.maxFrameBytes);
  const { tap } = options;
  let renamePending = options.rename !== undefined;
  for await (const chunk of body) {
    let frames: SseFrame[];
    try {
      frames = reader.push(chunk);
    } catch (error) {
      throw asProtocolError(error);
    }
    if (frames.length === 0) continue;
    let out = '';
    let edited = false;
    let failure: GatewayError | undefined;
    for (const frame of frames) {
      // Most of every stream, so told from its first line and checked by shape only.
      if (isContentDeltaFrame(frame.raw)) {
        tap.observeContentDelta();
        if (!looksLikeObject(frame.raw, CONTENT_DELTA_DATA_AT)) {
          failure = notAnObject('content_block_delta');
          break;
        }
        out += frame.raw;
        continue;
      }
      tap.observe(frame);
      const name = frame.eventName;
      if (name === 'error') {
        failure = upstreamErrorEventAsGatewayError(frame.data);
        break;
      }
      failure = malformed(name, frame);
      if (failure !== undefined) break;
      if (name === undefined) {
        edited = true; // not an Anthropic frame: dropped
        continue;
      }
      if (renamePending && name === 'message_start') {
        renamePending = false;
        edited = true;
        out += renameMessageStartModel(frame.raw, options.rename as string);
      } else if (options.safeguardResults !== undefined && name === 'message_delta') {
        edited = true;
        out += addSafeguardResultsToDelta(frame.raw, options.safeguardResults);
      } else {
        out += frame.raw;
      }
    }
    // The upstream's own bytes when they are exactly the frames relayed: no re-encoding.
    if (failure === undefined && !edited && reader.lastReadWasWholeFrames) yield chunk;
    else if (out !== '') yield out;
    if (failure !== undefined) throw failure;
  }
  const last = reader.end();
  for (const frame of last.frames) tap.observe(frame);
  tap.end();
  if (last.partial !== undefined && last.partial.trim() !== '') {
    throw new GatewayError('GW_UPSTREAM_STREAM_ENDED', { message: 'The upstream stream ended in the middle of an event' });
  }
  if (!tap.sawMessageStop) throw new GatewayError('GW_UPSTREAM_STREAM_ENDED');
}

/**
 * Why the client's SDK could not read this frame, if it could not: every event the SDK parses is
 * parsed here, but content_block_delta, most of every stream, which the relay checks by shape (a
 * JSON object's braces) to keep its per-token cost at a string search.
 */
function malformed(name: string | undefined, frame: SseFrame): GatewayError | undefined {
  if (name === undefined || !PARSED_EVENTS.has(name)) return undefined;
  return isJsonObject(frame.data) ? undefined : notAnObject(name);
}

function notAnObject(name: string): GatewayError {
  return new GatewayError('GW_UPSTREAM_PROTOCOL', { message: `The upstream sent a ${name} event that is not a JSON object` });
}

function isJsonObject(data: string | undefined): boolean {
  if (data === undefined) return false;
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** `data: {` … `}` followed only by line ends: the frame carries one object (or garbage shaped like one). */
function looksLikeObject(raw: string, data: number): boolean {
  const open = raw.charCodeAt(data + 5) === 0x20 ? data + 6 : data + 5;
  if (raw.charCodeAt(open) !== 0x7b) return false;
  let close = raw.length - 1;
  while (close > open && (raw.charCodeAt(close) === 0x0a || raw.charCodeAt(close) === 0x0d)) close--;
  return raw.charCodeAt(close) === 0x7d;
}
function asProtocolError(error: unknown): unknown {
  if (!(error instanceof SseParseError)) return error;
  return new GatewayError('GW_UPSTREAM_PROTOCOL', { message: `The upstream event stream is malformed: ${error.message}`, cause: error });
}
