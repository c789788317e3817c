import type { IncomingHttpHeaders } from 'node:http';
import type { Db } from '@udx/db/database';
import type { Viewer } from '../context.ts';
import { findLiveSession, touchSession } from './auth.repository.ts';
import { hashSessionToken, sessionTokenFrom } from './session.ts';

/**
 * The viewer a request acts for, from its `Authorization: Bearer` token or `udx_session`
 * cookie; null for anonymous requests and for tokens that are unknown, revoked, expired (7 days
 * after sign-in), idle too long (8 hours) or of a deactivated account. Called once per request,
 * first thing in its transaction, as the session role (`openRequestScope`): no account's own
 * role may read sessions and accounts by token.
 */
export async function authenticate(db: Db, headers: IncomingHttpHeaders): Promise<Viewer | null> {
  const token = sessionTokenFrom(headers);
  if (!token) return null;
  const session = await findLiveSession(db, hashSessionToken(token));
  if (!session) return null;
  if (session.stale) await touchSession(db, session.sessionId);
  return {
    userId: session.userId,
    sessionId: session.sessionId,
    email: session.email,
    displayName: session.displayName,
    role: session.role,
    cityId: session.cityId,
  };
}
