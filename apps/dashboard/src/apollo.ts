import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client/core';
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
    },
  });
}

/**
 * The GraphQL client: same-origin `/graphql` with the session cookie, and `Accept-Language` set
 * from the current language on every request, because the API answers in that language.
 */
export function createApolloClient(currentLocale: () => string) {
  const language = new ApolloLink((operation, forward) => {
    operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
      headers: { ...headers, 'Accept-Language': currentLocale() },
    }));
    return forward(operation);
  });
  const http = new HttpLink({ uri: '/graphql', credentials: 'same-origin' });
  return new ApolloClient({
    link: ApolloLink.from([language, http]),
    cache: createCache(),
    defaultOptions: {
      watchQuery: { fetchPolicy: 'cache-and-network', errorPolicy: 'all' },
      query: { fetchPolicy: 'network-only', errorPolicy: 'all' },
      mutate: { errorPolicy: 'all' },
    },
  });
}
