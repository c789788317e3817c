import { gql } from '@apollo/client/core';
import { describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { createCache } from '../src/apollo.ts';
import { PAGE_SIZE, usePagedConnection } from '../src/composables/pagedList.ts';
import { MoreExchangesDocument, type MoreExchangesQueryVariables } from '../src/gql/graphql.ts';

/** An exchange as ExchangeTable's fragment selects it. */
function exchange(n: number) {
  return {
    __typename: 'Exchange' as const,
    id: `RXhjaGFuZ2U6${n}`,
    title: `Exchange ${n}`,
    kind: 'TECHNICAL',
    format: 'VIRTUAL',
    startsOn: '2025-01-01',
    endsOn: null,
    participantCount: 10,
    hostCity: { __typename: 'City' as const, id: 'Q2l0eTox', name: 'Bonn' },
    partnership: {
      __typename: 'Partnership' as const,
      id: 'UGFydG5lcnNoaXA6MTM=',
      germanCity: { __typename: 'City' as const, id: 'Q2l0eTox', name: 'Bonn' },
      partnerCity: { __typename: 'City' as const, id: 'Q2l0eToy', name: 'Oxford' },
    },
  };
}

/** The server's answer for items `from` to `to` (1-based, inclusive) of a list of `total`. */
function page(from: number, to: number, total: number) {
  const edges = [];
  for (let n = from; n <= to; n += 1) {
    edges.push({ __typename: 'ExchangeEdge' as const, cursor: `c${n}`, node: exchange(n) });
  }
  return {
    exchanges: {
      __typename: 'ExchangeConnection' as const,
      totalCount: total,
      pageInfo: { __typename: 'PageInfo' as const, hasNextPage: to < total, endCursor: `c${to}` },
      edges,
    },
  };
}

// What a page query selects for its list: the first page, without `after` (nor `sdg` on the
// goal page), as the cache must find it again after "show more".
const PageListDocument = gql`
  query PageList($scope: ScopeInput, $first: Int!) {
    exchanges(scope: $scope, first: $first) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
        }
      }
    }
  }
`;

interface PageList {
  exchanges: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string };
    edges: { cursor: string; node: { id: string } }[];
  };
}

const bonn = { cityId: 'Q2l0eTox' };
const oxford = { cityId: 'Q2l0eToy' };

function readList(cache: ReturnType<typeof createCache>, scope: object) {
  return cache.readQuery<PageList>({
    query: PageListDocument,
    variables: { scope, first: PAGE_SIZE },
  });
}

describe('paged lists in the cache', () => {
  it('appends the next page to the first, keeps the server count and where the pages end', () => {
    const cache = createCache();
    cache.writeQuery({
      query: MoreExchangesDocument,
      variables: { scope: bonn, first: PAGE_SIZE },
      data: page(1, 25, 60),
    });
    cache.writeQuery({
      query: MoreExchangesDocument,
      variables: { scope: bonn, first: PAGE_SIZE, after: 'c25' },
      data: page(26, 50, 60),
    });
    const list = readList(cache, bonn)?.exchanges;
    expect(list?.edges).toHaveLength(50);
    expect(list?.edges.map((e) => e.cursor).slice(23, 27)).toEqual(['c24', 'c25', 'c26', 'c27']);
    expect(new Set(list?.edges.map((e) => e.node.id)).size).toBe(50);
    expect(list?.totalCount).toBe(60);
    expect(list?.pageInfo).toMatchObject({ hasNextPage: true, endCursor: 'c50' });

    cache.writeQuery({
      query: MoreExchangesDocument,
      variables: { scope: bonn, first: PAGE_SIZE, after: 'c50' },
      data: page(51, 60, 60),
    });
    expect(readList(cache, bonn)?.exchanges.edges).toHaveLength(60);
    expect(readList(cache, bonn)?.exchanges.pageInfo.hasNextPage).toBe(false);
  });

  it('keeps one list per scope and SDG, and starts afresh when a first page comes again', () => {
    const cache = createCache();
    cache.writeQuery({
      query: MoreExchangesDocument,
      variables: { scope: bonn, first: PAGE_SIZE },
      data: page(1, 25, 60),
    });
    cache.writeQuery({
      query: MoreExchangesDocument,
      variables: { scope: bonn, first: PAGE_SIZE, after: 'c25' },
      data: page(26, 50, 60),
    });
    // Another filter is another list: it does not see Bonn's pages.
    cache.writeQuery({
      query: MoreExchangesDocument,
      variables: { scope: oxford, first: PAGE_SIZE },
      data: page(101, 110, 10),
    });
    expect(readList(cache, oxford)?.exchanges.edges).toHaveLength(10);
    expect(readList(cache, bonn)?.exchanges.edges).toHaveLength(50);
    // The SDG page's list of the same scope is its own too.
    cache.writeQuery({
      query: MoreExchangesDocument,
      variables: { scope: bonn, sdg: 11, first: PAGE_SIZE },
      data: page(1, 5, 5),
    });
    expect(readList(cache, bonn)?.exchanges.edges).toHaveLength(50);
    // Back on the first filter, the page query's fresh first page replaces the old pages.
    cache.writeQuery({
      query: MoreExchangesDocument,
      variables: { scope: bonn, first: PAGE_SIZE },
      data: page(1, 25, 61),
    });
    expect(readList(cache, bonn)?.exchanges.edges).toHaveLength(25);
    expect(readList(cache, bonn)?.exchanges.totalCount).toBe(61);
  });

  it('does not mix a longer one-off list of the same scope into the pages', () => {
    const cache = createCache();
    cache.writeQuery({
      query: MoreExchangesDocument,
      variables: { scope: bonn, first: PAGE_SIZE },
      data: page(1, 25, 60),
    });
    cache.writeQuery({
      query: MoreExchangesDocument,
      variables: { scope: bonn, first: 100 },
      data: page(1, 60, 60),
    });
    expect(readList(cache, bonn)?.exchanges.edges).toHaveLength(25);
  });
});

describe('usePagedConnection', () => {
  type Vars = MoreExchangesQueryVariables;

  function setUp(pageInfo: { hasNextPage: boolean; endCursor: string | null }) {
    const fetchMore = vi.fn(async (_options: { variables: Vars }) => ({ data: {} }));
    const list = usePagedConnection({
      fetchMore,
      query: MoreExchangesDocument,
      pageInfo: () => pageInfo,
      variables: () => ({ scope: bonn, sdg: 11 }),
    });
    return { fetchMore, list };
  }

  it('asks for the next 25 after the last loaded item, with the list scope and SDG', async () => {
    const { fetchMore, list } = setUp({ hasNextPage: true, endCursor: 'c25' });
    expect(list.hasMore).toBe(true);
    await list.loadMore();
    expect(fetchMore).toHaveBeenCalledTimes(1);
    expect(fetchMore.mock.calls[0]?.[0].variables).toEqual({
      scope: bonn,
      sdg: 11,
      first: 25,
      after: 'c25',
    });
    expect(list.loadingMore).toBe(false);
  });

  it('asks for nothing at the end of the list, nor twice at once', async () => {
    const done = setUp({ hasNextPage: false, endCursor: 'c60' });
    expect(done.list.hasMore).toBe(false);
    await done.list.loadMore();
    expect(done.fetchMore).not.toHaveBeenCalled();

    const busy = setUp({ hasNextPage: true, endCursor: 'c25' });
    const first = busy.list.loadMore();
    expect(busy.list.loadingMore).toBe(true);
    await busy.list.loadMore();
    await first;
    expect(busy.fetchMore).toHaveBeenCalledTimes(1);
  });

  it('reports a page the server refused or that did not arrive', async () => {
    const refused = usePagedConnection({
      fetchMore: async () => ({ data: undefined, errors: [{ message: 'Not allowed' }] }),
      query: MoreExchangesDocument,
      pageInfo: () => ({ hasNextPage: true, endCursor: 'c25' }),
      variables: () => ({ scope: bonn }),
    });
    await refused.loadMore();
    expect(refused.error?.message).toBe('Not allowed');

    const lost = usePagedConnection({
      fetchMore: async () => {
        throw new Error('Failed to fetch');
      },
      query: MoreExchangesDocument,
      pageInfo: () => ({ hasNextPage: true, endCursor: 'c25' }),
      variables: () => ({ scope: bonn }),
    });
    await lost.loadMore();
    expect(lost.error?.message).toBe('Failed to fetch');
    expect(lost.loadingMore).toBe(false);
    await nextTick();
  });
});
