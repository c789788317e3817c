import { type DefaultConnectionArguments, resolveOffsetConnection } from '@pothos/plugin-relay';
import type { Page } from './paging.ts';

/** A connection's result carries its count lazily: it is only queried when asked for. */
export interface Counted {
  totalCount: () => Promise<number>;
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
  const connection = await resolveOffsetConnection({ args }, findPage);
  return { ...connection, totalCount: count };
}

/** Resolves a connection's `totalCount` field with the count its list attached (see Counted). */
export function resolveTotalCount(connection: object): Promise<number> {
  return (connection as Counted).totalCount();
}
