/**
 * Where a config error is in the text the admin typed: the gateway names the field
 * (`providers[1].base_url: ...`), the editor needs a line. The text is walked once (it already
 * parsed as JSON), noting the line each member and element starts on.
 */
export type JsonPath = readonly (string | number)[];

/** `providers[1].base_url` → ['providers', 1, 'base_url']; the leading field path of a gateway message. */
export function pathOfMessage(message: string): JsonPath | undefined {
  const match = /^(?:config: )?([A-Za-z_][\w-]*(?:\[\d+\]|\.[A-Za-z_][\w-]*)*)\s*:/.exec(message);
  if (!match) return undefined;
  const path: (string | number)[] = [];
  for (const part of match[1]!.matchAll(/([A-Za-z_][\w-]*)|\[(\d+)\]/g)) path.push(part[1] !== undefined ? part[1] : Number(part[2]));
  return path;
}

/** The 1-based line where `path` (or its deepest existing parent) starts in `text`; undefined if the text is not JSON. */
export function lineOfPath(text: string, path: JsonPath): number | undefined {
  const lines = new Map<string, number>();
  try {
    new Walker(text, lines).document();
  } catch {
    return undefined;
  }
  for (let depth = path.length; depth > 0; depth--) {
    const line = lines.get(JSON.stringify(path.slice(0, depth)));
    if (line !== undefined) return line;
  }
  return 1;
}

/** The line of a JSON.parse error, from the engine's message ("at position N" or "line N column M"). */
export function lineOfSyntaxError(text: string, message: string): number | undefined {
  const line = /line (\d+) column \d+/.exec(message);
  if (line) return Number(line[1]);
  const position = /at position (\d+)/.exec(message);
  if (position) return text.slice(0, Number(position[1])).split('\n').length;
  return undefined;
}

class Walker {
  private at = 0;
  private line = 1;

  constructor(
    private readonly text: string,
    private readonly lines: Map<string, number>,
  ) {}

  document(): void {
    this.value([]);
    this.space();
    if (this.at !== this.text.length) throw new SyntaxError('trailing text');
  }

  private value(path: (string | number)[]): void {
    this.space();
    this.lines.set(JSON.stringify(path), this.line);
    const char = this.text[this.at];
    if (char === '{') return this.object(path);
    if (char === '[') return this.array(path);
    if (char === '"') return void this.string();
    const literal = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.at, this.at + 64));
    if (!literal) throw new SyntaxError(`unexpected ${char ?? 'end'}`);
    this.at += literal[0].length;
  }

  private object(path: (string | number)[]): void {
    this.at++;
    this.space();
    if (this.text[this.at] === '}') return void this.at++;
    for (;;) {
      this.space();
      const keyLine = this.line;
      const key = this.string();
      this.lines.set(JSON.stringify([...path, key]), keyLine);
      this.space();
      this.expect(':');
      const before = this.lines.size;
      this.value([...path, key]);
      // The member's line is where its name is, not where its value starts.
      if (this.lines.size >= before) this.lines.set(JSON.stringify([...path, key]), keyLine);
      this.space();
      if (this.text[this.at] === ',') {
        this.at++;
        continue;
      }
      this.expect('}');
      return;
    }
  }

  private array(path: (string | number)[]): void {
    this.at++;
    this.space();
    if (this.text[this.at] === ']') return void this.at++;
    for (let index = 0; ; index++) {
      this.value([...path, index]);
      this.space();
      if (this.text[this.at] === ',') {
        this.at++;
        continue;
      }
      this.expect(']');
      return;
    }
  }

  private string(): string {
    this.expect('"');
    const start = this.at;
    while (this.at < this.text.length && this.text[this.at] !== '"') {
      if (this.text[this.at] === '\\') this.at++;
      this.at++;
    }
    this.expect('"');
    return JSON.parse(this.text.slice(start - 1, this.at)) as string;
  }

  private space(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) {
      if (this.text[this.at] === '\n') this.line++;
      this.at++;
    }
  }

  private expect(char: string): void {
    if (this.text[this.at] !== char) throw new SyntaxError(`expected ${char}`);
    this.at++;
  }
}
