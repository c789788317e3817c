import type { Database } from '@udx/db/schema';
import type { SelectQueryBuilder } from 'kysely';

/** One page of a list: at most `limit` rows after skipping `offset`. */
export interface Page {
  limit: number;
  offset: number;
}

/**
 * How many rows a list query holds in all, counted by the database: `query` is the list's
 * filtered query before anything is selected (the same one its pages select from).
 */
export async function countQueryRows<TB extends keyof Database>(
  // biome-ignore lint/complexity/noBannedTypes: a query that selects nothing yet
  query: SelectQueryBuilder<Database, TB, {}>,
): Promise<number> {
  const row = await query
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
