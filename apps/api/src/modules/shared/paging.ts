import type { SelectQueryBuilder } from 'kysely';

/** Where a row lies in a list ordered latest first by a date and then by id. */
export interface ListKey {
  date: string;
  id: number;
}

/**
 * One page of a list: at most `limit` rows after skipping `offset`; in a list ordered by date
 * and id, after the row `after` names instead (offset 0), which skips no rows however deep the
 * page lies.
 */
export interface Page {
  limit: number;
  offset: number;
  after?: ListKey;
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
