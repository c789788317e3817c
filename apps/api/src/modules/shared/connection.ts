import { PothosValidationError } from '@pothos/core';
import { type DefaultConnectionArguments, resolveOffsetConnection } from '@pothos/plugin-relay';
import type { Page } from './paging.ts';

/**
 * The most items one page of any list holds (README, "Performance"). `first` or `last` above it
 * is refused (builder.ts), never cut short: a client that wants more asks for the next page with
 * `after`. The operation limits weigh a connection by the same figure.
 */
export const MAX_PAGE_SIZE = 100;

/** A connection's result carries its count lazily: it is only queried when asked for. */
export interface Counted {
  totalCount: () => Promise<number>;
}

/** A cursor as this API hands them out: base64 of `OffsetConnection:<offset>`. */
const OFFSET_CURSOR = /^OffsetConnection:(0|[1-9][0-9]{0,14})$/;

/**
 * Refuses `before` and `after` cursors this API never handed out. Pothos reads whatever follows
 * the cursor's prefix as a number, so `OffsetConnection:x` (NaN) or `…:99999999999999999999` would reach the database
 * as an OFFSET it cannot take, and fail there as an internal error.
 */
export function checkCursors(args: DefaultConnectionArguments): void {
  for (const name of ['before', 'after'] as const) {
    const cursor = args[name];
    if (cursor == null) continue;
    if (!OFFSET_CURSOR.test(Buffer.from(cursor, 'base64').toString('utf8'))) {
      throw new PothosValidationError(`${name} is not a cursor of this list`);
    }
  }
}

/**
 * One page of an offset-paged list, as `t.connection` resolves it, carrying the list's total
 * count: `count` runs only when a client asks for `totalCount`.
 */
export async function resolveCountedConnection<T>(
  args: DefaultConnectionArguments,
  findPage: (page: Page) => Promise<readonly T[]>,
  count: () => Promise<number>,
) {
  checkCursors(args);
  const connection = await resolveOffsetConnection({ args, maxSize: MAX_PAGE_SIZE }, findPage);
  return { ...connection, totalCount: count };
}

/** Resolves a connection's `totalCount` field with the count its list attached (see Counted). */
export function resolveTotalCount(connection: object): Promise<number> {
  return (connection as Counted).totalCount();
}
