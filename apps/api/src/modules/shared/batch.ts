/**
 * Helpers for batched loading: a dataloader receives many keys and must answer one result per
 * key, in the keys' order, from the rows of a single query.
 */

/** One list per key (empty when no row matches), in the order of the rows. */
export function groupRows<Key, Row>(
  keys: readonly Key[],
  rows: readonly Row[],
  keyOf: (row: Row) => Key,
): Row[][] {
  const groups = new Map<Key, Row[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return keys.map((key) => groups.get(key) ?? []);
}

/** One row per key, or the error from `missing` when there is none. */
export function rowsByKey<Key, Row>(
  keys: readonly Key[],
  rows: readonly Row[],
  keyOf: (row: Row) => Key,
  missing: (key: Key) => Error,
): (Row | Error)[] {
  const byKey = new Map<Key, Row>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return keys.map((key) => byKey.get(key) ?? missing(key));
}

/**
 * The database id a Relay global id carries, once its type is known: a positive 32-bit integer,
 * or 0 (which matches no row) for anything else, so a forged id reads as "not found".
 */
export function parseDatabaseId(id: string): number {
  if (!/^[1-9][0-9]{0,9}$/.test(id)) return 0;
  const value = Number(id);
  return value <= 2_147_483_647 ? value : 0;
}
