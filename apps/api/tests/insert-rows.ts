import type { Db } from '@udx/db/database';
import type { Database } from '@udx/db/schema';
import type { Insertable } from 'kysely';

/** The tables whose rows have a serial `id`, by which fixtures refer to them. */
type TableWithId = {
  [T in keyof Database]: Database[T] extends { id: unknown } ? T : never;
}[keyof Database];

/**
 * Inserts rows into one table, as its owner, and answers their ids in the order of `rows`: the
 * one way the fixtures write the records they refer to later, so that each lists only its data.
 */
export async function insertIds<T extends TableWithId>(
  db: Db,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<number[]> {
  // Kysely cannot follow a table given as a type parameter; the rows are typed by the signature
  const inserted = await db
    .insertInto(table)
    .values(rows as never)
    .returning('id' as never)
    .execute();
  return (inserted as unknown as { id: number }[]).map((row) => row.id);
}

/** Inserts one row (see insertIds) and answers its id. */
export async function insertId<T extends TableWithId>(
  db: Db,
  table: T,
  row: Insertable<Database[T]>,
): Promise<number> {
  const [id] = await insertIds(db, table, [row]);
  return id as number;
}
