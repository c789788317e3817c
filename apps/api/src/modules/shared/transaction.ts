import type { Db } from '@udx/db/database';
import type { Database } from '@udx/db/schema';
import type { Transaction } from 'kysely';

/** A database handle or an open transaction: writes of a mutation always run in one. */
export type Executor = Db | Transaction<Database>;

/**
 * Runs `fn` in a transaction. When `db` already is one (requests of city accounts may run in a
 * request-wide transaction for row-level security), `fn` joins it instead of opening a nested
 * one, so its writes commit or roll back with the request.
 */
export function runInTransaction<T>(
  db: Executor,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Database>);
  return db.transaction().execute(fn);
}
