import { describe, expect, it } from 'vitest';
import { breakdownOrderOf, isServerOrder, nextSort, SERVER_ORDER } from '../src/lib/matrixSort.ts';

describe('the matrix order', () => {
  it('starts by German city, and reverses it when the column is chosen again', () => {
    expect(isServerOrder(SERVER_ORDER)).toBe(true);
    expect(breakdownOrderOf(SERVER_ORDER)).toEqual({ orderBy: 'PARTNERSHIP', descending: false });
    const reversed = nextSort(SERVER_ORDER, 'partnership');
    expect(reversed).toEqual({ key: 'partnership', direction: 'descending' });
    expect(isServerOrder(reversed)).toBe(false);
    expect(breakdownOrderOf(reversed)).toEqual({ orderBy: 'PARTNERSHIP', descending: true });
  });

  it('puts the most behind first, then the least', () => {
    const mostBehind = nextSort(SERVER_ORDER, 'behind');
    expect(mostBehind).toEqual({ key: 'behind', direction: 'descending' });
    expect(breakdownOrderOf(mostBehind)).toEqual({ orderBy: 'BEHIND', descending: true });
    expect(breakdownOrderOf(nextSort(mostBehind, 'behind'))).toEqual({
      orderBy: 'BEHIND',
      descending: false,
    });
  });

  it('asks for a total or an indicator lowest first, then highest first', () => {
    for (const [key, orderBy] of [
      ['exchanges', 'EXCHANGES'],
      ['participants', 'PARTICIPANTS'],
      ['outcomes', 'OUTCOMES'],
    ] as const) {
      const sort = nextSort(SERVER_ORDER, key);
      expect(breakdownOrderOf(sort)).toEqual({ orderBy, descending: false });
      expect(breakdownOrderOf(nextSort(sort, key))).toEqual({ orderBy, descending: true });
    }
    const u5 = nextSort(SERVER_ORDER, 'U5');
    expect(breakdownOrderOf(u5)).toEqual({
      orderBy: 'INDICATOR',
      descending: false,
      indicator: 'U5',
    });
    // another column starts in its own first direction
    expect(nextSort(nextSort(u5, 'U5'), 'N3')).toEqual({ key: 'N3', direction: 'ascending' });
    expect(breakdownOrderOf(nextSort(u5, 'U5'))).toEqual({
      orderBy: 'INDICATOR',
      descending: true,
      indicator: 'U5',
    });
  });
});
