import type { ApolloClient } from '@apollo/client/core';
import { AHEAD, AHEAD_MS } from '../apollo.ts';
import {
  type Filters,
  filtersToScope,
  parseFilters,
  seriesGranularity,
} from '../composables/filters.ts';
import { type SessionUser, showsProgrammeTotals } from '../composables/session.ts';
import { graphql } from '../gql/gql.ts';
import type { OverviewQueryVariables } from '../gql/graphql.ts';

/** OverviewPage's query; here, so that the router can send it before the page is loaded. */
export const OverviewDocument = graphql(`
  query Overview(
    $scope: ScopeInput
    $granularity: Granularity
    $from: Date
    $to: Date
    $withProgramme: Boolean! = false
    $narrowed: Boolean! = false
    $goal: ProgrammeGoal
    $sdg: Int
  ) {
    dashboard(scope: $scope) {
      previousPeriod {
        from
        to
      }
      ...ScopeTotals_DashboardFragment
      goals {
        ...GoalCards_GoalSummaryFragment
      }
      sdgs {
        goal {
          number
        }
        ...SdgTile_SdgSummaryFragment
      }
      # The table's first page (BREAKDOWN_PAGE_SIZE rows); it asks for others itself.
      breakdownPage(first: 50, orderBy: PARTNERSHIP) {
        ...BreakdownTable_PartnershipBreakdownConnectionFragment
      }
      # The map of the whole scope, and the filter bar's places when the scope is everything.
      partnershipMap {
        ...PartnershipMapChart_PartnershipMapFragment
        ...FilterBar_PartnershipMapFragment
      }
    }
    # The filter bar's places when the scope above is one country, city or partnership: all
    # that the viewer sees, so that another can be chosen.
    ...FilterBar_QueryFragment @include(if: $narrowed)
    indicators {
      id
      code
      name
    }
    programmeTotals(from: $from, to: $to) @include(if: $withProgramme) {
      ...TotalsPanel_DashboardTotalsFragment
    }
    programmeTotalsChange(from: $from, to: $to) @include(if: $withProgramme) {
      ...TotalsPanel_TotalsChangeFragment
    }
    technical: indicator(code: "U1") {
      id
      ...ExchangesOverTimeChart_IndicatorFragment
    }
    political: indicator(code: "U2") {
      id
      ...ExchangesOverTimeChart_IndicatorFragment
    }
    # The filter bar's partnership choice (it searches when the viewer sees more).
    partnerships(first: 100) {
      totalCount
      edges {
        node {
          id
          ...FilterBar_PartnershipFragment
        }
      }
    }
  }
`);

/**
 * The variables of OverviewPage's query. The page and `prefetchOverview` both use this, so
 * that Apollo sees one query and sends it once.
 */
export function overviewVariables(
  filters: Filters,
  user: Pick<SessionUser, 'role' | 'city'> | null | undefined,
): OverviewQueryVariables {
  const scope = filtersToScope(filters);
  return {
    scope,
    granularity: seriesGranularity(filters),
    from: filters.allYears ? undefined : filters.from,
    to: filters.allYears ? undefined : filters.to,
    // A city account's dashboard covers its own city; the programme as a whole goes beside it.
    withProgramme: showsProgrammeTotals(user),
    narrowed: Boolean(scope.countryCode || scope.cityId || scope.partnershipId),
  };
}

/** The variables last sent ahead by each client, and when: the router asks before and after the session. */
const sentAhead = new WeakMap<ApolloClient<unknown>, { key: string; at: number }>();

/**
 * Sends the overview's query as the route is entered, while the session is still being checked
 * (`user` null: the variables of any account but a city's), and again once the session is known
 * if that changes them. The page, rendering a moment later, gets the answer without a second
 * request (`createAheadLink`), or joins the request still on its way.
 */
export function prefetchOverview(
  client: ApolloClient<unknown>,
  query: Parameters<typeof parseFilters>[0],
  user: SessionUser | null,
): void {
  const variables = overviewVariables(parseFilters(query), user);
  const key = JSON.stringify(variables);
  const now = Date.now();
  const last = sentAhead.get(client);
  if (last && last.key === key && now - last.at < AHEAD_MS) return;
  sentAhead.set(client, { key, at: now });
  client
    .query({
      query: OverviewDocument,
      variables,
      // As the page's own query: the overview's answer is not kept in the cache.
      fetchPolicy: 'no-cache',
      context: AHEAD,
    })
    // The page's own query reports any failure.
    .catch(() => {});
}
