import type { Context } from '../context.ts';
import { type UserError, userError } from '../modules/shared/user-error.ts';
import { findUsersByIds, type UserRow } from '../modules/user/user.repository.ts';
import { revokeSession } from './auth.repository.ts';
import { enterViewerScope, withSessionRole } from './row-level-security.ts';
import { clearedSessionCookie, sessionCookie } from './session.ts';
import { signIn } from './sign-in.ts';

/** The answer to the signIn mutation: a session and its account, or why there is none. */
export interface SignInAnswer {
  token: string | null;
  user: UserRow | null;
  errors: UserError[];
}

/**
 * Signs a request in: checks the credentials as the session role, sets the session cookie, and
 * makes the rest of the request act for the account just signed in to. Refused while the
 * request is signed in already.
 */
export async function signInRequest(
  context: Context,
  email: string,
  password: string,
): Promise<SignInAnswer> {
  if (context.viewer) {
    return {
      token: null,
      user: null,
      errors: [userError('FORBIDDEN', null, 'You are signed in already: sign out first.')],
    };
  }
  // no account's role may look accounts up by address or open sessions: the session role does
  const result = await withSessionRole(context.db, null, async (db) => {
    const signedIn = await signIn(db, email, password, context.clientAddress ?? 'unknown');
    if (!signedIn.ok) return signedIn;
    const [user] = await findUsersByIds(db, [signedIn.userId]);
    if (!user) throw new Error(`the account ${signedIn.userId} vanished while signing in`);
    return { ...signedIn, user };
  });
  if (!result.ok) return { token: null, user: null, errors: [result.error] };
  const { user } = result;
  context.response.setCookies.push(sessionCookie(result.token, context.requestHost));
  // The rest of this request (the payload's fields, signIn being alone in its operation)
  // acts for the account just signed in to, under its database role.
  context.viewer = {
    userId: user.id,
    sessionId: result.sessionId,
    email: user.email,
    displayName: user.display_name,
    role: user.role,
    cityId: user.city_id,
  };
  await enterViewerScope(context.db, context.viewer);
  return { token: result.token, user, errors: [] };
}

/** Ends the request's session, if any, and clears the session cookie. */
export async function signOutRequest(context: Context): Promise<void> {
  context.response.setCookies.push(clearedSessionCookie(context.requestHost));
  const viewer = context.viewer;
  if (viewer) {
    await withSessionRole(context.db, viewer, (db) => revokeSession(db, viewer.sessionId));
  }
}
