import { describe, expect, it } from 'vitest';
import { nextSort, SERVER_ORDER, type SortableRow, sortRows } from '../src/lib/matrixSort.ts';

function row(
  position: number,
  behind: number,
  offTrack: number,
  exchanges: number,
  u5: number | null,
): SortableRow & { name: string } {
  return {
    name: `P${position}`,
    position,
    behind,
    offTrack,
    totals: { exchanges, participants: 0, outcomes: 0 },
    values: new Map([['U5', u5]]),
  };
}

const rows = [row(0, 1, 0, 4, 50), row(1, 2, 1, 0, null), row(2, 2, 2, 7, 80), row(3, 0, 0, 0, 10)];
const names = (sorted: { name: string }[]) => sorted.map((r) => r.name);

describe('the matrix order', () => {
  it("keeps the server's order by German city, or reverses it", () => {
    expect(names(sortRows(rows, SERVER_ORDER))).toEqual(['P0', 'P1', 'P2', 'P3']);
    expect(names(sortRows(rows, nextSort(SERVER_ORDER, 'partnership')))).toEqual([
      'P3',
      'P2',
      'P1',
      'P0',
    ]);
  });

  it('puts the most behind first, more indicators off track before fewer', () => {
    const mostBehind = nextSort(SERVER_ORDER, 'behind');
    expect(mostBehind).toEqual({ key: 'behind', direction: 'descending' });
    expect(names(sortRows(rows, mostBehind))).toEqual(['P2', 'P1', 'P0', 'P3']);
    expect(names(sortRows(rows, nextSort(mostBehind, 'behind')))).toEqual(['P3', 'P0', 'P1', 'P2']);
  });

  it('sorts by a total or an indicator lowest first, rows without a value last', () => {
    // equal totals keep the server's order
    expect(names(sortRows(rows, nextSort(SERVER_ORDER, 'exchanges')))).toEqual([
      'P1',
      'P3',
      'P0',
      'P2',
    ]);
    const u5 = nextSort(SERVER_ORDER, 'U5');
    expect(names(sortRows(rows, u5))).toEqual(['P3', 'P0', 'P2', 'P1']);
    expect(names(sortRows(rows, nextSort(u5, 'U5')))).toEqual(['P2', 'P0', 'P3', 'P1']);
  });
});
