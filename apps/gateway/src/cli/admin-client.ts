/**
 * The CLI's side of the admin API: plain HTTP with the admin token, and Anthropic-shaped errors
 * turned into one readable line. The CLI never touches Redis itself, so it works against any
 * replica and goes through the same validation as every other write.
 */
export interface AdminTarget {
  readonly url: string;
  readonly token: string | undefined;
}

export class AdminRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'AdminRequestError';
  }
}

export interface AdminResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly json: unknown;
}

export async function adminRequest(
  target: AdminTarget,
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<AdminResponse> {
  if (!target.token) throw new AdminRequestError('set TURNOUT_ADMIN_TOKEN (or --token) to the gateway\'s admin token', 0);
  let response: Response;
  try {
    response = await fetch(new URL(path, target.url), {
      method,
      headers: { authorization: `Bearer ${target.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new AdminRequestError(`cannot reach ${target.url}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`, 0);
  }
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  if (!response.ok) {
    const message = (json as { error?: { message?: string } } | undefined)?.error?.message ?? text;
    throw new AdminRequestError(`${method} ${path}: HTTP ${response.status}: ${message}`, response.status);
  }
  return { status: response.status, headers: response.headers, json };
}
