import { gql } from '@apollo/client/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApolloClient } from '../src/apollo.ts';
import { parseFilters } from '../src/composables/filters.ts';
import type { SessionUser } from '../src/composables/session.ts';
import { OverviewDocument } from '../src/gql/graphql.ts';
import { overviewVariables, prefetchOverview } from '../src/pages/overviewQuery.ts';

const monitor: SessionUser = {
  id: 'VXNlcjox',
  email: 'monitor@demo.udx',
  isDemo: true,
  displayName: 'Monitor',
  role: 'FOREIGN_OFFICE',
  city: null,
};
const bonnViewer: SessionUser = {
  ...monitor,
  role: 'CITY_VIEWER',
  city: { id: 'Q2l0eTox', name: 'Bonn' },
};

afterEach(() => {
  vi.unstubAllGlobals();
});

/** Answers every request with an empty overview and keeps the operation names sent. */
function answerRequests(): string[] {
  const sent: string[] = [];
  vi.stubGlobal('fetch', async (_url: string, init: { body: string }) => {
    const { operationName } = JSON.parse(init.body) as { operationName: string };
    sent.push(operationName);
    const data =
      operationName === 'Overview'
        ? { dashboard: null, technical: null, political: null, partnerships: null }
        : { recordExchange: null };
    return new Response(JSON.stringify({ data }), {
      headers: { 'Content-Type': 'application/json' },
    });
  });
  return sent;
}

/** What OverviewPage's useQuery does as it renders, with the client's default policy. */
function pageQuery(client: ReturnType<typeof createApolloClient>, variables: object) {
  return new Promise<void>((resolve, reject) => {
    const subscription = client.watchQuery({ query: OverviewDocument, variables }).subscribe({
      next: (result) => {
        if (!result.loading) {
          subscription.unsubscribe();
          resolve();
        }
      },
      error: reject,
    });
  });
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('overview query', () => {
  it('asks for the filtered scope, and for programme totals only for city accounts', () => {
    const filters = parseFilters({ country: 'us', from: '2024-01-01', granularity: 'QUARTER' });
    expect(overviewVariables(filters, monitor)).toEqual({
      scope: { countryCode: 'US', from: '2024-01-01' },
      granularity: 'QUARTER',
      from: '2024-01-01',
      to: undefined,
      withProgramme: false,
      // the filter bar's places come apart from the map's, which covers the United States only
      narrowed: true,
    });
    expect(overviewVariables(filters, bonnViewer).withProgramme).toBe(true);
    expect(overviewVariables(parseFilters({ from: '2024-01-01' }), monitor).narrowed).toBe(false);
  });

  it('is sent once when the page asks while the prefetch started by the router is on its way', async () => {
    const requests: string[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: { body: string }) => {
      requests.push(init.body);
      const data = { dashboard: null, technical: null, political: null, partnerships: null };
      return new Response(JSON.stringify({ data }), {
        headers: { 'Content-Type': 'application/json' },
      });
    });
    const client = createApolloClient(() => 'en');
    const query = { country: 'US' };
    prefetchOverview(client, query, monitor);
    // What OverviewPage's useQuery does as it renders, with the client's default policy.
    const page = client.watchQuery({
      query: OverviewDocument,
      variables: overviewVariables(parseFilters(query), monitor),
    });
    await new Promise<void>((resolve, reject) => {
      const subscription = page.subscribe({
        next: (result) => {
          if (!result.loading) {
            subscription.unsubscribe();
            resolve();
          }
        },
        error: reject,
      });
    });
    expect(requests).toHaveLength(1);
    expect(JSON.parse(requests[0] as string).operationName).toBe('Overview');
  });

  it('is sent once when the page asks after the answer sent ahead has arrived', async () => {
    const sent = answerRequests();
    const client = createApolloClient(() => 'en');
    // The router sends it while the session is being checked, and again once it is known.
    prefetchOverview(client, {}, null);
    await settled();
    prefetchOverview(client, {}, monitor);
    await pageQuery(client, overviewVariables(parseFilters({}), monitor));
    expect(sent).toEqual(['Overview']);
    // The answer served once: the page asking again (back on the overview) asks the server.
    await pageQuery(client, overviewVariables(parseFilters({}), monitor));
    expect(sent).toEqual(['Overview', 'Overview']);
  });

  it('is sent again for a city account, whose overview holds the programme beside its own', async () => {
    const sent = answerRequests();
    const client = createApolloClient(() => 'en');
    prefetchOverview(client, {}, null);
    prefetchOverview(client, {}, bonnViewer);
    await settled();
    await pageQuery(client, overviewVariables(parseFilters({}), bonnViewer));
    expect(sent).toEqual(['Overview', 'Overview']);
  });

  it('is not answered from ahead after a change was saved', async () => {
    const sent = answerRequests();
    const client = createApolloClient(() => 'en');
    prefetchOverview(client, {}, monitor);
    await settled();
    await client.mutate({
      mutation: gql`
        mutation RecordExchange {
          recordExchange {
            id
          }
        }
      `,
    });
    await pageQuery(client, overviewVariables(parseFilters({}), monitor));
    expect(sent).toEqual(['Overview', 'RecordExchange', 'Overview']);
  });
});
