import { PothosValidationError } from '@pothos/core';
import { type DefaultConnectionArguments, resolveOffsetConnection } from '@pothos/plugin-relay';
import type { ListKey, Page } from './paging.ts';

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

/**
 * A cursor as this API hands them out: base64 of `OffsetConnection:<offset>`, in lists ordered
 * by date and id followed by the row's key, `:<date>:<id>` (see resolveKeyedConnection).
 */
const CURSOR =
  /^OffsetConnection:(0|[1-9][0-9]{0,14})(?::([1-9][0-9]{3}-[0-9]{2}-[0-9]{2}):([1-9][0-9]{0,8}))?$/;

/** The parts of a cursor this API handed out, or null for any other text. */
function readCursor(cursor: string): RegExpExecArray | null {
  const match = CURSOR.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  const date = match?.[2];
  // a key's date must exist in the calendar, or PostgreSQL would refuse it as an internal error
  if (date && new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) return null;
  return match;
}

/**
 * Refuses `before` and `after` cursors this API never handed out. Pothos reads whatever follows
 * the cursor's prefix as a number, so `OffsetConnection:x` (NaN) or `…:99999999999999999999` would reach the database
 * as an OFFSET it cannot take, and fail there as an internal error.
 */
export function checkCursors(args: DefaultConnectionArguments): void {
  for (const name of ['before', 'after'] as const) {
    const cursor = args[name];
    if (cursor == null) continue;
    if (!readCursor(cursor)) {
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

/** The row an `after` cursor names by its key, when it carries one. */
function keyAfter(args: DefaultConnectionArguments): ListKey | undefined {
  const match = args.after == null ? null : readCursor(args.after);
  return match?.[2] && match[3] ? { date: match[2], id: Number(match[3]) } : undefined;
}

/** An offset cursor with the key of its row added. */
function keyedCursor(offsetCursor: string, key: ListKey): string {
  const offset = Buffer.from(offsetCursor, 'base64').toString('utf8');
  return Buffer.from(`${offset}:${key.date}:${key.id}`).toString('base64');
}

/**
 * One page of a list ordered latest first by a date and then by id, as resolveCountedConnection
 * resolves it, whose cursors carry their row's key (`keyOf`) besides its offset. The page after
 * such a cursor starts after its row (`Page.after`), so that a deep page reads no rows before
 * it; cursors with an offset alone (handed out before) still page by offset.
 */
export async function resolveKeyedConnection<T>(
  args: DefaultConnectionArguments,
  findPage: (page: Page) => Promise<readonly T[]>,
  count: () => Promise<number>,
  keyOf: (row: T) => ListKey,
) {
  checkCursors(args);
  const after = keyAfter(args);
  const connection = await resolveOffsetConnection({ args, maxSize: MAX_PAGE_SIZE }, (page) =>
    findPage(after ? { limit: page.limit, offset: 0, after } : page),
  );
  // a list's rows are never null: every edge has its row
  const edges = connection.edges.flatMap((edge) =>
    edge ? [{ ...edge, cursor: keyedCursor(edge.cursor, keyOf(edge.node)) }] : [],
  );
  const pageInfo = {
    ...connection.pageInfo,
    startCursor: edges[0]?.cursor ?? connection.pageInfo.startCursor,
    endCursor: edges.at(-1)?.cursor ?? connection.pageInfo.endCursor,
  };
  return { ...connection, edges, pageInfo, totalCount: count };
}

/** Resolves a connection's `totalCount` field with the count its list attached (see Counted). */
export function resolveTotalCount(connection: object): Promise<number> {
  return (connection as Counted).totalCount();
}
