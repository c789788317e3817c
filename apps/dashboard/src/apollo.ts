import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client/core';

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
    cache: new InMemoryCache({
      typePolicies: {
        // Objects without ids are values of their parent; replacing them wholesale is right.
        Dashboard: { merge: false },
        DashboardTotals: { merge: false },
      },
    }),
    defaultOptions: {
      watchQuery: { fetchPolicy: 'cache-and-network', errorPolicy: 'all' },
      query: { fetchPolicy: 'network-only', errorPolicy: 'all' },
      mutate: { errorPolicy: 'all' },
    },
  });
}

export type AppApolloClient = ReturnType<typeof createApolloClient>;
