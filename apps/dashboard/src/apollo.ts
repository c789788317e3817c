import {
  ApolloClient,
  ApolloLink,
  type FetchResult,
  HttpLink,
  InMemoryCache,
  Observable,
  type Operation,
} from '@apollo/client/core';
import { relayStylePagination } from '@apollo/client/utilities';

/**
 * The client's cache. The cursor lists of exchanges and outcomes are one list per scope, SDG and
 * page length: a page fetched with `after` is appended to the pages before it, and a first page
 * (no `after`, as a page's query asks after its filters changed) starts the list afresh. The
 * page length is part of the key so that a one-off longer list is not taken for, or merged with,
 * the 25-item pages of the same scope.
 */
export function createCache() {
  return new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          exchanges: relayStylePagination(['scope', 'sdg', 'first']),
          outcomes: relayStylePagination(['scope', 'sdg', 'first']),
        },
      },
      // Objects without ids are values of their parent; replacing them wholesale is right.
      Dashboard: { merge: false },
      DashboardTotals: { merge: false },
      PublicFigures: { merge: false },
      // The filter bar's cities (Dashboard.partnershipMap), 10,000 at national scale: values of
      // their map rather than records of their own, fewer entries for the cache to write and
      // read back (README, "Caches and what a figure costs").
      PartnershipMapCity: { keyFields: false },
    },
  });
}

/** How long an answer fetched ahead waits for the page that asks for it. */
export const AHEAD_MS = 10_000;

/** The context flag of a query sent ahead of the page that will ask for it. */
export const AHEAD = { ahead: true } as const;

/**
 * Answers fetched ahead: the router sends a page's query as the route is entered (context
 * `AHEAD`, no cache), before the page exists; when the page, rendering later, sends the same
 * operation (name, variables, language), it gets that answer instead of a second request. Each
 * answer serves once and for `AHEAD_MS` at most; any mutation drops them all, so that no page
 * shows an answer older than a change. A page asking while the answer is still on its way is
 * joined to that request by Apollo's own deduplication.
 */
export function createAheadLink(now: () => number = Date.now): ApolloLink {
  const kept = new Map<string, { result: FetchResult; until: number }>();
  const keyOf = (operation: Operation) =>
    JSON.stringify([
      operation.operationName,
      operation.variables,
      operation.getContext().headers?.['Accept-Language'] ?? '',
    ]);
  return new ApolloLink((operation, forward) => {
    const mutation = operation.query.definitions.some(
      (d) => d.kind === 'OperationDefinition' && d.operation === 'mutation',
    );
    if (mutation) kept.clear();
    const key = keyOf(operation);
    if (operation.getContext().ahead) {
      return new Observable<FetchResult>((observer) => {
        const subscription = forward(operation).subscribe({
          next: (result) => {
            if (!result.errors?.length) kept.set(key, { result, until: now() + AHEAD_MS });
            observer.next(result);
          },
          error: (error) => observer.error(error),
          complete: () => observer.complete(),
        });
        return () => subscription.unsubscribe();
      });
    }
    const ahead = kept.get(key);
    kept.delete(key);
    if (ahead && ahead.until >= now()) return Observable.of(ahead.result);
    return forward(operation);
  });
}

/**
 * The GraphQL client: same-origin `/graphql` with the session cookie, and `Accept-Language` set
 * from the current language on every request, because the API answers in that language. On the
 * server (`entry-server.ts`) `transport` runs each operation in the API's own process instead.
 */
export function createApolloClient(
  currentLocale: () => string,
  transport: ApolloLink = new HttpLink({ uri: '/graphql', credentials: 'same-origin' }),
) {
  const language = new ApolloLink((operation, forward) => {
    operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
      headers: { ...headers, 'Accept-Language': currentLocale() },
    }));
    return forward(operation);
  });
  return new ApolloClient({
    link: ApolloLink.from([language, createAheadLink(), transport]),
    cache: createCache(),
    defaultOptions: {
      watchQuery: { fetchPolicy: 'cache-and-network', errorPolicy: 'all' },
      query: { fetchPolicy: 'network-only', errorPolicy: 'all' },
      mutate: { errorPolicy: 'all' },
    },
  });
}
