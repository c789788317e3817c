import type { Db } from '@udx/db/database';
import type { Database, Role } from '@udx/db/schema';
import { sql, type Transaction } from 'kysely';
import {
  SESSION_IDLE_SECONDS,
  SESSION_LIFETIME_SECONDS,
  SESSION_TOUCH_SECONDS,
} from './session.ts';

type Executor = Db | Transaction<Database>;

/** Failed sign-ins an account may have before each further attempt has to wait. */
export const FREE_SIGN_IN_FAILURES = 5;
/** The longest wait between two sign-in attempts of one account. */
export const MAX_SIGN_IN_WAIT_SECONDS = 15 * 60;

/**
 * How long an account with `failed_sign_ins` failures waits after its last failure, in SQL:
 * 2^(n-5) seconds from the fifth failure on, at most 15 minutes. The exponent is capped first
 * so that a huge count cannot overflow.
 */
const lockSeconds = sql<number>`(CASE WHEN failed_sign_ins < ${sql.lit(FREE_SIGN_IN_FAILURES)}
  THEN 0 ELSE least(power(2, least(failed_sign_ins - ${sql.lit(FREE_SIGN_IN_FAILURES)}, 10)),
  ${sql.lit(MAX_SIGN_IN_WAIT_SECONDS)}) END)`;
const lockedUntil = sql`(last_failed_sign_in_at + make_interval(secs => ${lockSeconds}))`;

/** An account that may try to sign in now, with what checking its password needs. */
export interface SignInAttempt {
  id: number;
  passwordHash: string;
  active: boolean;
}

/**
 * Claims a sign-in attempt for the account with this e-mail address: counts it as a failure
 * up front (a correct password resets the count) and refuses it while the account waits after
 * too many failures. Doing both in one UPDATE makes parallel guesses queue on the row instead
 * of all slipping through before the first failure is written. Null when no account has this
 * address or it must wait.
 */
export async function claimSignInAttempt(
  db: Executor,
  email: string,
): Promise<SignInAttempt | null> {
  const row = await db
    .updateTable('app_user')
    .set({
      failed_sign_ins: sql`failed_sign_ins + 1`,
      last_failed_sign_in_at: sql`now()`,
    })
    .where('email', '=', email)
    .where((eb) =>
      eb.or([
        eb('failed_sign_ins', '<', FREE_SIGN_IN_FAILURES),
        eb('last_failed_sign_in_at', 'is', null),
        eb(lockedUntil, '<=', sql`now()`),
      ]),
    )
    .returning(['id', 'password_hash', 'active'])
    .executeTakeFirst();
  return row ? { id: row.id, passwordHash: row.password_hash, active: row.active } : null;
}

/** Seconds the account with this address must still wait before its next attempt (0: none). */
export async function findSignInWait(db: Executor, email: string): Promise<number> {
  const row = await db
    .selectFrom('app_user')
    .select(
      sql<number>`greatest(0, ceil(extract(epoch FROM ${lockedUntil} - now())))::integer`.as(
        'wait',
      ),
    )
    .where('email', '=', email)
    .where('last_failed_sign_in_at', 'is not', null)
    .executeTakeFirst();
  return row?.wait ?? 0;
}

/** Forgets the failures of an account after a correct password. */
export async function resetFailedSignIns(db: Executor, userId: number): Promise<void> {
  await db
    .updateTable('app_user')
    .set({ failed_sign_ins: 0, last_failed_sign_in_at: null })
    .where('id', '=', userId)
    .execute();
}

/** Stores a new session by the hash of its token; it expires after the absolute lifetime. */
export async function insertSession(
  db: Executor,
  userId: number,
  tokenHash: string,
): Promise<number> {
  const row = await db
    .insertInto('user_session')
    .values({
      user_id: userId,
      token_hash: tokenHash,
      expires_at: sql`now() + make_interval(secs => ${sql.lit(SESSION_LIFETIME_SECONDS)})`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A live session with the account it belongs to. */
export interface LiveSession {
  sessionId: number;
  userId: number;
  email: string;
  displayName: string;
  role: Role;
  cityId: number | null;
  /** True when `last_seen_at` is old enough to be written again. */
  stale: boolean;
}

/**
 * The session with this token hash if it is live: not revoked, not past its absolute expiry,
 * used within the idle timeout, of an active account. Times are the database's, so that every
 * server behind a load balancer judges alike.
 */
export async function findLiveSession(
  db: Executor,
  tokenHash: string,
): Promise<LiveSession | null> {
  const row = await db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .select([
      's.id as sessionId',
      'u.id as userId',
      'u.email',
      'u.display_name as displayName',
      'u.role',
      'u.city_id as cityId',
      sql<boolean>`s.last_seen_at < now() - make_interval(secs => ${sql.lit(SESSION_TOUCH_SECONDS)})`.as(
        'stale',
      ),
    ])
    .where('s.token_hash', '=', tokenHash)
    .where('s.revoked_at', 'is', null)
    .where(sql<boolean>`s.expires_at > now()`)
    .where(
      sql<boolean>`s.last_seen_at > now() - make_interval(secs => ${sql.lit(SESSION_IDLE_SECONDS)})`,
    )
    .where('u.active', '=', true)
    .executeTakeFirst();
  return row ?? null;
}

/** Records that a session was used now. */
export async function touchSession(db: Executor, sessionId: number): Promise<void> {
  await db
    .updateTable('user_session')
    .set({ last_seen_at: sql`now()` })
    .where('id', '=', sessionId)
    .execute();
}

/** Ends one session; a revoked session's token is refused from then on. */
export async function revokeSession(db: Executor, sessionId: number): Promise<void> {
  await db
    .updateTable('user_session')
    .set({ revoked_at: sql`now()` })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Ends every session of an account (deactivated, or its password was reset). */
export async function revokeSessionsOfUser(db: Executor, userId: number): Promise<void> {
  await db
    .updateTable('user_session')
    .set({ revoked_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}
