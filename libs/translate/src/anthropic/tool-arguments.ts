/**
 * Tool-call arguments, unary and streamed, under one policy.
 *
 * Anthropic requires `tool_use.input` to be an object, and in a stream the concatenated
 * `input_json_delta` fragments MUST form one valid JSON object by `content_block_stop`
 * (docs/protocol.md §3.4). OpenAI upstreams send `arguments` as a string that may be invalid: cut
 * short by `max_tokens`, or garbage from a model without a working tool parser.
 *
 * Policy ("complete top-level parameters only"): the client sees the arguments object up to its
 * last complete top-level member, closed with `}`; `{}` when not even the opening `{` is valid.
 * A cut-off value is dropped, never completed: closing a truncated string could turn
 * `rm -rf /tmp/build` into `rm -rf /` (the SDK's partial-JSON parser would do exactly that).
 * Anything after the top-level object is ignored. Valid arguments pass through unchanged.
 *
 * The scanner is incremental so that a stream can forward each parameter as soon as its value
 * is complete and still never send a byte it would have to take back; the unary path runs the
 * same scanner over the whole string, so both paths give the same `input`.
 */
export class ToolArgumentsScanner {
  private text = '';
  /** Characters of `text` already scanned. */
  private scanned = 0;
  /** End of the longest prefix that `}` turns into a valid object (or that is one already). */
  private cut = 0;
  private cutCloser = '';
  private hasCut = false;
  /** Characters of `text` already handed out by `release()`. */
  private released = 0;
  private phase: 'start' | 'body' | 'closed' | 'failed' = 'start';
  private sealed = false;
  private readonly stack: Frame[] = [];
  private string: StringState | null = null;
  private scalar = '';
  private objectClosed = false;

  /** True once the top-level object has been closed (garbage after it does not undo that). */
  get closed(): boolean {
    return this.objectClosed;
  }

  /** True when no later fragment can change the client-visible arguments: closed, or invalid. */
  get settled(): boolean {
    return this.objectClosed || this.phase === 'failed';
  }

  push(fragment: string): void {
    if (this.sealed || fragment === '') return;
    this.text += fragment;
    for (; this.scanned < this.text.length && this.phase !== 'failed'; this.scanned++) {
      this.scan(this.text[this.scanned], this.scanned);
    }
  }

  /** Text that is safe to send now (complete top-level members), not sent before. */
  release(): string {
    const out = this.text.slice(this.released, this.cut);
    this.released = this.cut;
    return out;
  }

  /** The rest of the client-visible arguments: unreleased safe text plus the closing `}` (or `{}`). */
  finish(): string {
    if (this.sealed) return '';
    this.sealed = true;
    return this.hasCut ? this.release() + this.cutCloser : '{}';
  }

  private scan(c: string, at: number): void {
    if (this.string) return this.scanString(this.string, c, at);
    if (this.scalar !== '') {
      if (SCALAR_CHAR.test(c)) {
        this.scalar += c;
        return;
      }
      const token = this.scalar;
      this.scalar = '';
      if (!SCALAR.test(token)) return this.fail();
      this.valueDone(at);
    }
    if (WHITESPACE.test(c)) return;
    if (this.phase === 'closed') return this.fail();
    if (this.phase === 'start') {
      // Anthropic's `input` is an object: any other top-level value is invalid from byte 0.
      if (c !== '{') return this.fail();
      this.stack.push({ kind: 'object', expect: 'key-or-end' });
      this.phase = 'body';
      return this.markCut(at + 1, '}');
    }
    this.scanStructure(c, at);
  }

  private scanStructure(c: string, at: number): void {
    const top = this.stack[this.stack.length - 1];
    switch (c) {
      case '{':
      case '[':
        if (!expectsValue(top)) return this.fail();
        this.stack.push(c === '{' ? { kind: 'object', expect: 'key-or-end' } : { kind: 'array', expect: 'value-or-end' });
        return;
      case '}':
        if (top.kind !== 'object' || (top.expect !== 'key-or-end' && top.expect !== 'comma-or-end')) return this.fail();
        return this.pop(at + 1);
      case ']':
        if (top.kind !== 'array' || (top.expect !== 'value-or-end' && top.expect !== 'comma-or-end')) return this.fail();
        return this.pop(at + 1);
      case ',':
        if (top.expect !== 'comma-or-end') return this.fail();
        top.expect = top.kind === 'object' ? 'key' : 'value';
        return;
      case ':':
        if (top.kind !== 'object' || top.expect !== 'colon') return this.fail();
        top.expect = 'value';
        return;
      case '"':
        if (top.kind === 'object' && (top.expect === 'key-or-end' || top.expect === 'key')) {
          this.string = { isKey: true, escape: false, hexLeft: 0 };
        } else if (expectsValue(top)) {
          this.string = { isKey: false, escape: false, hexLeft: 0 };
        } else {
          this.fail();
        }
        return;
      default:
        if (!SCALAR_START.test(c) || !expectsValue(top)) return this.fail();
        this.scalar = c;
    }
  }

  private scanString(s: StringState, c: string, at: number): void {
    if (s.hexLeft > 0) {
      if (!HEX.test(c)) return this.fail();
      s.hexLeft--;
    } else if (s.escape) {
      s.escape = false;
      if (c === 'u') s.hexLeft = 4;
      else if (!SIMPLE_ESCAPE.test(c)) this.fail();
    } else if (c === '\\') {
      s.escape = true;
    } else if (c === '"') {
      this.string = null;
      if (s.isKey) this.stack[this.stack.length - 1].expect = 'colon';
      else this.valueDone(at + 1);
    } else if (c < ' ') {
      // JSON forbids raw control characters in strings; JSON.parse would reject them.
      this.fail();
    }
  }

  private pop(end: number): void {
    this.stack.pop();
    if (this.stack.length > 0) return this.valueDone(end);
    this.phase = 'closed';
    this.objectClosed = true;
    this.markCut(end, '');
  }

  /** A value ended at `end`; a member of the top-level object is now complete. */
  private valueDone(end: number): void {
    const top = this.stack[this.stack.length - 1];
    top.expect = 'comma-or-end';
    if (this.stack.length === 1) this.markCut(end, '}');
  }

  private markCut(end: number, closer: string): void {
    this.cut = end;
    this.cutCloser = closer;
    this.hasCut = true;
  }

  private fail(): void {
    this.phase = 'failed';
    this.string = null;
    this.scalar = '';
  }
}

export interface SalvagedArguments {
  readonly input: Record<string, unknown>;
  /** False when the policy above changed anything (invalid, truncated or trailing garbage). */
  readonly intact: boolean;
}

/** The unary side of the policy: the `input` object a complete `arguments` string stands for. */
export function salvageToolArguments(raw: string): SalvagedArguments {
  const scanner = new ToolArgumentsScanner();
  scanner.push(raw);
  const text = scanner.release() + scanner.finish();
  const parsed: unknown = JSON.parse(text);
  const input = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  return { input, intact: isIntact(raw) };
}

function isIntact(raw: string): boolean {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

type Frame =
  | { readonly kind: 'object'; expect: 'key-or-end' | 'key' | 'colon' | 'value' | 'comma-or-end' }
  | { readonly kind: 'array'; expect: 'value-or-end' | 'value' | 'comma-or-end' };

interface StringState {
  readonly isKey: boolean;
  escape: boolean;
  hexLeft: number;
}

function expectsValue(frame: Frame): boolean {
  return frame.expect === 'value' || frame.expect === 'value-or-end';
}

const WHITESPACE = /^[ \t\n\r]$/;
const HEX = /^[0-9a-fA-F]$/;
const SIMPLE_ESCAPE = /^["\\/bfnrt]$/;
const SCALAR_START = /^[-0-9tfn]$/;
const SCALAR_CHAR = /^[-+.0-9a-zA-Z]$/;
const SCALAR = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;
