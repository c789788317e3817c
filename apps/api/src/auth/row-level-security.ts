import type { IncomingHttpHeaders } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Db } from '@udx/db/database';
import type { Database, Role } from '@udx/db/schema';
import { isAbortedTransactionError, type Transaction } from 'kysely';
import type { Context, Viewer } from '../context.ts';
import { databaseFaultError, databaseFaultOf } from '../http/database-faults.ts';
import type { Executor } from '../modules/shared/transaction.ts';
import { setTransactionRole, setViewerSettings } from './auth.repository.ts';
import { authenticate } from './authenticate.ts';
import { hashSessionToken, sessionTokenFrom } from './session.ts';
import type { DataVersion, SessionCache } from './session-cache.ts';

/**
 * The database role each kind of account's requests run as (migration
 * `20261201_1000_database_role_per_account`). None is a superuser or bypasses row security, so
 * PostgreSQL itself holds every request to the rights of its account (README, "Rights in the
 * database"), whatever a resolver filtered.
 */
export const DATABASE_ROLES: Readonly<Record<Role | 'ANONYMOUS', string>> = {
  ANONYMOUS: 'udx_anonymous',
  CITY_VIEWER: 'udx_city_viewer',
  CITY_EDITOR: 'udx_app',
  FOREIGN_OFFICE: 'udx_foreign_office',
  SKEW_EVALUATOR: 'udx_skew_evaluator',
  SKEW_ADMIN: 'udx_skew_admin',
};

/**
 * The role of the work no account may do itself: finding a request's session by its token,
 * finding an account by its address to sign in, opening and ending sessions, the sign-in
 * throttle. It reads accounts and keeps sessions, and nothing else.
 */
export const SESSION_ROLE = 'udx_session';

/**
 * The role of anonymous requests where the server publishes the approved figures
 * (`UDX_PUBLIC`, README "Open data and public figures"): it reads what public figures are
 * computed from, reported values only when APPROVED, and no account, session or audit entry
 * (migration `20261201_1700_public_figures`).
 */
export const PUBLIC_ROLE = 'udx_public';

/**
 * The database role of a viewer's requests; for null, `anonymousRole` (`udx_anonymous` unless
 * the server publishes figures).
 */
export function databaseRoleOf(
  viewer: Viewer | null,
  anonymousRole: string = DATABASE_ROLES.ANONYMOUS,
): string {
  return viewer ? DATABASE_ROLES[viewer.role] : anonymousRole;
}

/**
 * Switches an open transaction to the viewer's role and tells the policies who is asking. All
 * settings are transaction-local: they vanish at commit or rollback, so a pooled connection
 * never carries one request's viewer into the next.
 */
async function applyViewerScope(
  trx: Transaction<Database>,
  viewer: Viewer | null,
  anonymousRole?: string,
): Promise<DataVersion> {
  return setViewerSettings(trx, {
    databaseRole: databaseRoleOf(viewer, anonymousRole),
    role: viewer?.role ?? '',
    cityId: viewer?.cityId == null ? '' : String(viewer.cityId),
    userId: viewer ? String(viewer.userId) : '',
  });
}

/**
 * Makes the rest of a request's transaction act for `viewer` (signIn: the payload reads as the
 * account just signed in to). Nothing to do on a connection outside a request (the command line,
 * tests that execute the schema directly): it is unrestricted anyway.
 */
export async function enterViewerScope(db: Executor, viewer: Viewer | null): Promise<void> {
  if (db.isTransaction) await applyViewerScope(db as Transaction<Database>, viewer);
}

/**
 * Runs `fn` as the session role inside the request's transaction, then hands the transaction
 * back to `viewer`'s role and settings. sign-in and sign-out are alone in their operation
 * (`signInAlone`), so nothing else of the request runs meanwhile. Outside a request (a plain
 * connection) `fn` runs as it is.
 */
export async function withSessionRole<T>(
  db: Executor,
  viewer: Viewer | null,
  fn: (db: Executor) => Promise<T>,
): Promise<T> {
  if (!db.isTransaction) return fn(db);
  const trx = db as Transaction<Database>;
  await setTransactionRole(trx, SESSION_ROLE);
  let value: T;
  try {
    value = await fn(trx);
  } catch (error) {
    // an aborted transaction refuses this too; it is rolled back at the end of the request
    await applyViewerScope(trx, viewer).catch(() => {});
    throw error;
  }
  await applyViewerScope(trx, viewer);
  return value;
}

/**
 * Runs `fn` in a transaction as the viewer's role (anonymous for null) with its role, city and
 * user id set: whatever `fn` reads or writes through `trx` is limited by row-level security in
 * PostgreSQL, whether or not the code filtered by city itself. Commits when `fn` resolves,
 * rolls back when it throws.
 */
export function withViewerScope<T>(
  db: Db,
  viewer: Viewer | null,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) throw new Error('withViewerScope opens its own transaction');
  return db.transaction().execute(async (trx) => {
    await applyViewerScope(trx, viewer);
    return fn(trx);
  });
}

/** A request-wide viewer scope whose end the caller decides. */
export interface ViewerScope {
  /** The transaction every query of the request runs in. */
  db: Transaction<Database>;
  /** Who the request acts for, from its session; null when anonymous. */
  viewer: Viewer | null;
  /** The data version the request read at its start. */
  version: DataVersion;
  /** Commits (once; later calls wait for the same commit). */
  end(): Promise<void>;
}

/** Stands for a data version before the request's first statement has read it. */
const NOT_READ: DataVersion = {
  figures: -1,
  undatedFigures: -1,
  figureYears: {},
  accounts: -1,
  now: 0,
};

/**
 * Looks a session up by its token's hash as the session role (`authenticate`), then hands the
 * transaction to the viewer found (anonymous when none) and remembers the session in `sessions`.
 */
async function lookUpSession(
  trx: Transaction<Database>,
  tokenHash: string,
  sessions: SessionCache | undefined,
  anonymousRole: string | undefined,
): Promise<{ viewer: Viewer | null; version: DataVersion }> {
  await setTransactionRole(trx, SESSION_ROLE);
  const session = await authenticate(trx, tokenHash);
  const viewer = session?.viewer ?? null;
  const version = await applyViewerScope(trx, viewer, anonymousRole);
  if (session) {
    sessions?.remember(tokenHash, {
      viewer: session.viewer,
      accounts: version.accounts,
      expiresAt: session.expiresAt,
      lastSeenAt: session.lastSeenAt ?? version.now,
    });
  } else {
    sessions?.forget(tokenHash);
  }
  return { viewer, version };
}

/**
 * Opens the scope of a whole request (the callback form does not fit an HTTP server whose
 * execution and answer are separate steps): one transaction, whose first statement sets the
 * viewer's role and settings and reads the data version, and everything after runs as the role
 * of that viewer, anonymous ones included. The caller must call `end()` in every case;
 * `viewerScopePlugin` does it before the answer goes out.
 *
 * The viewer comes from the request's session token. A token `sessions` checked before and that
 * nothing changed since (the accounts version) costs no lookup; any other is looked up as the
 * session role (`authenticate`) and remembered. A request without a viewer runs as
 * `anonymousRole`: `udx_anonymous` unless the server publishes figures (`PUBLIC_ROLE`).
 */
export async function openRequestScope(
  db: Db,
  headers: IncomingHttpHeaders,
  sessions?: SessionCache,
  anonymousRole?: string,
): Promise<ViewerScope> {
  const trx = await db.startTransaction().execute();
  let viewer: Viewer | null = null;
  let version: DataVersion;
  try {
    const token = sessionTokenFrom(headers);
    const tokenHash = token === null ? null : hashSessionToken(token);
    viewer = tokenHash === null ? null : (sessions?.candidate(tokenHash) ?? null);
    // anonymous, or the viewer the token was checked as before: one statement if still trusted
    const known = tokenHash === null || viewer !== null;
    version = known ? await applyViewerScope(trx, viewer, anonymousRole) : NOT_READ;
    if (tokenHash !== null && !(known && sessions?.trusted(tokenHash, version))) {
      ({ viewer, version } = await lookUpSession(trx, tokenHash, sessions, anonymousRole));
    }
  } catch (error) {
    // the first error says what went wrong (the database gone, the deadline passed)
    await trx
      .rollback()
      .execute()
      .catch(() => {});
    throw error;
  }
  let ending: Promise<void> | undefined;
  return {
    db: trx,
    viewer,
    version,
    end: () => {
      // only the first caller hears of a failed commit: it answers the client accordingly
      if (ending) return ending.catch(() => {});
      // a transaction PostgreSQL aborted answers COMMIT with a rollback, never with an error
      ending = trx
        .commit()
        .execute()
        .catch(async (error: unknown) => {
          if (!trx.isRolledBack)
            await trx
              .rollback()
              .execute()
              .catch(() => {});
          throw error;
        });
      return ending;
    },
  };
}

/**
 * Apollo plugin: ends the request's viewer scope when the answer is ready and before it is
 * written, so that the writes of a mutation are committed when its client reads the answer.
 * When the commit fails because the database went away, the answer says so (HTTP 503,
 * DATABASE_UNAVAILABLE) instead of data whose writes were not kept.
 */
export const viewerScopePlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response, operation }) {
        try {
          await contextValue.endViewerScope?.();
        } catch (error) {
          if (response.body.kind !== 'single') throw error;
          const result = response.body.singleResult;
          // A statement failed (a deadline, a lock not granted), its field answered with the
          // error, and PostgreSQL rolled the transaction back instead of committing it: a query
          // lost nothing, its answer stands; a mutation's writes are gone, which it must say.
          if (isAbortedTransactionError(error) && (result.errors?.length ?? 0) > 0) {
            if (operation?.operation !== 'mutation') return;
            const code = result.errors?.[0]?.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
            response.http.status = 503;
            response.body.singleResult = {
              errors: [
                { message: 'The operation failed: nothing of it was saved.', extensions: { code } },
              ],
            };
            return;
          }
          const fault = databaseFaultOf(error);
          if (!fault) throw error;
          response.http.status = 503;
          response.body.singleResult = {
            errors: [{ message: databaseFaultError(fault).message, extensions: { code: fault } }],
          };
        }
      },
    };
  },
};
