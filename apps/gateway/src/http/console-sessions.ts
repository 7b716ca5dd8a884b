import { randomBytes } from 'node:crypto';
import { createHash, timingSafeEqual } from 'node:crypto';

/** The session cookie's name; the cookie carries only a random id, never the admin token. */
export const SESSION_COOKIE = 'turnout_console';
/** The header every console write carries, holding the session's CSRF token. */
export const CSRF_HEADER = 'x-turnout-csrf';
/** Sessions kept at once; a new login past this ends the oldest (a bound a login loop cannot break). */
export const MAX_CONSOLE_SESSIONS = 64;
/** A session unused this long ends (the cookie itself ends with the browser session). */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;

interface Session {
  readonly csrf: string;
  lastUsed: number;
}

/**
 * Console logins, in this process's memory: a random session id (the HttpOnly cookie) and a
 * random CSRF token per session (given to the page, sent back in `x-turnout-csrf` on every
 * write). A restart logs everyone out, which is fine for an admin page.
 */
export class ConsoleSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly now: () => number = Date.now) {}

  create(): { id: string; csrf: string } {
    this.expire();
    while (this.sessions.size >= MAX_CONSOLE_SESSIONS) {
      const oldest = this.sessions.keys().next().value as string;
      this.sessions.delete(oldest);
    }
    const id = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    this.sessions.set(id, { csrf, lastUsed: this.now() });
    return { id, csrf };
  }

  /** The session's CSRF token when `id` names a live session (and marks it used). */
  csrfOf(id: string | undefined): string | undefined {
    if (id === undefined) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (this.now() - session.lastUsed > SESSION_IDLE_MS) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastUsed = this.now();
    // Map order is the eviction order: a used session moves to the back.
    this.sessions.delete(id);
    this.sessions.set(id, session);
    return session.csrf;
  }

  /** Whether `id` is a live session and `csrf` its token (constant-time). */
  allowsWrite(id: string | undefined, csrf: string | undefined): boolean {
    const expected = this.csrfOf(id);
    if (expected === undefined || csrf === undefined) return false;
    const digest = (text: string) => createHash('sha256').update(text).digest();
    return timingSafeEqual(digest(csrf), digest(expected));
  }

  end(id: string | undefined): void {
    if (id !== undefined) this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private expire(): void {
    const now = this.now();
    for (const [id, session] of this.sessions) if (now - session.lastUsed > SESSION_IDLE_MS) this.sessions.delete(id);
  }
}

/** The value of one cookie in a `Cookie` header (first one wins, as browsers send the most specific first). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
