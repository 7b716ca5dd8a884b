import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether an `Authorization: Bearer <token>` header carries `expected`. Both sides are hashed
 * first so the comparison is constant-time whatever the lengths: a timing side channel must not
 * leak the admin or metrics token one byte at a time.
 */
export function bearerTokenMatches(header: string | string[] | undefined, expected: string): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value === undefined ? null : /^Bearer\s+(.+)$/i.exec(value.trim());
  if (!match) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(match[1] as string), digest(expected));
}
