import { ConsoleSessions, MAX_CONSOLE_SESSIONS, readCookie, SESSION_IDLE_MS } from './console-sessions';

describe('ConsoleSessions', () => {
  it('gives each login a random session id and CSRF token; a write needs both', () => {
    const sessions = new ConsoleSessions();
    const a = sessions.create();
    const b = sessions.create();
    expect(a.id).not.toBe(b.id);
    expect(a.csrf).not.toBe(a.id);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessions.allowsWrite(a.id, a.csrf)).toBe(true);
    expect(sessions.allowsWrite(a.id, b.csrf)).toBe(false);
    expect(sessions.allowsWrite(a.id, undefined)).toBe(false);
    expect(sessions.allowsWrite('forged', a.csrf)).toBe(false);
    sessions.end(a.id);
    expect(sessions.csrfOf(a.id)).toBeUndefined();
    expect(sessions.csrfOf(b.id)).toBe(b.csrf);
  });

  it('ends a session left unused for the idle time', () => {
    let now = 0;
    const sessions = new ConsoleSessions(() => now);
    const session = sessions.create();
    now += SESSION_IDLE_MS - 1;
    expect(sessions.csrfOf(session.id)).toBe(session.csrf);
    now += SESSION_IDLE_MS + 1;
    expect(sessions.csrfOf(session.id)).toBeUndefined();
  });

  it('keeps at most MAX_CONSOLE_SESSIONS: a login loop ends the least recently used ones', () => {
    const sessions = new ConsoleSessions();
    const first = sessions.create();
    const second = sessions.create();
    sessions.csrfOf(first.id); // used: moves to the back
    for (let i = 0; i < MAX_CONSOLE_SESSIONS * 3; i++) {
      sessions.create();
      sessions.csrfOf(first.id);
    }
    expect(sessions.size).toBe(MAX_CONSOLE_SESSIONS);
    expect(sessions.csrfOf(first.id)).toBe(first.csrf);
    expect(sessions.csrfOf(second.id)).toBeUndefined();
  });

  it('reads one cookie from a Cookie header', () => {
    expect(readCookie('a=1; turnout_console=abc; b=2', 'turnout_console')).toBe('abc');
    expect(readCookie('turnout_console_x=1', 'turnout_console')).toBeUndefined();
    expect(readCookie(undefined, 'turnout_console')).toBeUndefined();
  });
});
