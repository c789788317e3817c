import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, type LogEvent, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

/** PostgreSQL type ids whose default JavaScript form does not suit udx. */
const PG_TYPE = { int8: 20, numeric: 1700, date: 1082 } as const;

/**
 * How values come out of the database, the same on both engines: dates stay `YYYY-MM-DD`
 * (a JavaScript Date would shift them by the time zone), numerics and 64-bit counts become
 * numbers (udx's figures are far below 2^53).
 */
const parsers: Record<number, (value: string) => unknown> = {
  [PG_TYPE.int8]: (value) => Number(value),
  [PG_TYPE.numeric]: (value) => Number(value),
  [PG_TYPE.date]: (value) => value,
};

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  /** Which engine serves this handle. */
  engine: 'postgres' | 'pglite';
  /** Where the data lives, for start-up messages (a password in a URL is masked). */
  location: string;
  close(): Promise<void>;
  /** The embedded database as a tarball (PGlite only): tests copy a migrated template with it. */
  dump?: () => Promise<File | Blob>;
}

export interface OpenDatabaseOptions {
  /** A PostgreSQL connection string; without it the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** The embedded database's folder, or `memory://` for a throw-away in-memory database. */
  dataDir?: string;
  /** Maximum connections in the pool (PostgreSQL only). */
  poolSize?: number;
  /**
   * The pool's `application_name` (PostgreSQL only), which `pg_stat_activity` and the server's
   * log show: `udx-primary` and `udx-replica` tell the server's two pools apart.
   */
  applicationName?: string;
  /**
   * Every transaction read-only (PostgreSQL only): the pool of a replica, so that a statement
   * that writes fails at once even where the replica would accept it.
   */
  readOnly?: boolean;
  /** Called with every query Kysely runs (for statement counts and slow-query logs). */
  log?: (event: LogEvent) => void;
  /**
   * Called once per pooled connection that fails, idle or in use (the server stopped or
   * restarted, the network dropped); the pool replaces it.
   */
  onPoolError?: (error: Error) => void;
  /** Start the embedded database from a dump of another one (tests use a migrated template). */
  pgliteDump?: Blob | File;
}

/**
 * Opens the database of udx: a `pg` pool when a connection string is given, otherwise the
 * embedded PGlite database in `dataDir`. Both run the same migrations and the same queries.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    return openPostgres(options.databaseUrl, options);
  }
  return openPglite(options.dataDir ?? 'memory://', options);
}

function openPostgres(databaseUrl: string, options: OpenDatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // A runaway query must not hold a connection for ever.
    statement_timeout: 30_000,
    // The indicator statements are short analytical queries; JIT compilation costs them more
    // than it saves (seen at 1.5 s on a 20,000-exchange data set).
    options: options.readOnly ? '-c jit=off -c default_transaction_read_only=on' : '-c jit=off',
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // A connection that fails (PostgreSQL stopped or restarted, the network dropped) must not
  // crash the process. pg emits 'error' on the client itself, and the pool listens only while the
  // client is idle: one checked out by a transaction or between two statements would throw. So
  // every client gets its own listener; its statement fails instead (the API answers
  // DATABASE_UNAVAILABLE), and the pool drops it when it is released.
  pool.on('connect', (client) => {
    let reported = false;
    client.on('error', (error) => {
      if (reported) return;
      reported = true;
      options.onPoolError?.(error);
    });
  });
  // reported once by the client's listener above; the pool's own event must still be handled
  pool.on('error', () => {});
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    db,
    engine: 'postgres',
    location: maskPassword(databaseUrl),
    close: () => db.destroy(),
  };
}

async function openPglite(dataDir: string, options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, {
    parsers,
    ...(options.pgliteDump ? { loadDataDir: options.pgliteDump } : {}),
  });
  const db = new Kysely<Database>({
    dialect: new PGliteDialect({ pglite }),
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    db,
    engine: 'pglite',
    location: inMemory ? 'in memory' : dataDir,
    close: () => db.destroy(),
    dump: () => pglite.dumpDataDir('none'),
  };
}

function maskPassword(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'PostgreSQL (connection string not shown)';
  }
}
