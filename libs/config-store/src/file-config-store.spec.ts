import { writeTempConfig } from '@turnout/testing';
import { ConfigStoreError } from './config-store-error';
import { FileConfigStore } from './file-config-store';

const YAML = `providers:
  - { id: a, kind: llama-cpp, base_url: "http://127.0.0.1:8080" }
routes:
  - { match: "*", provider: a }
`;

describe('FileConfigStore', () => {
  it('serves the file as revision 1 and keeps the document as written', async () => {
    const store = new FileConfigStore(writeTempConfig(YAML));
    await store.start();
    expect(store.current().revision).toBe(1);
    expect(store.current().config.providers[0]?.baseUrl).toBe('http://127.0.0.1:8080');
    expect(store.current().document.config).toEqual({ providers: [{ id: 'a', kind: 'llama-cpp', base_url: 'http://127.0.0.1:8080' }], routes: [{ match: '*', provider: 'a' }] });
    expect(store.readiness()).toMatchObject({ ready: true, source: 'file' });
    expect(Object.isFrozen(store.current())).toBe(true);
  });

  it('refuses writes and rollbacks clearly: live changes need Redis', async () => {
    const store = new FileConfigStore(writeTempConfig(YAML));
    await store.start();
    await expect(store.replace({}, 1)).rejects.toMatchObject({ kind: 'read_only' });
    await expect(store.rollback(1)).rejects.toBeInstanceOf(ConfigStoreError);
  });

  it('a bad file fails the start with a message naming the file and the field', async () => {
    const path = writeTempConfig(YAML.replace('llama-cpp', 'llama'));
    await expect(new FileConfigStore(path).start()).rejects.toThrow(`${path}: providers[0].kind: must be one of`);
  });
});
