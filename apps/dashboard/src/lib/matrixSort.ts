/**
 * The order of the partnerships × indicators matrix (docs/methodology.md, "Breakdown by
 * partnership"): by any column, or by how far each partnership lags behind. The server orders
 * the rows (`Dashboard.breakdownPage`): at national scale the browser holds one page of them,
 * never all. This only chooses the order and names it in the server's terms.
 */

import type { BreakdownOrder } from '../gql/graphql.ts';

export type SortDirection = 'ascending' | 'descending';

/** `partnership`, `behind`, a total (`exchanges`, ...) or an indicator's code. */
export interface MatrixSort {
  key: string;
  direction: SortDirection;
}

/** The server's order: by German city. */
export const SERVER_ORDER: MatrixSort = { key: 'partnership', direction: 'ascending' };

/** "Most behind" comes first when the column is chosen; everything else starts lowest first. */
export function firstDirection(key: string): SortDirection {
  return key === 'behind' ? 'descending' : 'ascending';
}

/** The order after choosing a column: the other direction of the same one, else its first. */
export function nextSort(current: MatrixSort, key: string): MatrixSort {
  if (current.key === key) {
    return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  }
  return { key, direction: firstDirection(key) };
}

/** True for the order the page's own query asks for (its first page comes with the page). */
export function isServerOrder(sort: MatrixSort): boolean {
  return sort.key === SERVER_ORDER.key && sort.direction === SERVER_ORDER.direction;
}

/** The arguments of `breakdownPage` that order its rows as `sort` says. */
export interface BreakdownOrderArgs {
  orderBy: BreakdownOrder;
  descending: boolean;
  indicator?: string;
}

const COLUMN_ORDERS: Readonly<Record<string, BreakdownOrder>> = {
  partnership: 'PARTNERSHIP',
  // Ties of "behind" go to the partnership with more indicators off track (the server's rule).
  behind: 'BEHIND',
  exchanges: 'EXCHANGES',
  participants: 'PARTICIPANTS',
  outcomes: 'OUTCOMES',
};

/**
 * `sort` in the server's terms: a column of its own, else an indicator's code. The server puts
 * rows without a value last in either direction and keeps ties in the order by German city.
 */
export function breakdownOrderOf(sort: MatrixSort): BreakdownOrderArgs {
  const descending = sort.direction === 'descending';
  const orderBy = COLUMN_ORDERS[sort.key];
  return orderBy
    ? { orderBy, descending }
    : { orderBy: 'INDICATOR', descending, indicator: sort.key };
}
