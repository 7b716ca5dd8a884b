import { createKeyBody } from './keys-admin-commands';
import { newApiKey } from './keys-command';

describe('newApiKey', () => {
  it('is tk- and 32 base62 characters, different every time', () => {
    const keys = new Set(Array.from({ length: 100 }, () => newApiKey()));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(/^tk-[0-9A-Za-z]{32}$/);
  });
});

describe('createKeyBody', () => {
  it('maps the create flags to the KEYS-API body and leaves out what was not given', () => {
    expect(createKeyBody({ name: 'a', models: 'claude-*, gpt-*', rpm: '60', 'monthly-tokens': '1000', 'daily-usd': '2.5', expires: '2027-01-01T00:00:00Z' })).toEqual({
      name: 'a',
      models: ['claude-*', 'gpt-*'],
      requests_per_minute: 60,
      expires_at: '2027-01-01T00:00:00Z',
      budget: { monthly_tokens: 1000, daily_usd: 2.5 },
    });
    expect(createKeyBody({ name: 'b' })).toEqual({ name: 'b' });
  });
});
