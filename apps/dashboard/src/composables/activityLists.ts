import { graphql } from '../gql/gql.ts';
import type {
  MoreExchangesQuery,
  MoreExchangesQueryVariables,
  MoreOutcomesQuery,
  MoreOutcomesQueryVariables,
} from '../gql/graphql.ts';
import { type PagedConnectionOptions, usePagedConnection } from './pagedList.ts';

// The next pages of the exchange and outcome lists that the goal, SDG, partnership and city
// pages load the first page of. Each selects what the page query selects for its list, so
// that the cache can append the page to it (see createCache in apollo.ts).
const MoreExchangesDocument = graphql(`
  query MoreExchanges($scope: ScopeInput, $sdg: Int, $first: Int!, $after: String) {
    exchanges(scope: $scope, sdg: $sdg, first: $first, after: $after) {
      ...ExchangeTable_ExchangeConnectionFragment
    }
  }
`);

const MoreOutcomesDocument = graphql(`
  query MoreOutcomes($scope: ScopeInput, $sdg: Int, $first: Int!, $after: String) {
    outcomes(scope: $scope, sdg: $sdg, first: $first, after: $after) {
      ...OutcomeTable_OutcomeConnectionFragment
    }
  }
`);

type ListOptions<TData, TVariables extends MoreExchangesQueryVariables> = Omit<
  PagedConnectionOptions<TData, TVariables>,
  'query'
>;

/** "Show more" for a page's `exchanges(scope, sdg, first: PAGE_SIZE)` list. */
export function useExchangePages(
  options: ListOptions<MoreExchangesQuery, MoreExchangesQueryVariables>,
) {
  return usePagedConnection({ ...options, query: MoreExchangesDocument });
}

/** "Show more" for a page's `outcomes(scope, sdg, first: PAGE_SIZE)` list. */
export function useOutcomePages(
  options: ListOptions<MoreOutcomesQuery, MoreOutcomesQueryVariables>,
) {
  return usePagedConnection({ ...options, query: MoreOutcomesDocument });
}
