import { validateConfig } from '@turnout/config';
import type { ConfigSnapshot } from './config-document';
import { judgeStoredDocument, type ServedSnapshot } from './served-snapshot';

const config = { providers: [{ id: 'a', kind: 'llama-cpp', base_url: 'http://a:1' }], routes: [{ match: '*', provider: 'a' }] };
const snapshot = (revision: number): ConfigSnapshot => ({ revision, document: { schema_version: 1, revision, updated_at: 't', config }, config: validateConfig(config) });
const fromRedis = (revision: number, storedText: string): ServedSnapshot => ({ source: 'redis', snapshot: snapshot(revision), storedText });

describe('judgeStoredDocument', () => {
  it('applies anything when nothing is served, or when the file stands in for Redis', () => {
    expect(judgeStoredDocument(undefined, { revision: 1, text: 'x' })).toBe('apply');
    expect(judgeStoredDocument({ source: 'file', snapshot: snapshot(0) }, { revision: 1, text: 'x' })).toBe('apply');
  });

  it('applies a newer revision and ignores the one already served', () => {
    expect(judgeStoredDocument(fromRedis(3, 'three'), { revision: 4, text: 'four' })).toBe('apply');
    expect(judgeStoredDocument(fromRedis(3, 'three'), { revision: 3, text: 'three' })).toBe('same');
  });

  it('an older revision in Redis means Redis lost revisions: it is behind, not followed', () => {
    expect(judgeStoredDocument(fromRedis(3, 'three'), { revision: 2, text: 'two' })).toBe('redis-behind');
  });

  it("the same revision with other text (two replicas raced to restore) follows Redis's copy", () => {
    expect(judgeStoredDocument(fromRedis(3, 'mine'), { revision: 3, text: 'theirs' })).toBe('apply');
  });
});
