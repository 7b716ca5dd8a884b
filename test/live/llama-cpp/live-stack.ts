import { startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';
import { LLAMA_MODEL, startLlamaServer, type LlamaServer } from './llama-server';
import type { Target } from './observe';

/** llama-server's context in the suite: small, so the overflow scenario needs a short prompt. */
export const LIVE_CONTEXT = 2048;

export interface LiveStack {
  readonly llama: LlamaServer;
  readonly gateway: GatewayProcess;
  readonly targets: Readonly<Record<Target['name'], Target>>;
  stop(): Promise<void>;
}

/**
 * One llama-server (start.sh: seed 42, 2 threads, one slot, `-c 2048`) and the built gateway in
 * front of it twice: a provider per mode, a route per provider, and a route that reaches the
 * upstream's own model name (for /v1/models).
 */
export async function startLiveStack(): Promise<LiveStack> {
  const llama = await startLlamaServer(['-c', String(LIVE_CONTEXT)]);
  let gateway: GatewayProcess;
  try {
    const config = writeTempConfig(`providers:
  - id: llama-native
    kind: llama-cpp
    base_url: ${llama.url}
    messages: native
    retries: { max_attempts: 1 }
  - id: llama-translate
    kind: llama-cpp
    base_url: ${llama.url}
    messages: translate
    retries: { max_attempts: 1 }
routes:
  - name: live-native
    match: "live-native"
    provider: llama-native
    model: ${LLAMA_MODEL}
  - name: live-translate
    match: "live-translate"
    provider: llama-translate
    model: ${LLAMA_MODEL}
  - name: upstream-names
    match: "tinyllama-*"
    provider: llama-native
`);
    gateway = await startGatewayProcess(config);
  } catch (error) {
    await llama.stop();
    throw error;
  }
  return {
    llama,
    gateway,
    targets: {
      direct: { name: 'direct', baseURL: llama.url, model: LLAMA_MODEL },
      native: { name: 'native', baseURL: gateway.url, model: 'live-native' },
      translate: { name: 'translate', baseURL: gateway.url, model: 'live-translate' },
    },
    stop: async () => {
      await gateway.stop();
      await llama.stop();
    },
  };
}
