import { bearerTokenMatches } from './bearer-token';

describe('bearerTokenMatches', () => {
  it('accepts the exact token in a Bearer header, any scheme case', () => {
    expect(bearerTokenMatches('Bearer s3cret', 's3cret')).toBe(true);
    expect(bearerTokenMatches('bearer s3cret', 's3cret')).toBe(true);
  });

  it('refuses a wrong token, a prefix, another scheme or no header', () => {
    expect(bearerTokenMatches('Bearer s3cre', 's3cret')).toBe(false);
    expect(bearerTokenMatches('Bearer s3cretX', 's3cret')).toBe(false);
    expect(bearerTokenMatches('Basic s3cret', 's3cret')).toBe(false);
    expect(bearerTokenMatches(undefined, 's3cret')).toBe(false);
    expect(bearerTokenMatches('Bearer ', 's3cret')).toBe(false);
  });
});
