import { useEffect, useState } from 'preact/hooks';
import type { ProviderRow, RecentRequest } from './types';

export interface LiveEvents {
  readonly connected: boolean;
  readonly providers: readonly ProviderRow[] | undefined;
  readonly requests: readonly RecentRequest[];
}

/** Rows the traffic table keeps in the page (the gateway's ring may be larger; the page stays light). */
const MAX_ROWS = 500;

/**
 * The console's one live connection (`/console/api/events`, SSE): finished requests and the
 * providers' state pushed by the gateway, so no page polls. EventSource reconnects by itself.
 */
export function useLiveEvents(): LiveEvents {
  const [connected, setConnected] = useState(false);
  const [providers, setProviders] = useState<readonly ProviderRow[] | undefined>(undefined);
  const [requests, setRequests] = useState<readonly RecentRequest[]>([]);
  useEffect(() => {
    const source = new EventSource('/console/api/events');
    let first = true;
    source.onopen = () => {
      setConnected(true);
      first = true;
    };
    source.onerror = () => setConnected(false);
    source.addEventListener('providers', (event) => setProviders(JSON.parse((event as MessageEvent<string>).data) as ProviderRow[]));
    source.addEventListener('requests', (event) => {
      const batch = JSON.parse((event as MessageEvent<string>).data) as RecentRequest[];
      // The first batch after (re)connecting is the gateway's whole backlog: it replaces the table.
      const replace = first;
      first = false;
      setRequests((previous) => (replace ? batch : [...previous, ...batch]).slice(-MAX_ROWS));
    });
    return () => source.close();
  }, []);
  return { connected, providers, requests };
}
