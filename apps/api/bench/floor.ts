import { PGlite } from '@electric-sql/pglite';
import type { LogEvent } from 'kysely';
import pg from 'pg';
import { closedLoop, type LoadOptions, type LoadResult } from './load.ts';

/** One SQL statement a request ran, with its parameters, as Kysely logged it. */
export interface CapturedStatement {
  sql: string;
  parameters: readonly unknown[];
}

/**
 * Records the statements Kysely runs while `recording` is on: pass `log` as the database's log
 * hook. A request's transaction is opened and ended by Kysely's driver, not as logged
 * statements, so the replay wraps the statements in BEGIN and COMMIT itself.
 */
export class StatementRecorder {
  private recorded: CapturedStatement[] | undefined;

  readonly log = (event: LogEvent): void => {
    if (event.level === 'query' && this.recorded) {
      this.recorded.push({ sql: event.query.sql, parameters: event.query.parameters });
    }
  };

  /** Runs `fn` and returns the statements it ran (nothing else may run meanwhile). */
  async record(fn: () => Promise<unknown>): Promise<CapturedStatement[]> {
    this.recorded = [];
    try {
      await fn();
      return this.recorded;
    } finally {
      this.recorded = undefined;
    }
  }
}

/** Where the floor replays statements: the PostgreSQL database or the embedded one's folder. */
export type FloorTarget =
  | { engine: 'postgres'; databaseUrl: string; poolSize: number }
  | { engine: 'pglite'; dataDir: string };

/** Replays captured statements under load; `close` when every scenario is measured. */
export interface FloorRunner {
  run(statements: readonly CapturedStatement[], load: LoadOptions): Promise<LoadResult>;
  close(): Promise<void>;
}

/**
 * The floor: the very statements of one request, in the same order, in one transaction, over a
 * plain driver without GraphQL and HTTP. On PostgreSQL a `pg` pool as large as the server's
 * (so that as many statements run at once), on PGlite the embedded database in this process.
 */
export async function openFloor(target: FloorTarget): Promise<FloorRunner> {
  if (target.engine === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.databaseUrl,
      max: target.poolSize,
      options: '-c jit=off',
    });
    return {
      run: (statements, load) =>
        closedLoop(load, async () => {
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            for (const statement of statements) {
              await client.query(statement.sql, statement.parameters as unknown[]);
            }
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK').catch(() => {});
            throw error;
          } finally {
            client.release();
          }
        }),
      close: () => pool.end(),
    };
  }
  const pglite = await PGlite.create(target.dataDir);
  return {
    run: (statements, load) =>
      closedLoop(load, () =>
        pglite.transaction(async (transaction) => {
          for (const statement of statements) {
            await transaction.query(statement.sql, statement.parameters as unknown[]);
          }
        }),
      ),
    close: () => pglite.close(),
  };
}
