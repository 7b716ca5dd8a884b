import { maskSecrets, setMaskedSecrets } from '@turnout/errors';
import { allowedSecrets, apiKeyEnvAllowed, redactUrlCredentials } from '../../apps/gateway/src/env/provider-secrets';

/** Issue 15, case 10 (unit half): masking, URL credentials, the api_key_env allowlist. */
describe('hostile 10: secrets', () => {
  afterEach(() => setMaskedSecrets([]));

  it('masks every configured secret in a text, longest first, and leaves short values alone', () => {
    setMaskedSecrets(['sk-upstream-0123456789', 'sk-upstream-0123456789-extended', 'abc', undefined]);
    expect(maskSecrets('invalid key sk-upstream-0123456789-extended (sk-upstream-0123456789)')).toBe('invalid key *** (***)');
    expect(maskSecrets('abc stays')).toBe('abc stays');
  });

  it.each([
    ['http://user:hunter2pass@gpu1:8080', 'http://***@gpu1:8080'],
    ['https://:token123456@host/base/', 'https://***@host/base/'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
  ])('%s is shown as %s', (url, shown) => {
    expect(redactUrlCredentials(url)).toBe(shown);
    expect(redactUrlCredentials(url)).not.toMatch(/hunter2pass|token123456/);
  });

  it('reads upstream keys only from variables on the allowlist', () => {
    const allow = ['TURNOUT_*', '*_API_KEY'];
    expect(apiKeyEnvAllowed('OPENAI_API_KEY', allow)).toBe(true);
    expect(apiKeyEnvAllowed('TURNOUT_LLAMA', allow)).toBe(true);
    expect(apiKeyEnvAllowed('DATABASE_PASSWORD', allow)).toBe(false);
    expect(apiKeyEnvAllowed('HOME', allow)).toBe(false);
    expect(allowedSecrets({ OPENAI_API_KEY: 'k', DATABASE_PASSWORD: 'p', TURNOUT_X: 'x' }, allow)).toEqual({ OPENAI_API_KEY: 'k', TURNOUT_X: 'x' });
  });
});
