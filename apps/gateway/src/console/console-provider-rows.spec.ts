import { validateConfig } from '@turnout/config';
import type { ProviderStatus } from '../providers/provider-registry';
import { consoleProviderRows } from './console-provider-rows';

const config = validateConfig({
  providers: [
    { id: 'gpu', kind: 'llama-cpp', base_url: 'http://127.0.0.1:8080', messages: 'translate', limits: { max_in_flight: 2, max_queue: 5 } },
    { id: 'cpu', kind: 'ollama', base_url: 'http://127.0.0.1:11434' },
  ],
  routes: [{ match: '*', provider: 'gpu' }],
});

const status = (id: string, reachable: boolean | null): ProviderStatus => ({
  id,
  kind: 'llama-cpp',
  base_url: 'http://h',
  messages: 'translate',
  mode: 'translate',
  mode_reason: 'configured',
  reachable,
  version: null,
  serves_messages: null,
  context_window: 32_768,
  models: [],
  error: null,
  checked_at: null,
});

describe('consoleProviderRows', () => {
  it('joins probe facts, guard state, limits and the last failure; an open circuit reads down', () => {
    const rows = consoleProviderRows(
      config,
      [status('gpu', true), status('cpu', null)],
      (id) => (id === 'gpu' ? { circuit: 'open', openUntil: Date.UTC(2026, 0, 1), inFlight: 1, queued: 3 } : { circuit: 'closed', openUntil: undefined, inFlight: 0, queued: 0 }),
      (id) => (id === 'gpu' ? { at: 'x', status: 502, error_code: 'GW_UPSTREAM_UNREACHABLE' } : undefined),
    );
    expect(rows[0]).toMatchObject({ id: 'gpu', health: 'down', circuit: 'open', circuit_open_until: '2026-01-01T00:00:00.000Z', in_flight: 1, max_in_flight: 2, queued: 3, max_queue: 5 });
    expect(rows[0]?.last_failure?.error_code).toBe('GW_UPSTREAM_UNREACHABLE');
    expect(rows[1]).toMatchObject({ id: 'cpu', health: 'unknown', circuit: 'closed', max_in_flight: null, max_queue: 100, last_failure: null });
  });
});
