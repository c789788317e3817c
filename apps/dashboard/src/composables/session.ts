import type { ApolloClient } from '@apollo/client/core';
import { useQuery } from '@vue/apollo-composable';
import { computed } from 'vue';
import { graphql } from '../gql/gql.ts';
import type { SessionQuery } from '../gql/graphql.ts';

export const SessionDocument = graphql(`
  query Session {
    me {
      id
      email
      isDemo
      displayName
      role
      city {
        id
        name
      }
    }
  }
`);

export type SessionUser = NonNullable<SessionQuery['me']>;

const EDITORS = new Set(['SKEW_ADMIN', 'CITY_EDITOR']);
const REVIEWERS = new Set(['SKEW_ADMIN', 'SKEW_EVALUATOR']);

/** True for roles that record exchanges, outcomes and values. */
export function canEnterData(role: string | null | undefined): boolean {
  return role !== null && role !== undefined && EDITORS.has(role);
}

/** True for roles that approve or reject reported values. */
export function canReview(role: string | null | undefined): boolean {
  return role !== null && role !== undefined && REVIEWERS.has(role);
}

/** True for roles that set targets: SKEW's evaluation and administration. */
export function canSetTargets(role: string | null | undefined): boolean {
  return role === 'SKEW_EVALUATOR' || role === 'SKEW_ADMIN';
}

/** True for city accounts: they see their own city's figures and the rest only as programme totals. */
export function isCityAccount(role: string | null | undefined): boolean {
  return role === 'CITY_EDITOR' || role === 'CITY_VIEWER';
}

/**
 * Whether a page shows the programme as a whole beside the viewer's own figures: for city
 * accounts only (everyone else's unfiltered figures already are the programme's), and on a
 * city page only on their own city's, where their own figures are.
 */
export function showsProgrammeTotals(
  user: Pick<SessionUser, 'role' | 'city'> | null | undefined,
  cityPageId?: string,
): boolean {
  if (!user || !isCityAccount(user.role) || !user.city) return false;
  return cityPageId === undefined || cityPageId === user.city.id;
}

/** Where a user lands after signing in: a city account on its own city, everyone else on the overview. */
export function landingPath(user: Pick<SessionUser, 'role' | 'city'> | null | undefined): string {
  if (user && isCityAccount(user.role) && user.city) {
    return `/cities/${encodeURIComponent(user.city.id)}`;
  }
  return '/';
}

/** Reads the signed-in user outside components (router guard); null when signed out or offline. */
export async function fetchSession(client: ApolloClient<unknown>): Promise<SessionUser | null> {
  try {
    const result = await client.query({ query: SessionDocument, fetchPolicy: 'cache-first' });
    return result.data?.me ?? null;
  } catch {
    return null;
  }
}

/** The signed-in user as a reactive value. */
export function useSession() {
  const { result, loading, refetch } = useQuery(SessionDocument, null, {
    fetchPolicy: 'cache-first',
  });
  const user = computed(() => result.value?.me ?? null);
  return { user, loading, refetch };
}
