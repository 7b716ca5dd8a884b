import { ToolArgumentsScanner } from './tool-arguments';

/**
 * One upstream tool call inside a stream. `waiting`: seen, not yet a block (no name yet, or
 * another call holds the one open block), its arguments accumulate in the scanner; `open`: the
 * current `tool_use` block, arguments go out as they become safe; `closed`: its block is stopped.
 */
export class ToolCall {
  readonly arguments = new ToolArgumentsScanner();
  status: 'waiting' | 'open' | 'closed' = 'waiting';
  /** First non-empty name wins: some servers repeat the name on every fragment. */
  name: string | undefined;

  constructor(
    /** `tool_calls[].index` (or the fragment's position when a server omits it). */
    readonly key: number,
    /** The upstream id; a different id under the same key is a different call (docs/protocol.md §10 C5). */
    public upstreamId: string | undefined,
  ) {}
}
