import type { IncomingHttpHeaders } from 'node:http';
import type { Db } from '@udx/db/database';
import { sql } from 'kysely';
import { readDataVersion } from '../auth/auth.repository.ts';
import type { ViewerScope } from '../auth/row-level-security.ts';
import { isLocalHost, sessionTokenFrom } from '../auth/session.ts';
import type { DataVersion } from '../auth/session-cache.ts';
import { currentRequestRecord, type Logger } from '../logging.ts';
import { databaseFaultOf } from './database-faults.ts';
import { RequestDeadlineError } from './request-deadline.ts';

// Reads from a PostgreSQL streaming replica (README, "Beyond one machine"). GraphQL queries and
// downloads may run on the replica; mutations, sign-in and sign-out, and uploads run on the
// primary. A client's own writes stay visible to it: after a write commits, the client gets the
// primary's WAL position (cookie `udx_wal`, header `X-Udx-Wal-Position`), and a later read that
// carries it runs on the replica only once the replica has replayed that far.

/** Whether a request only reads (a GraphQL query, a download) or may write. */
export type DatabaseAccess = 'read' | 'write';

/** Which database served a request. */
export type DatabaseServed = 'primary' | 'replica';

/** The cookie that carries the WAL position of the browser's last write. */
export const WAL_POSITION_COOKIE = 'udx_wal';
/** The header that carries it for scripts: in the answer to a write, and back in later reads. */
export const WAL_POSITION_HEADER = 'X-Udx-Wal-Position';
/**
 * How long the cookie lives. A replica further behind than this is out of order (README,
 * "Beyond one machine"); meanwhile every read of the browser costs one statement more.
 */
export const WAL_POSITION_COOKIE_SECONDS = 5 * 60;
/** How long a replica that could not be reached is left alone before reads try it again. */
export const REPLICA_RETRY_AFTER_MS = 5_000;

/** A WAL position as PostgreSQL writes a `pg_lsn`: two hexadecimal numbers of 32 bits. */
const WAL_POSITION_PATTERN = /^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/;
/** SQLSTATE of a write in a read-only transaction. */
const READ_ONLY_TRANSACTION = '25006';

/** A request's scope and the database it runs on. */
export interface RoutedScope extends ViewerScope {
  served: DatabaseServed;
}

/** Chooses the database of each request's transaction. */
export interface DatabaseRouter {
  /** Whether a replica takes reads; without one the primary serves every request. */
  readonly hasReplica: boolean;
  /**
   * Opens the request's scope (`openRequestScope`) on the database that may serve it, and names
   * that database in the request's log line when there is a choice.
   */
  openScope(headers: IncomingHttpHeaders, access: DatabaseAccess): Promise<RoutedScope>;
  /**
   * How the scope ends: a read's commits; a write's commits, then, when a replica takes reads,
   * hands the client the primary's WAL position (`endWithWalPosition`).
   */
  endOf(scope: RoutedScope, access: DatabaseAccess, answer: WalPositionAnswer): () => Promise<void>;
  /**
   * The data version of the database that would serve a read, read alone outside a transaction
   * (`readDataVersion`): what a request answered from kept answers costs.
   */
  readVersion(): Promise<DataVersion>;
}

export interface DatabaseRouterOptions {
  primary: Db;
  /** A hot standby of the primary, opened read-only. */
  replica?: Db | undefined;
  /** Opens a request's scope on the database given (`openRequestScope`). */
  openRequestScope(db: Db, headers: IncomingHttpHeaders): Promise<ViewerScope>;
  logger: Logger;
}

/**
 * The rule for reads, when there is a replica: the replica serves a read unless
 * - the read carries a WAL position the replica has not replayed yet (the client's own write);
 * - its session must be written (`last_seen_at` is stale, see `authenticate`), which a standby
 *   refuses: the request starts again on the primary;
 * - it carries a session token the replica does not know (yet): a session opened a moment ago;
 * - the replica fails or cannot be reached: a warning is logged, the primary serves the read,
 *   and the replica is left alone for `REPLICA_RETRY_AFTER_MS`.
 */
export function createDatabaseRouter(options: DatabaseRouterOptions): DatabaseRouter {
  const { primary, replica, openRequestScope, logger } = options;
  let replicaRestsUntil = 0;

  /**
   * A replica that failed a read (not a deadline, which ends the request): logged, and left
   * alone for a while when it could not be reached; the primary serves the read.
   */
  function replicaFailed(error: unknown): void {
    if (error instanceof RequestDeadlineError) throw error;
    if (databaseFaultOf(error)) replicaRestsUntil = performance.now() + REPLICA_RETRY_AFTER_MS;
    logger.warn({ err: error }, 'The replica failed to serve a read; the primary serves it');
  }

  async function onPrimary(headers: IncomingHttpHeaders): Promise<RoutedScope> {
    return { ...(await openRequestScope(primary, headers)), served: 'primary' };
  }

  async function onReplica(replicaDb: Db, headers: IncomingHttpHeaders): Promise<RoutedScope> {
    const position = walPositionFrom(headers);
    if (position && !(await hasReplayed(replicaDb, position))) return onPrimary(headers);
    const scope = await openRequestScope(replicaDb, headers);
    if (scope.viewer === null && sessionTokenFrom(headers) !== null) {
      await scope.end();
      return onPrimary(headers);
    }
    return { ...scope, served: 'replica' };
  }

  async function routedScope(
    headers: IncomingHttpHeaders,
    access: DatabaseAccess,
  ): Promise<RoutedScope> {
    if (!replica || access === 'write' || performance.now() < replicaRestsUntil) {
      return onPrimary(headers);
    }
    try {
      return await onReplica(replica, headers);
    } catch (error) {
      if (!isReadOnlyRefusal(error)) replicaFailed(error);
      return onPrimary(headers);
    }
  }

  async function openScope(
    headers: IncomingHttpHeaders,
    access: DatabaseAccess,
  ): Promise<RoutedScope> {
    const scope = await routedScope(headers, access);
    const record = currentRequestRecord();
    if (record && replica) record.database = scope.served;
    return scope;
  }

  async function readVersion(): Promise<DataVersion> {
    const record = currentRequestRecord();
    if (replica && performance.now() >= replicaRestsUntil) {
      try {
        const version = await readDataVersion(replica);
        if (record) record.database = 'replica';
        return version;
      } catch (error) {
        replicaFailed(error);
      }
    }
    if (record && replica) record.database = 'primary';
    return readDataVersion(primary);
  }

  return {
    hasReplica: replica !== undefined,
    openScope,
    readVersion,
    endOf: (scope, access, answer) =>
      access === 'write' && replica
        ? endWithWalPosition(scope, () => currentWalPosition(primary), answer, logger)
        : scope.end,
  };
}

/** Whether the replica has replayed the primary's WAL up to `position`. */
async function hasReplayed(replica: Db, position: string): Promise<boolean> {
  const { rows } = await sql<{ replayed: boolean | null }>`
    select pg_last_wal_replay_lsn() >= ${position}::pg_lsn as replayed`.execute(replica);
  // null when the server is no standby (it replays nothing): the primary serves the read
  return rows[0]?.replayed === true;
}

/** The primary's WAL insert position: every transaction committed before is at or before it. */
async function currentWalPosition(primary: Db): Promise<string> {
  const { rows } = await sql<{ position: string }>`
    select pg_current_wal_insert_lsn()::text as position`.execute(primary);
  const position = rows[0]?.position;
  if (!position) throw new Error('the primary reported no WAL position');
  return position;
}

function isReadOnlyRefusal(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === READ_ONLY_TRANSACTION;
}

/**
 * The WAL position a request carries: the `X-Udx-Wal-Position` header (scripts) wins over the
 * `udx_wal` cookie (the dashboard). Anything that is not a position is ignored.
 */
export function walPositionFrom(headers: IncomingHttpHeaders): string | undefined {
  const header = headers[WAL_POSITION_HEADER.toLowerCase()];
  const given = Array.isArray(header) ? header[0] : header;
  if (given !== undefined)
    return WAL_POSITION_PATTERN.test(given.trim()) ? given.trim() : undefined;
  for (const part of headers.cookie?.split(';') ?? []) {
    const [name, value] = part.split('=', 2).map((side) => side.trim());
    if (name === WAL_POSITION_COOKIE && value && WAL_POSITION_PATTERN.test(value)) return value;
  }
  return undefined;
}

/**
 * The `Set-Cookie` value of a WAL position: HttpOnly, Secure unless the request went to this
 * machine (as the session cookie, see `session.ts`), and SameSite=Lax: a link from elsewhere
 * may still read what its browser wrote.
 */
export function walPositionCookie(position: string, requestHost: string | undefined): string {
  const secure = isLocalHost(requestHost) ? '' : '; Secure';
  return `${WAL_POSITION_COOKIE}=${position}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${WAL_POSITION_COOKIE_SECONDS}${secure}`;
}

/** Where a write's answer carries the WAL position to its client. */
export interface WalPositionAnswer {
  /** The request's `Host`, unknown in production (see `walPositionCookie`). */
  requestHost: string | undefined;
  setHeader(name: string, value: string): void;
  addCookie(cookie: string): void;
}

/**
 * The end of a request scope that may have written: commits, then hands the client the
 * primary's WAL position. Like `ViewerScope.end`, only the first caller hears of a failed
 * commit. A position that cannot be read is logged and left out: the write is kept, only the
 * client's next reads may miss it until the replica catches up.
 */
function endWithWalPosition(
  scope: RoutedScope,
  primaryWalPosition: () => Promise<string>,
  answer: WalPositionAnswer,
  logger: Logger,
): () => Promise<void> {
  let ending: Promise<void> | undefined;
  const endThenHandOut = async () => {
    await scope.end();
    try {
      const position = await primaryWalPosition();
      answer.setHeader(WAL_POSITION_HEADER, position);
      answer.addCookie(walPositionCookie(position, answer.requestHost));
    } catch (error) {
      logger.warn({ err: error }, 'Could not read the WAL position after a write');
    }
  };
  return () => {
    if (ending) return ending.catch(() => {});
    ending = endThenHandOut();
    return ending;
  };
}
