import type { Db } from '@udx/db/database';
import { type UserError, userError } from '../modules/shared/user-error.ts';
import {
  claimSignInAttempt,
  findSignInWait,
  insertSession,
  resetFailedSignIns,
} from './auth.repository.ts';
import { PASSWORD_MAX_LENGTH, verifyDummyPassword, verifyPassword } from './password.ts';
import { createSessionToken, hashSessionToken } from './session.ts';

export type SignInResult =
  | { ok: true; token: string; userId: number; sessionId: number }
  | { ok: false; error: UserError };

/** The one answer for an unknown address, a wrong password and a deactivated account. */
export const WRONG_CREDENTIALS = userError('UNAUTHENTICATED', null, 'Email or password is wrong');

/**
 * Checks an e-mail address and password and opens a session. Whether the address exists is
 * not revealed: an unknown address costs the same password hashing as a wrong password and
 * gets the same error. After five failures an account waits 1, 2, 4 ... seconds (at most 15
 * minutes) after each further failure; a correct password resets the count.
 */
export async function signIn(db: Db, email: string, password: string): Promise<SignInResult> {
  const address = email.trim().toLowerCase();
  if (password.length > PASSWORD_MAX_LENGTH || address === '') {
    return { ok: false, error: WRONG_CREDENTIALS };
  }
  const attempt = await claimSignInAttempt(db, address);
  if (!attempt) {
    const wait = await findSignInWait(db, address);
    if (wait > 0) {
      return {
        ok: false,
        error: userError(
          'UNAUTHENTICATED',
          null,
          `Too many failed sign-ins: wait ${wait} second${wait === 1 ? '' : 's'}, then try again`,
        ),
      };
    }
    await verifyDummyPassword(password);
    return { ok: false, error: WRONG_CREDENTIALS };
  }
  const matches = await verifyPassword(attempt.passwordHash, password);
  // The attempt stays counted as a failure unless the password matches an active account.
  if (!matches || !attempt.active) return { ok: false, error: WRONG_CREDENTIALS };
  await resetFailedSignIns(db, attempt.id);
  const token = createSessionToken();
  const sessionId = await insertSession(db, attempt.id, hashSessionToken(token));
  return { ok: true, token, userId: attempt.id, sessionId };
}
