import type { ApolloClient } from '@apollo/client/core';
import {
  type Filters,
  filtersToScope,
  parseFilters,
  seriesGranularity,
} from '../composables/filters.ts';
import { type SessionUser, showsProgrammeTotals } from '../composables/session.ts';
import { OverviewDocument, type OverviewQueryVariables } from '../gql/graphql.ts';

/**
 * The variables of OverviewPage's query. The page and `prefetchOverview` both use this, so
 * that Apollo sees one query and sends it once.
 */
export function overviewVariables(
  filters: Filters,
  user: Pick<SessionUser, 'role' | 'city'> | null | undefined,
): OverviewQueryVariables {
  return {
    scope: filtersToScope(filters),
    granularity: seriesGranularity(filters),
    from: filters.allYears ? undefined : filters.from,
    to: filters.allYears ? undefined : filters.to,
    // A city account's dashboard covers its own city; the programme as a whole goes beside it.
    withProgramme: showsProgrammeTotals(user),
  };
}

/**
 * Sends the overview's query as soon as the session is known; the page, rendering a moment
 * later, joins the request in flight instead of sending its own.
 */
export function prefetchOverview(
  client: ApolloClient<unknown>,
  query: Parameters<typeof parseFilters>[0],
  user: SessionUser,
): void {
  client
    .query({
      query: OverviewDocument,
      variables: overviewVariables(parseFilters(query), user),
      // The page's query writes the shared answer to the cache; writing it twice costs time.
      fetchPolicy: 'no-cache',
    })
    // The page's own query reports any failure.
    .catch(() => {});
}
