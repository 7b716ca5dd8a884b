import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateSync } from 'class-validator';
import { isCertainlyValidCountTokensEnvelope, isCertainlyValidMessagesEnvelope } from './envelope-fast-check';
import { CountTokensEnvelopeDto, ENVELOPE_OPTIONAL_FIELDS, MessagesEnvelopeDto } from './messages-envelope.dto';

/** What class-validator alone says of a body, filled the way validateEnvelope fills the DTO. */
function classValidatorAccepts(dtoClass: new () => object, body: Record<string, unknown>, required: readonly string[]): boolean {
  if (required.some((field) => body[field] === undefined)) return false;
  const dto = new dtoClass() as Record<string, unknown>;
  for (const key of Object.keys(dto).concat(required, ENVELOPE_OPTIONAL_FIELDS)) if (key in body) dto[key] = body[key];
  return validateSync(dto, { skipMissingProperties: false }).length === 0;
}

const VALUES: unknown[] = [
  undefined, null, '', 'x', 0, 1, -1, 1.5, 64, 100_000_000, 100_000_001, Number.NaN, Number.POSITIVE_INFINITY, true, false,
  [], [{}], ['a', 'b'], [1], [null], {}, { type: 'auto' }, { role: 'user', content: 'hi' },
  [{ role: 'user', content: 'hi' }], [{ role: 'assistant', content: [] }], [{ role: 'system', content: 'x' }],
  [{ role: 'bot', content: 'x' }], [{ role: 'user' }], [{ role: 'user', content: 5 }], [[]], [{ type: 'text', text: 'x' }],
];
const FIELDS = ['model', 'messages', 'max_tokens', 'stream', 'system', 'tools', 'tool_choice', 'thinking', 'metadata', 'stop_sequences', 'temperature', 'top_p', 'top_k'];
const BASE = { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] };

/** Deterministic: every single-field change of the base, then random multi-field changes. */
function bodies(): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [BASE];
  for (const field of FIELDS) for (const value of VALUES) out.push({ ...BASE, [field]: value });
  let seed = 20261123;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 3_000; i++) {
    const body: Record<string, unknown> = { ...BASE };
    const changes = 1 + Math.floor(random() * 4);
    for (let c = 0; c < changes; c++) body[FIELDS[Math.floor(random() * FIELDS.length)] as string] = VALUES[Math.floor(random() * VALUES.length)];
    out.push(body);
  }
  return out;
}

describe('envelope fast check', () => {
  it.each([
    ['messages', MessagesEnvelopeDto, isCertainlyValidMessagesEnvelope, ['model', 'max_tokens', 'messages']],
    ['count_tokens', CountTokensEnvelopeDto, isCertainlyValidCountTokensEnvelope, ['model', 'messages']],
  ] as const)('%s: never accepts a body class-validator refuses, and accepts what it accepts here', (_name, dto, fast, required) => {
    const disagreements: string[] = [];
    let accepted = 0;
    for (const body of bodies()) {
      const slow = classValidatorAccepts(dto, body, required);
      const quick = fast(body);
      if (quick) accepted++;
      // A fast "yes" must be a real yes; a fast "no" only costs the slow path, but over these
      // simple values the two should agree entirely.
      if (quick !== slow) disagreements.push(`${JSON.stringify(body)}: fast ${quick}, class-validator ${slow}`);
    }
    expect(disagreements).toEqual([]);
    expect(accepted).toBeGreaterThan(100);
  });

  it('takes the fast path for every recorded Claude Code request', () => {
    const dir = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'claude-code');
    const files = readdirSync(dir).filter((file) => file.endsWith('.body.json'));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const body = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
      const check = file.includes('count-tokens') ? isCertainlyValidCountTokensEnvelope : isCertainlyValidMessagesEnvelope;
      expect({ file, fast: check(body) }).toEqual({ file, fast: true });
    }
  });
});
