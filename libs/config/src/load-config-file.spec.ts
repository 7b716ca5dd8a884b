import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfigFile } from './load-config-file';

function tempFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'turnout-config-')), 'turnout.yaml');
  writeFileSync(path, text);
  return path;
}

describe('loadConfigFile', () => {
  it('loads the shipped default: everything to a llama-server on 127.0.0.1:8080', () => {
    const config = loadConfigFile(resolve(__dirname, '../../../config/turnout.yaml'));
    expect(config.providers).toHaveLength(1);
    expect(config.providers[0]).toMatchObject({ kind: 'llama-cpp', baseUrl: 'http://127.0.0.1:8080', messages: 'auto' });
    expect(config.routes.map((r) => r.match)).toEqual(['claude-*opus*', 'claude-*sonnet*', 'claude-*haiku*', 'claude-*', '*']);
  });

  it('names the file and the field when the content is invalid', () => {
    const path = tempFile('providers:\n  - id: x\n    kind: nope\n    base_url: http://h\nroutes: []\n');
    expect(() => loadConfigFile(path)).toThrow(`${path}: providers[0].kind: must be one of`);
  });

  it('names the file when the YAML does not parse', () => {
    const path = tempFile('providers: [\n');
    expect(() => loadConfigFile(path)).toThrow(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not valid YAML`));
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadConfigFile('/nonexistent/turnout.yaml')).toThrow('/nonexistent/turnout.yaml: cannot read config file (ENOENT)');
  });
});
