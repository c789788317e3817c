import type { Role } from '@udx/db/schema';
import { sql } from 'kysely';
import type { Executor } from '../modules/shared/transaction.ts';
import {
  SESSION_IDLE_SECONDS,
  SESSION_LIFETIME_SECONDS,
  SESSION_TOUCH_SECONDS,
} from './session.ts';
import type { DataVersion } from './session-cache.ts';

/**
 * Sign-in throttling (README, "Signing in"): failures are counted per (account, client) and
 * per client address, never per account alone, so that nobody elsewhere can keep an owner
 * waiting. A key may fail a few times freely; after that each further attempt waits
 * 2^(failures − free) seconds after the last failure, at most 15 minutes. A day without
 * failures starts the count afresh.
 */
export const SIGN_IN_THROTTLE = {
  /** Free failures of one account from one client. */
  pairFreeFailures: 5,
  /** Free failures from one client, over every account it tries. */
  clientFreeFailures: 30,
  maxWaitSeconds: 15 * 60,
  forgetAfterSeconds: 24 * 60 * 60,
} as const;

const freeFailures = sql<number>`(CASE WHEN sign_in_throttle.key LIKE 'pair:%'
  THEN ${sql.lit(SIGN_IN_THROTTLE.pairFreeFailures)}
  ELSE ${sql.lit(SIGN_IN_THROTTLE.clientFreeFailures)} END)`;
const forgotten = sql<boolean>`(sign_in_throttle.last_failure_at
  < now() - make_interval(secs => ${sql.lit(SIGN_IN_THROTTLE.forgetAfterSeconds)}))`;
/** Whether a key must still wait; the exponent is capped first so a huge count cannot overflow. */
const waiting = sql<boolean>`(NOT ${forgotten}
  AND sign_in_throttle.failures >= ${freeFailures}
  AND sign_in_throttle.last_failure_at + make_interval(secs => least(
    power(2, least(sign_in_throttle.failures - ${freeFailures}, 12)),
    ${sql.lit(SIGN_IN_THROTTLE.maxWaitSeconds)})) > now())`;

/**
 * Claims a sign-in attempt for the given throttle keys: counts it as a failure of each up front
 * (a correct password gives it back, see `releaseSignInAttempt`) unless a key must wait. Doing
 * both in one statement makes parallel guesses queue on the rows instead of all slipping
 * through before the first failure is written. True when no key had to wait.
 */
export async function claimSignInAttempt(db: Executor, keys: readonly string[]): Promise<boolean> {
  const claimed = await db
    .insertInto('sign_in_throttle')
    .values(keys.map((key) => ({ key, failures: 1, last_failure_at: sql`now()` })))
    .onConflict((conflict) =>
      conflict
        .column('key')
        .doUpdateSet({
          failures: sql`CASE WHEN ${forgotten} THEN 1 ELSE sign_in_throttle.failures + 1 END`,
          last_failure_at: sql`now()`,
        })
        .where(sql<boolean>`NOT ${waiting}`),
    )
    .returning('key')
    .execute();
  return claimed.length === keys.length;
}

/**
 * A correct password: forgets the (account, client) failures and gives the client back the
 * failure its attempt was counted as. Failures older than a day are swept out on the way.
 */
export async function releaseSignInAttempt(
  db: Executor,
  pairKey: string,
  clientKey: string,
): Promise<void> {
  await db
    .deleteFrom('sign_in_throttle')
    .where((eb) => eb.or([eb('key', '=', pairKey), sql<boolean>`${forgotten}`]))
    .execute();
  await db
    .updateTable('sign_in_throttle')
    .set({ failures: sql`greatest(failures - 1, 0)` })
    .where('key', '=', clientKey)
    .execute();
}

/** Forgets the failures of an address from every client (its password was reset). */
export async function forgetSignInFailures(db: Executor, pairPrefix: string): Promise<void> {
  await db
    .deleteFrom('sign_in_throttle')
    .where('key', 'like', `${pairPrefix.replace(/[\\%_]/g, '\\$&')}%`)
    .execute();
}

/** What checking a password needs of the account with this address. */
export interface SignInAccount {
  id: number;
  passwordHash: string;
  active: boolean;
}

/** The account with this (normalised) e-mail address, if any. */
export async function findSignInAccount(
  db: Executor,
  email: string,
): Promise<SignInAccount | null> {
  const row = await db
    .selectFrom('app_user')
    .select(['id', 'password_hash', 'active'])
    .where('email', '=', email)
    .executeTakeFirst();
  return row ? { id: row.id, passwordHash: row.password_hash, active: row.active } : null;
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
  /** When the session ends whatever happens, in milliseconds since 1970. */
  expiresAt: number;
  /** When it was last written as used, in milliseconds since 1970. */
  lastSeenAt: number;
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
      sql<number>`(extract(epoch from s.expires_at) * 1000)::float8`.as('expiresAt'),
      sql<number>`(extract(epoch from s.last_seen_at) * 1000)::float8`.as('lastSeenAt'),
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

/** The data version as `setViewerSettings` and `readDataVersion` read it. */
interface DataVersionRow {
  figures: string;
  undated_figures: string;
  figure_years: Record<string, number>;
  accounts: string;
  now: number;
}

/** The columns of `DataVersionRow`, selected from `data_version`. */
const VERSION_COLUMNS = sql`figures, undated_figures, accounts,
      (select coalesce(json_object_agg(year, version), '{}') from figure_year_version)
        as figure_years,
      (extract(epoch from now()) * 1000)::float8 as now`;

/** What the row-level security policies read of who is asking (`udx.*` settings). */
export interface ViewerSettings {
  /** The PostgreSQL role the rest of the transaction runs as. */
  databaseRole: string;
  /** The account's role; empty for anonymous requests. */
  role: string;
  /** The city of a city account; empty otherwise. */
  cityId: string;
  /** The account's id; empty for anonymous requests. */
  userId: string;
}

/**
 * Sets the database role and the viewer settings, for the rest of the transaction only, and
 * reads the data version and the database's clock in the same statement (`DataVersion`).
 */
export async function setViewerSettings(
  db: Executor,
  settings: ViewerSettings,
): Promise<DataVersion> {
  const { rows } = await sql<DataVersionRow>`select
      set_config('role', ${settings.databaseRole}, true),
      set_config('udx.role', ${settings.role}, true),
      set_config('udx.city_id', ${settings.cityId}, true),
      set_config('udx.user_id', ${settings.userId}, true),
      ${VERSION_COLUMNS}
    from data_version`.execute(db);
  return dataVersionOf(rows);
}

/**
 * The data version and the database's clock alone, as `setViewerSettings` reads them, outside
 * any request's transaction: what a request answered from kept answers needs to know.
 */
export async function readDataVersion(db: Executor): Promise<DataVersion> {
  const { rows } = await sql<DataVersionRow>`select
      ${VERSION_COLUMNS}
    from data_version`.execute(db);
  return dataVersionOf(rows);
}

/** The one row of `data_version` as numbers (bigint columns arrive as strings). */
function dataVersionOf(rows: DataVersionRow[]): DataVersion {
  const [version] = rows;
  if (!version) throw new Error('the data version row is missing');
  return {
    figures: Number(version.figures),
    undatedFigures: Number(version.undated_figures),
    // a handful of years, read with the row: one statement still
    figureYears: version.figure_years,
    accounts: Number(version.accounts),
    now: version.now,
  };
}

/** Switches the rest of the transaction to a database role. */
export async function setTransactionRole(db: Executor, role: string): Promise<void> {
  await sql`select set_config('role', ${role}, true)`.execute(db);
}
