import type { AnthropicRequest } from '@turnout/protocol';

/** What route conditions look at, read once from a Messages request. */
export interface RequestFacts {
  readonly model: string;
  readonly thinking: boolean;
  readonly images: boolean;
  readonly toolNames: readonly string[];
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly sessionId: string | undefined;
  /** Input tokens, counted only when a route asks (exact where the upstream can count); memoized by the caller. */
  inputTokens(): Promise<number>;
}

/** Facts of a request known by its model name alone (explain by name, /v1/models). */
export function modelOnlyFacts(model: string): RequestFacts {
  return { model, thinking: false, images: false, toolNames: [], headers: {}, sessionId: undefined, inputTokens: async () => 0 };
}

const HIGH_EFFORT = new Set(['high', 'max', 'xhigh']);

/**
 * Reads the facts from a request. "Thinking" means asked for explicitly: `enabled` with a
 * budget, or adaptive with a high effort. Claude Code sends adaptive thinking on every request,
 * so adaptive at its default effort does not count (a rule for thinking requests would
 * otherwise catch everything).
 */
export function requestFacts(
  body: AnthropicRequest,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  inputTokens: () => Promise<number>,
): RequestFacts {
  const raw = body as unknown as Record<string, unknown>;
  const thinking = raw.thinking as { type?: string } | undefined;
  const effort = (raw.output_config as { effort?: string } | undefined)?.effort;
  return {
    model: body.model,
    thinking: thinking?.type === 'enabled' || (thinking?.type === 'adaptive' && effort !== undefined && HIGH_EFFORT.has(effort)),
    images: hasImages(raw.messages),
    toolNames: Array.isArray(raw.tools) ? raw.tools.map((tool) => (tool as { name?: unknown }).name).filter((name): name is string => typeof name === 'string') : [],
    headers,
    sessionId: sessionIdOf(headers, raw.metadata),
    inputTokens,
  };
}

function hasImages(value: unknown, depth = 0): boolean {
  if (depth > 6 || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((item) => hasImages(item, depth + 1));
  const record = value as Record<string, unknown>;
  if (record.type === 'image') return true;
  return hasImages(record.content, depth + 1);
}

/** `x-claude-code-session-id`, else the session inside `metadata.user_id` (a JSON-encoded string, or `…_session_<uuid>`). */
export function sessionIdOf(headers: Readonly<Record<string, string | string[] | undefined>>, metadata: unknown): string | undefined {
  const header = headers['x-claude-code-session-id'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  if (fromHeader) return fromHeader.slice(0, 128);
  const userId = (metadata as { user_id?: unknown } | undefined)?.user_id;
  if (typeof userId !== 'string') return undefined;
  if (userId.startsWith('{')) {
    try {
      const sessionId = (JSON.parse(userId) as { session_id?: unknown }).session_id;
      if (typeof sessionId === 'string' && sessionId !== '') return sessionId.slice(0, 128);
    } catch {
      // not JSON after all: try the older text form below
    }
  }
  return /_session_([A-Za-z0-9-]{8,64})/.exec(userId)?.[1];
}
