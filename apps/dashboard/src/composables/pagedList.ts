import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { computed, reactive, ref, watch } from 'vue';

/** How many exchanges or outcomes a list shows at first and adds per "show more". */
export const PAGE_SIZE = 25;

/** Where a list's loaded pages end. */
export interface PageInfoLike {
  hasNextPage: boolean;
  endCursor?: string | null;
}

/** The variables every next-page query takes besides its list's own (scope, SDG). */
export interface PageVariables {
  first: number;
  after?: string | null;
}

export interface PagedConnectionOptions<TData, TVariables extends PageVariables> {
  /**
   * The page query's `fetchMore` (from useQuery). The next page is fetched with `query`, and
   * the cache's field policy (apollo.ts) appends it to the list the page query reads.
   */
  fetchMore: (options: {
    query: TypedDocumentNode<TData, TVariables>;
    variables: TVariables;
  }) => Promise<unknown> | undefined;
  /** The next-page query: the same list field and selection as the page query's. */
  query: TypedDocumentNode<TData, TVariables>;
  /** The list's `pageInfo` as the page query reads it now. */
  pageInfo: () => PageInfoLike | null | undefined;
  /** The list's arguments other than the page (its scope, its SDG): the page query's. */
  variables: () => Omit<TVariables, keyof PageVariables>;
}

/**
 * "Show more" for a cursor list that a page's query loads the first page of: `loadMore` asks the
 * server for the next PAGE_SIZE items after the last one loaded. The list is the page query's
 * own, so changing its scope (a filter) shows a fresh first page.
 */
export function usePagedConnection<TData, TVariables extends PageVariables>(
  options: PagedConnectionOptions<TData, TVariables>,
) {
  const loadingMore = ref(false);
  const error = ref<Error | null>(null);
  const hasMore = computed(() => options.pageInfo()?.hasNextPage === true);
  // A failed page belongs to the list it was asked for, not to the next filter's.
  watch(
    () => JSON.stringify(options.variables()),
    () => {
      error.value = null;
    },
  );

  async function loadMore(): Promise<void> {
    const pageInfo = options.pageInfo();
    if (loadingMore.value || !pageInfo?.hasNextPage || !pageInfo.endCursor) return;
    loadingMore.value = true;
    error.value = null;
    try {
      const answer = (await options.fetchMore({
        query: options.query,
        variables: {
          ...options.variables(),
          first: PAGE_SIZE,
          after: pageInfo.endCursor,
        } as TVariables,
      })) as { error?: { message: string }; errors?: readonly { message: string }[] } | undefined;
      // With errorPolicy "all" a refused page answers with errors instead of throwing.
      const failure = answer?.error ?? answer?.errors?.[0];
      if (failure) error.value = new Error(failure.message);
    } catch (caught) {
      error.value = caught instanceof Error ? caught : new Error(String(caught));
    } finally {
      loadingMore.value = false;
    }
  }

  return reactive({ hasMore, loadingMore, error, loadMore });
}
