import { validateHeaderValue } from 'node:http';
import fc from 'fast-check';
import { MAX_HEADER_VALUE_LENGTH, safeHeaderValue } from '../../apps/gateway/src/http/safe-header-value';

/** Issue 15, case 5: any text becomes a valid response header value (Node would throw, and the reply be a 500). */
const UNICODE_FUZZ = ['模型-*', 'mödel', 'emoji 🚀 route', 'tab\there', 'bell\u0007', 'del\u007f', 'line\nbreak', 'cr\rlf', 'nul\u0000', 'sep\u2028', 'ÿ-latin1', 'lone \ud800 surrogate', 'bidi \u202e txet', '%41 already', ''];

describe('hostile 5: safeHeaderValue', () => {
  it.each(UNICODE_FUZZ)('%j becomes a value Node accepts, and reads back', (name) => {
    const value = safeHeaderValue(name);
    expect(() => validateHeaderValue('x-turnout-route', value)).not.toThrow();
    expect(value).toMatch(/^[\x20-\x7e\t]*$/);
    if (!/^[\x20-\x7e\t]*$/.test(name)) expect(decodeURIComponent(value)).toBe(name.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
  });

  it('leaves printable ASCII alone', () => {
    expect(safeHeaderValue('#0 claude-*haiku*')).toBe('#0 claude-*haiku*');
    expect(safeHeaderValue('strip-billing-header, drop-betas(a b)')).toBe('strip-billing-header, drop-betas(a b)');
  });

  it('never throws and always yields a valid, bounded value, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3_000 }), (text) => {
        const value = safeHeaderValue(text);
        validateHeaderValue('x-turnout-route', value);
        expect(value.length).toBeLessThanOrEqual(MAX_HEADER_VALUE_LENGTH);
      }),
      { numRuns: 2_000 },
    );
  });
});
