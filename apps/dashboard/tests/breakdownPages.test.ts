import { type DocumentNode, Kind, visit } from 'graphql';
import { describe, expect, it } from 'vitest';
import { nextTick, ref } from 'vue';
import {
  BREAKDOWN_PAGE_SIZE,
  type BreakdownConnectionLike,
  type BreakdownPageArgs,
  useBreakdownPages,
} from '../src/composables/breakdownPages.ts';
import { GoalPageDocument, OverviewDocument, SdgPageDocument } from '../src/gql/graphql.ts';

interface Row {
  id: string;
  behind: number;
  exchanges: number;
  u5: number | null;
}

/** A scope of `count` partnerships in the order by German city, with figures to order by. */
function partnerships(count: number): Row[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `P${i + 1}`,
    behind: (i * 7) % 5,
    exchanges: (i * 13) % 11,
    u5: i % 4 === 0 ? null : (i * 17) % 100,
  }));
}

/**
 * `breakdownPage` as the API serves it: ordered by the column, rows without a value last in
 * either direction, ties by German city; cursors are places in that order.
 */
function server(all: readonly Row[]) {
  const asked: BreakdownPageArgs[] = [];
  function answer(args: BreakdownPageArgs): BreakdownConnectionLike<Row> {
    asked.push(args);
    const figureOf = (row: Row): number | null =>
      args.orderBy === 'BEHIND'
        ? row.behind
        : args.orderBy === 'EXCHANGES'
          ? row.exchanges
          : args.orderBy === 'INDICATOR'
            ? row.u5
            : null;
    const sign = args.descending ? -1 : 1;
    const ordered = all
      .map((row, position) => ({ row, position }))
      .sort((a, b) => {
        if (args.orderBy === 'PARTNERSHIP') return (a.position - b.position) * sign;
        const x = figureOf(a.row);
        const y = figureOf(b.row);
        if (x !== y) {
          if (x === null) return 1;
          if (y === null) return -1;
          return (x - y) * sign;
        }
        return a.position - b.position;
      })
      .map(({ row }, index) => ({ cursor: `c${index}`, node: row }));
    let from = 0;
    let to = ordered.length;
    if (args.after) from = Number(args.after.slice(1)) + 1;
    if (args.before) to = Number(args.before.slice(1));
    if (args.first != null) to = Math.min(to, from + args.first);
    if (args.last != null) from = Math.max(from, to - args.last);
    return { totalCount: all.length, edges: ordered.slice(from, to) };
  }
  return { asked, answer };
}

/** The table's pages over `all`, the first page by German city coming with the page's query. */
function setUp(all: readonly Row[], pageSize: number) {
  const api = server(all);
  const scope = ref('2026');
  const failing = ref(false);
  const initial = ref(api.answer({ orderBy: 'PARTNERSHIP', descending: false, first: pageSize }));
  api.asked.length = 0;
  const pages = useBreakdownPages<Row>({
    initial: () => initial.value,
    listKey: () => scope.value,
    pageSize,
    fetchPage: async (args) => {
      if (failing.value) throw new Error('Failed to fetch');
      return api.answer(args);
    },
  });
  return { api, scope, failing, initial, pages };
}

const ids = (rows: readonly Row[]) => rows.map((row) => row.id);

describe('the breakdown a page at a time', () => {
  it("comes with the page's query: its first page of 50 rows by German city", () => {
    expect(BREAKDOWN_PAGE_SIZE).toBe(50);
    const argumentsOf = (document: DocumentNode) => {
      const found: Record<string, string>[] = [];
      visit(document, {
        Field(field) {
          if (field.name.value === 'breakdown') found.push({ field: 'breakdown' });
          if (field.name.value !== 'breakdownPage') return;
          const args: Record<string, string> = {};
          for (const arg of field.arguments ?? []) {
            if (arg.value.kind === Kind.INT || arg.value.kind === Kind.ENUM) {
              args[arg.name.value] = arg.value.value;
            }
          }
          found.push(args);
        },
      });
      return found;
    };
    for (const document of [OverviewDocument, GoalPageDocument, SdgPageDocument]) {
      expect(argumentsOf(document)).toEqual([
        { first: String(BREAKDOWN_PAGE_SIZE), orderBy: 'PARTNERSHIP' },
      ]);
    }
  });

  it('shows the first page of the page query, then pages on by cursor: "Rows 11–20 of 5,000"', async () => {
    const { api, pages } = setUp(partnerships(5000), 10);
    expect(pages.paged).toBe(true);
    expect([pages.from, pages.to, pages.total]).toEqual([1, 10, 5000]);
    expect(ids(pages.rows)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9', 'P10']);
    expect([pages.hasPrevious, pages.hasNext]).toEqual([false, true]);
    expect(api.asked).toEqual([]);

    await pages.next();
    expect(api.asked).toEqual([
      { orderBy: 'PARTNERSHIP', descending: false, first: 10, after: 'c9' },
    ]);
    expect([pages.from, pages.to, pages.total]).toEqual([11, 20, 5000]);
    expect(pages.rows[0]?.id).toBe('P11');
    expect(pages.hasPrevious).toBe(true);

    await pages.next();
    expect([pages.from, pages.to]).toEqual([21, 30]);
    await pages.previous();
    expect(api.asked.at(-1)).toEqual({
      orderBy: 'PARTNERSHIP',
      descending: false,
      last: 10,
      before: 'c20',
    });
    expect([pages.from, pages.to]).toEqual([11, 20]);
    expect(pages.rows[0]?.id).toBe('P11');
    // back on the first page: the page query's, not asked for again
    const sent = api.asked.length;
    await pages.previous();
    expect(api.asked).toHaveLength(sent);
    expect([pages.from, pages.to, pages.hasPrevious]).toEqual([1, 10, false]);
  });

  it('reaches the last, shorter page and stops there', async () => {
    const { pages } = setUp(partnerships(25), 10);
    await pages.next();
    await pages.next();
    expect([pages.from, pages.to, pages.total, pages.hasNext]).toEqual([21, 25, 25, false]);
    await pages.next();
    expect([pages.from, pages.to]).toEqual([21, 25]);
    await pages.previous();
    expect([pages.from, pages.to]).toEqual([11, 20]);
  });

  it('orders by a column on the server, starting again at its first page', async () => {
    const all = partnerships(5000);
    const { api, pages } = setUp(all, 10);
    await pages.next();
    const sorting = pages.sortBy('behind');
    // the order shown is that of the rows shown, until the server answers
    expect(pages.sort).toEqual({ key: 'partnership', direction: 'ascending' });
    expect(pages.loading).toBe(true);
    await sorting;
    expect(pages.loading).toBe(false);
    expect(pages.sort).toEqual({ key: 'behind', direction: 'descending' });
    expect(api.asked.at(-1)).toEqual({ orderBy: 'BEHIND', descending: true, first: 10 });
    expect([pages.from, pages.to, pages.total]).toEqual([1, 10, 5000]);
    expect(pages.rows.map((row) => row.behind)).toEqual(Array(10).fill(4));
    await pages.next();
    await pages.next();
    await pages.previous();
    expect(api.asked.at(-1)).toMatchObject({ orderBy: 'BEHIND', descending: true, last: 10 });
    expect([pages.from, pages.to]).toEqual([11, 20]);

    // the other way round: least behind first, from its first page
    await pages.sortBy('behind');
    expect(pages.sort).toEqual({ key: 'behind', direction: 'ascending' });
    expect([pages.from, pages.rows[0]?.behind]).toEqual([1, 0]);

    // an indicator's values, lowest first, rows without a value after all others
    await pages.sortBy('U5');
    expect(api.asked.at(-1)).toEqual({
      orderBy: 'INDICATOR',
      descending: false,
      indicator: 'U5',
      first: 10,
    });
    const values = pages.rows.map((row) => row.u5);
    expect(values).toEqual([...values].sort((a, b) => (a ?? 0) - (b ?? 0)));
    await pages.sortBy('U5');
    expect(pages.rows.every((row) => row.u5 !== null)).toBe(true);
    expect(pages.rows[0]?.u5).toBe(99);

    // by German city again: the page query's first page, without a request; then reversed
    const sent = api.asked.length;
    await pages.sortBy('partnership');
    expect(api.asked).toHaveLength(sent);
    expect(pages.sort).toEqual({ key: 'partnership', direction: 'ascending' });
    expect(pages.rows[0]?.id).toBe('P1');
    await pages.sortBy('partnership');
    expect(api.asked.at(-1)).toEqual({ orderBy: 'PARTNERSHIP', descending: true, first: 10 });
    expect(pages.sort).toEqual({ key: 'partnership', direction: 'descending' });
    expect(pages.rows[0]?.id).toBe('P5000');
  });

  it('shows the answer to the last choice only', async () => {
    const all = partnerships(200);
    const api = server(all);
    const waiting: (() => void)[] = [];
    const pages = useBreakdownPages<Row>({
      initial: () => api.answer({ orderBy: 'PARTNERSHIP', descending: false, first: 10 }),
      listKey: () => '',
      pageSize: 10,
      fetchPage: (args) => new Promise((resolve) => waiting.push(() => resolve(api.answer(args)))),
    });
    const slow = pages.sortBy('U5');
    const quick = pages.sortBy('exchanges');
    waiting[1]?.();
    await quick;
    waiting[0]?.();
    await slow;
    expect(pages.sort.key).toBe('exchanges');
  });

  it('has no pager when the scope fits on one page', () => {
    const { pages } = setUp(partnerships(24), 50);
    expect(pages.paged).toBe(false);
    expect([pages.from, pages.to, pages.total]).toEqual([1, 24, 24]);
    const empty = setUp([], 50).pages;
    expect([empty.paged, empty.from, empty.to, empty.total]).toEqual([false, 0, 0, 0]);
  });

  it('starts again at the first page when the scope changes, in the order chosen', async () => {
    const { api, scope, pages } = setUp(partnerships(300), 10);
    await pages.sortBy('exchanges');
    await pages.next();
    expect(pages.from).toBe(11);
    scope.value = '2025';
    await nextTick();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(api.asked.at(-1)).toEqual({ orderBy: 'EXCHANGES', descending: false, first: 10 });
    expect([pages.from, pages.sort.key]).toEqual([1, 'exchanges']);
  });

  it('keeps the page shown when another fails, and asks again on retry', async () => {
    const { failing, pages } = setUp(partnerships(300), 10);
    failing.value = true;
    await pages.next();
    expect(pages.error?.message).toBe('Failed to fetch');
    expect([pages.from, pages.to]).toEqual([1, 10]);
    failing.value = false;
    await pages.retry();
    expect(pages.error).toBeNull();
    expect([pages.from, pages.to]).toEqual([11, 20]);
  });
});
