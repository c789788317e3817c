import { createHash } from 'node:crypto';
import type { Db } from '@udx/db/database';
import type { Executor } from '../modules/shared/transaction.ts';
import { type UserError, userError } from '../modules/shared/user-error.ts';
import {
  claimSignInAttempt,
  findSignInAccount,
  forgetSignInFailures,
  insertSession,
  releaseSignInAttempt,
} from './auth.repository.ts';
import { PASSWORD_MAX_LENGTH, verifyDummyPassword, verifyPassword } from './password.ts';
import { createSessionToken, hashSessionToken } from './session.ts';

export type SignInResult =
  | { ok: true; token: string; userId: number; sessionId: number }
  | { ok: false; error: UserError };

/**
 * The one answer for an unknown address, a wrong password, a deactivated account and an
 * attempt that must wait: which of them it was is never revealed.
 */
export const WRONG_CREDENTIALS = userError(
  'UNAUTHENTICATED',
  null,
  'Email or password is wrong, or there were too many attempts: check them and try again in a minute',
);

/** The throttle key prefix of an address: a hash, so that no address is stored in plain text. */
function pairPrefixOf(address: string): string {
  return `pair:${createHash('sha256').update(address).digest('hex')}@`;
}

/**
 * Checks an e-mail address and password and opens a session. Every refusal costs the same
 * password hashing and gets the same answer, so neither the answer nor its timing tells
 * whether an address exists, is deactivated or is throttled. Throttling (see
 * `SIGN_IN_THROTTLE`) counts failures per (account, client) and per client: a guesser
 * elsewhere cannot make the owner wait.
 */
export async function signIn(
  db: Db,
  email: string,
  password: string,
  client: string,
): Promise<SignInResult> {
  const address = email.trim().toLowerCase();
  if (password.length > PASSWORD_MAX_LENGTH || address === '') {
    await verifyDummyPassword(password.slice(0, PASSWORD_MAX_LENGTH));
    return { ok: false, error: WRONG_CREDENTIALS };
  }
  const pairKey = `${pairPrefixOf(address)}${client}`;
  const clientKey = `client:${client}`;
  if (!(await claimSignInAttempt(db, [pairKey, clientKey]))) {
    await verifyDummyPassword(password);
    return { ok: false, error: WRONG_CREDENTIALS };
  }
  const account = await findSignInAccount(db, address);
  const matches = account
    ? await verifyPassword(account.passwordHash, password)
    : await verifyDummyPassword(password);
  // The attempt stays counted as a failure unless the password matches an active account.
  if (!account || !matches || !account.active) return { ok: false, error: WRONG_CREDENTIALS };
  await releaseSignInAttempt(db, pairKey, clientKey);
  const token = createSessionToken();
  const sessionId = await insertSession(db, account.id, hashSessionToken(token));
  return { ok: true, token, userId: account.id, sessionId };
}

/** After a password reset, the address's old failures no longer hold anyone back. */
export function forgetFailedSignIns(db: Executor, email: string): Promise<void> {
  return forgetSignInFailures(db, pairPrefixOf(email.trim().toLowerCase()));
}
