import type { TurnoutConfig } from '@turnout/config';

const GLOB = /[*?[]/;

/**
 * The model names the gateway knows without asking the client: exact route names and aliases,
 * the upstream model names routes send, and the models each upstream lists. Only these (or the
 * matched route's own rule) may become a `model` label value: a label that a client can choose
 * is a memory leak a client can drive (issue 15, case 1).
 */
export function knownModelNames(config: TurnoutConfig, upstreamModels: Iterable<readonly string[] | undefined>): Set<string> {
  const names = new Set<string>();
  for (const route of config.routes) {
    for (const name of route.models) if (!GLOB.test(name)) names.add(name);
    if (route.model !== undefined) names.add(route.model);
    for (const target of route.targets) if (target.model !== undefined) names.add(target.model);
  }
  for (const list of upstreamModels) for (const name of list ?? []) names.add(name);
  return names;
}
