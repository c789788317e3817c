import { computed, reactive, ref, shallowRef, watch } from 'vue';
import {
  type BreakdownOrderArgs,
  breakdownOrderOf,
  isServerOrder,
  type MatrixSort,
  nextSort,
  SERVER_ORDER,
} from '../lib/matrixSort.ts';

/**
 * Rows of the breakdown by partnership a page shows at once. At national scale (5,000
 * partnerships, about 30 columns) a page of 50 is some 1,500 cells: quick to send and to draw,
 * and about two screens to scan. The server allows 100, but twice the answer and the cells for
 * rows below the fold are rarely read; "who lags behind" is answered by the order, not the length.
 */
export const BREAKDOWN_PAGE_SIZE = 50;

/** A page of `breakdownPage` as the table reads it. */
export interface BreakdownConnectionLike<Row> {
  totalCount: number;
  edges: readonly { cursor: string; node: Row }[];
}

/** The arguments of one `breakdownPage` request besides the scope, period, goal and SDG. */
export interface BreakdownPageArgs extends BreakdownOrderArgs {
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

export interface BreakdownPagesOptions<Row> {
  /** The first page in the order by German city, as the page's own query answered it. */
  initial: () => BreakdownConnectionLike<Row> | null | undefined;
  /** Asks the server for one page of the same scope, period, goal and SDG. */
  fetchPage: (args: BreakdownPageArgs) => Promise<BreakdownConnectionLike<Row>>;
  /** Changes with the scope, period, goal or SDG: another list starts again at its first page. */
  listKey: () => string;
  pageSize?: number;
}

/** What the table shows: a page of the list in one order, starting at row `start` (0-based). */
interface ShownPage<Row> {
  sort: MatrixSort;
  start: number;
  connection: BreakdownConnectionLike<Row>;
}

interface Request {
  sort: MatrixSort;
  start: number;
  args: BreakdownPageArgs;
}

/**
 * One page of the breakdown at a time, in the order the server makes: choosing a column asks for
 * the first page in that order, "next" and "previous" for the neighbouring pages by cursor. The
 * first page by German city is the page query's own, so the page still costs one request. Until
 * an answer arrives the table keeps showing the page it has, and `sort` says the order of what
 * is shown (never one still on its way).
 */
export function useBreakdownPages<Row>(options: BreakdownPagesOptions<Row>) {
  const pageSize = options.pageSize ?? BREAKDOWN_PAGE_SIZE;
  // null: the page query's first page.
  const fetched = shallowRef<ShownPage<Row> | null>(null);
  const loading = ref(false);
  const error = ref<Error | null>(null);
  let asked = 0;
  let lastRequest: Request | null = null;

  const shown = computed<ShownPage<Row> | null>(() => {
    if (fetched.value) return fetched.value;
    const connection = options.initial();
    return connection ? { sort: SERVER_ORDER, start: 0, connection } : null;
  });
  const rows = computed(() => shown.value?.connection.edges.map((edge) => edge.node) ?? []);
  const sort = computed(() => shown.value?.sort ?? SERVER_ORDER);
  const total = computed(() => shown.value?.connection.totalCount ?? 0);
  const start = computed(() => shown.value?.start ?? 0);
  /** 1-based, inclusive, as "Rows 1–50 of 5,000" reads. */
  const from = computed(() => (rows.value.length > 0 ? start.value + 1 : 0));
  const to = computed(() => start.value + rows.value.length);
  const hasPrevious = computed(() => start.value > 0);
  const hasNext = computed(() => to.value < total.value);
  /** A list longer than one page gets the pager; a shorter one looks as a plain table. */
  const paged = computed(() => total.value > pageSize);

  async function load(request: Request): Promise<void> {
    const id = ++asked;
    lastRequest = request;
    error.value = null;
    // The first page by German city is the page query's: nothing to ask for.
    if (request.start === 0 && isServerOrder(request.sort) && !request.args.after) {
      fetched.value = null;
      loading.value = false;
      return;
    }
    loading.value = true;
    try {
      const connection = await options.fetchPage(request.args);
      if (id !== asked) return;
      fetched.value = { sort: request.sort, start: request.start, connection };
    } catch (caught) {
      if (id !== asked) return;
      error.value = caught instanceof Error ? caught : new Error(String(caught));
    } finally {
      if (id === asked) loading.value = false;
    }
  }

  function firstPage(order: MatrixSort): Request {
    return { sort: order, start: 0, args: { ...breakdownOrderOf(order), first: pageSize } };
  }

  /** Orders by `key`: its first direction, or the other one when it is the order shown. */
  function sortBy(key: string): Promise<void> {
    return load(firstPage(nextSort(sort.value, key)));
  }

  function next(): Promise<void> {
    const last = shown.value?.connection.edges.at(-1);
    if (!hasNext.value || !last || loading.value) return Promise.resolve();
    return load({
      sort: sort.value,
      start: to.value,
      args: { ...breakdownOrderOf(sort.value), first: pageSize, after: last.cursor },
    });
  }

  function previous(): Promise<void> {
    const firstEdge = shown.value?.connection.edges[0];
    if (!hasPrevious.value || !firstEdge || loading.value) return Promise.resolve();
    const before = Math.max(0, start.value - pageSize);
    // Back at the top the first page is asked for as such (the page query's, by German city).
    if (before === 0) return load(firstPage(sort.value));
    return load({
      sort: sort.value,
      start: before,
      args: { ...breakdownOrderOf(sort.value), last: pageSize, before: firstEdge.cursor },
    });
  }

  /** Asks again for the page that failed. */
  function retry(): Promise<void> {
    return lastRequest ? load(lastRequest) : Promise.resolve();
  }

  // Another scope or period is another list: its first page, in the order chosen.
  watch(options.listKey, () => {
    void load(firstPage(sort.value));
  });

  return reactive({
    pageSize,
    rows,
    sort,
    total,
    from,
    to,
    hasPrevious,
    hasNext,
    paged,
    loading,
    error,
    sortBy,
    next,
    previous,
    retry,
  });
}
