import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import { notFound } from '../city/city.access.ts';
import { parseDatabaseId, rowsByKey } from './batch.ts';

/**
 * Declares the Relay node type `name` for rows with a database id, loaded in one batch per
 * request by `findByIds`. `findByIds` leaves out the rows the viewer may not see, so such an id
 * answers "not found" (`No such <noun>`) exactly like one that does not exist, for every type of
 * node alike (docs/architecture.md, "The request path", context and rights).
 */
export function databaseNodeRef<Row extends { id: number }>(
  name: string,
  noun: string,
  findByIds: (context: Context, ids: readonly number[]) => Promise<readonly Row[]>,
) {
  return builder.loadableNodeRef<Row | Error, number, number>(name, {
    id: { resolve: (row) => row.id, parse: parseDatabaseId },
    load: async (ids, context) =>
      rowsByKey(
        ids,
        await findByIds(context, ids),
        (row) => row.id,
        () => notFound(noun),
      ),
    sort: (row) => row.id,
  });
}
