/** The shapes the gateway answers with (see apps/gateway/src/console and admin). */
export interface ProviderRow {
  id: string;
  kind: string;
  base_url: string;
  mode: string;
  mode_reason: string;
  reachable: boolean | null;
  health: 'up' | 'down' | 'unknown';
  circuit: 'closed' | 'open' | 'half-open';
  circuit_open_until: string | null;
  in_flight: number;
  max_in_flight: number | null;
  queued: number;
  max_queue: number;
  context_window: number | null;
  error: string | null;
  checked_at: string | null;
  last_failure: { at: string; status: number; error_code: string | null } | null;
}

export interface RecentRequest {
  at: string;
  request_id: string;
  key: string | null;
  model: string;
  route: string | null;
  provider: string | null;
  mode: string | null;
  stream: boolean;
  status: number;
  outcome: string;
  error_code: string | null;
  ttft_ms: number | null;
  duration_ms: number;
  input_tokens: number | null;
  output_tokens: number | null;
}

export interface ConfigEnvelope {
  schema_version: number;
  revision: number;
  updated_at: string;
  updated_by?: string;
  config: Record<string, unknown>;
}

export type ConfigMeta = Omit<ConfigEnvelope, 'config'>;

/** /work/notes/KEYS-API.md */
export interface KeyView {
  id: string;
  name: string;
  owner?: string;
  prefix: string;
  source: 'api' | 'config';
  created_at?: string;
  expires_at?: string;
  revoked_at?: string;
  last_used_at?: string;
  models?: string[];
  requests_per_minute?: number;
  tokens_per_minute?: number;
}
