/**
 * The order of the partnerships × indicators matrix (docs/methodology.md, "Breakdown by
 * partnership"): by any column, or by how far each partnership lags behind. The rows and every
 * number they are sorted by are the server's; this only orders them.
 */

export type SortDirection = 'ascending' | 'descending';

/** `partnership`, `behind`, a total (`exchanges`, ...) or an indicator's code. */
export interface MatrixSort {
  key: string;
  direction: SortDirection;
}

export interface SortableRow {
  /** The row's place in the server's order, by German city. */
  position: number;
  /** Indicators at risk or off track, and of those off track, as the server counted them. */
  behind: number;
  offTrack: number;
  totals: Readonly<Record<string, number>>;
  /** Each indicator's value for the period, by code; null where there is none. */
  values: ReadonlyMap<string, number | null | undefined>;
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

/** The numbers a row is compared by for `key`, most significant first; null sorts last. */
function sortValues(row: SortableRow, key: string): (number | null)[] {
  if (key === 'partnership') return [row.position];
  // Ties of "behind" go to the partnership with more indicators off track.
  if (key === 'behind') return [row.behind, row.offTrack];
  if (key in row.totals) return [row.totals[key] ?? null];
  return [row.values.get(key) ?? null];
}

/**
 * The rows in the order asked for; rows without a value (a percentage nobody reported) last
 * in either direction, ties in the server's order.
 */
export function sortRows<Row extends SortableRow>(rows: readonly Row[], sort: MatrixSort): Row[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const left = sortValues(a, sort.key);
    const right = sortValues(b, sort.key);
    for (let i = 0; i < left.length; i++) {
      const x = left[i] ?? null;
      const y = right[i] ?? null;
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x - y) * sign;
    }
    return a.position - b.position;
  });
}
