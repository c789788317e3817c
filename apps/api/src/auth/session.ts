import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The session cookie of the dashboard. */
export const SESSION_COOKIE = 'udx_session';
/** A session ends this long after sign-in, however active it is. */
export const SESSION_LIFETIME_SECONDS = 7 * 24 * 60 * 60;
/** A session ends after this long without a request. */
export const SESSION_IDLE_SECONDS = 8 * 60 * 60;
/** `last_seen_at` is written at most this often, so that reading does not mean writing. */
export const SESSION_TOUCH_SECONDS = 60;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new session token: 32 random bytes, base64url. Only its hash is stored. */
export function createSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The stored form of a token. A plain SHA-256 suffices (no salt, no slow hash): tokens carry
 * 256 random bits, so there is nothing to guess, and a leaked table yields no usable token.
 */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * The session token a request carries: `Authorization: Bearer <token>` (scripts) wins over the
 * `udx_session` cookie (the dashboard). Anything that cannot be a token is ignored.
 */
export function sessionTokenFrom(headers: IncomingHttpHeaders): string | null {
  const authorization = headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1]) return TOKEN_PATTERN.test(match[1]) ? match[1] : null;
  }
  const cookieHeader = headers.cookie;
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(separator + 1).trim();
    if (TOKEN_PATTERN.test(value)) return value;
  }
  return null;
}

/**
 * True when the request went to this machine by name or loopback address: a browser talking
 * plain HTTP to localhost still keeps a cookie without `Secure`; everywhere else it is Secure.
 */
export function isLocalHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : (host.split(':')[0] ?? '');
  const lower = name.toLowerCase();
  return (
    lower === 'localhost' || lower.endsWith('.localhost') || lower === '::1' || /^127\./.test(lower)
  );
}

function cookieAttributes(requestHost: string | undefined, maxAge: number): string {
  const secure = isLocalHost(requestHost) ? '' : '; Secure';
  return `; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;
}

/** The `Set-Cookie` value that carries a new session to the browser. */
export function sessionCookie(token: string, requestHost: string | undefined): string {
  return `${SESSION_COOKIE}=${token}${cookieAttributes(requestHost, SESSION_LIFETIME_SECONDS)}`;
}

/** The `Set-Cookie` value that removes the session cookie. */
export function clearedSessionCookie(requestHost: string | undefined): string {
  return `${SESSION_COOKIE}=${cookieAttributes(requestHost, 0)}`;
}
