import type { ApiKeyConfig } from '@turnout/config';
import { checkApiKey, sha256Hex } from './api-key-check';

const alice: ApiKeyConfig = { id: 'alice', sha256: sha256Hex('tk-alice'), models: undefined, requestsPerMinute: undefined, tokensPerMinute: undefined };
const bob: ApiKeyConfig = { ...alice, id: 'bob', sha256: sha256Hex('tk-bob') };

describe('checkApiKey', () => {
  it('accepts a known key as x-api-key or Bearer', () => {
    expect(checkApiKey({ 'x-api-key': 'tk-bob' }, [alice, bob])).toEqual({ ok: true, key: bob });
    expect(checkApiKey({ authorization: 'Bearer tk-alice' }, [alice, bob])).toEqual({ ok: true, key: alice });
  });

  it('with both headers (Claude Code may send both), either matching is enough; Bearer is tried first', () => {
    expect(checkApiKey({ authorization: 'Bearer tk-alice', 'x-api-key': 'tk-bob' }, [alice, bob])).toMatchObject({ key: alice });
    expect(checkApiKey({ authorization: 'Bearer stale', 'x-api-key': 'tk-bob' }, [alice, bob])).toMatchObject({ key: bob });
  });

  it('missing and unknown credentials are told apart', () => {
    expect(checkApiKey({}, [alice])).toEqual({ ok: false, reason: 'missing' });
    expect(checkApiKey({ authorization: 'Basic tk-alice' }, [alice])).toEqual({ ok: false, reason: 'missing' });
    expect(checkApiKey({ 'x-api-key': 'tk-alic' }, [alice])).toEqual({ ok: false, reason: 'invalid' });
  });
});
