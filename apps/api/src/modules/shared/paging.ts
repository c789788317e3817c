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
export async function countQueryRows<DB, TB extends keyof DB>(
  // biome-ignore lint/complexity/noBannedTypes: a query that selects nothing yet
  query: SelectQueryBuilder<DB, TB, {}>,
): Promise<number> {
  const row = await query
    .select((eb) => eb.fn.countAll<number>().as('count'))
    // any tables a list joins, under any alias: the row is the count alone
    .$castTo<{ count: number }>()
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
