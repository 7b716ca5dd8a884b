import { newApiKey } from './keys-command';

describe('newApiKey', () => {
  it('is tk- and 32 base62 characters, different every time', () => {
    const keys = new Set(Array.from({ length: 100 }, () => newApiKey()));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(/^tk-[0-9A-Za-z]{32}$/);
  });
});
