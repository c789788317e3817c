import type { Db } from '@udx/db/database';
import type { Viewer } from '../context.ts';
import { findLiveSession, touchSession } from './auth.repository.ts';

/** A live session as `authenticate` found it. */
export interface AuthenticatedSession {
  viewer: Viewer;
  /** When the session ends whatever happens, in milliseconds since 1970 (the database's clock). */
  expiresAt: number;
  /** When it was last written as used; null when this request has just written it (now). */
  lastSeenAt: number | null;
}

/**
 * The viewer a session token's hash stands for; null for tokens that are unknown, revoked,
 * expired (7 days after sign-in), idle too long (8 hours) or of a deactivated account. Run
 * as the session role (`openRequestScope`): no account's own role may read sessions and
 * accounts by token. Writes the session as used when it was last written long enough ago.
 */
export async function authenticate(
  db: Db,
  tokenHash: string,
): Promise<AuthenticatedSession | null> {
  const session = await findLiveSession(db, tokenHash);
  if (!session) return null;
  if (session.stale) await touchSession(db, session.sessionId);
  return {
    viewer: {
      userId: session.userId,
      sessionId: session.sessionId,
      email: session.email,
      displayName: session.displayName,
      role: session.role,
      cityId: session.cityId,
    },
    expiresAt: session.expiresAt,
    lastSeenAt: session.stale ? null : session.lastSeenAt,
  };
}
