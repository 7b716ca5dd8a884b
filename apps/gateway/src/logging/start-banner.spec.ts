import { validateConfig } from '@turnout/config';
import type { ProviderStatus } from '../providers/provider-registry';
import { startBanner, type StartFacts } from './start-banner';

const config = validateConfig({
  providers: Array.from({ length: 9 }, (_, i) => ({ id: `p${i}`, kind: 'llama-cpp', base_url: 'http://127.0.0.1:8080' })),
  routes: [{ match: '*', provider: 'p0' }],
});
const status = (id: string, mode: 'native' | 'translate', reachable: boolean): ProviderStatus =>
  ({ id, mode, reachable }) as unknown as ProviderStatus;

const facts: StartFacts = {
  version: '0.1.0',
  url: 'http://127.0.0.1:4000',
  host: '127.0.0.1',
  port: 4000,
  source: 'config/turnout.yaml',
  sourceDetail: undefined,
  revision: 1,
  config,
  providers: config.providers.map((p, i) => status(p.id, i === 0 ? 'native' : 'translate', i !== 1)),
  adminApi: false,
};

describe('startBanner', () => {
  it('says version, source and revision, providers with modes, routes and keys, admin API, then the address, in 6 lines', () => {
    const lines = startBanner(facts);
    expect(lines.map((line) => line.text)).toEqual([
      expect.stringMatching(/^turnout 0\.1\.0 \(Node \d+\.\d+\.\d+, pid \d+\)$/),
      'config: config/turnout.yaml revision 1',
      'providers (9): p0 native, p1 translate (unreachable), p2 translate, p3 translate, p4 translate, p5 translate, +3 more (GET /v1/turnout/providers)',
      'routes: 1; no API keys: open to anyone who can reach 127.0.0.1:4000 (loopback only)',
      'admin API off (set TURNOUT_ADMIN_TOKEN to turn it on)',
      'listening on http://127.0.0.1:4000 with 9 provider(s), 1 route(s) from config/turnout.yaml',
    ]);
    expect(lines.every((line) => line.level === 'info')).toBe(true);
  });

  it('warns when an open gateway listens beyond loopback, and names Redis as the source', () => {
    const lines = startBanner({ ...facts, host: '0.0.0.0', source: 'redis', sourceDetail: 'serving revision 7 from redis', revision: 7, adminApi: true });
    expect(lines[1]?.text).toBe('config: redis revision 7 (serving revision 7 from redis)');
    expect(lines[3]).toEqual({ level: 'warn', text: 'routes: 1; no API keys: open to anyone who can reach 0.0.0.0:4000; add keys (turnout keys new) before exposing it' });
    expect(lines[4]?.text).toBe('admin API on');
  });
});
