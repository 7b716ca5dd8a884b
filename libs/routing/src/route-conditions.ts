import type { RouteConditions } from '@turnout/config';
import { compileModelPattern } from './model-pattern';
import type { RequestFacts } from './request-facts';

/** A route's conditions compiled once per snapshot; `holds` awaits the token count only if asked. */
export interface CompiledConditions {
  holds(facts: RequestFacts): Promise<boolean>;
}

export function compileConditions(when: RouteConditions | undefined): CompiledConditions {
  if (when === undefined) return { holds: async () => true };
  const tool = when.tool === undefined ? undefined : compileModelPattern(when.tool);
  const headerValue = when.header?.value === undefined ? undefined : compileModelPattern(when.header.value);
  return {
    async holds(facts) {
      if (when.thinking !== undefined && facts.thinking !== when.thinking) return false;
      if (when.images !== undefined && facts.images !== when.images) return false;
      if (when.session !== undefined && (facts.sessionId !== undefined) !== when.session) return false;
      if (tool && !facts.toolNames.some(tool)) return false;
      if (when.header) {
        const value = facts.headers[when.header.name];
        const text = Array.isArray(value) ? value.join(', ') : value;
        if (text === undefined || (headerValue && !headerValue(text))) return false;
      }
      // Last: the only condition that may cost an upstream round trip.
      if (when.inputTokensOver !== undefined && (await facts.inputTokens()) <= when.inputTokensOver) return false;
      return true;
    },
  };
}
