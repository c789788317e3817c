import { DEMO_EMAIL_DOMAIN, DEMO_PASSWORD } from '@udx/demo/accounts';
import { bearer, type Json, signInToken } from './auth-helpers.ts';

// A write followed by a read, as the tests of several processes and of a replica make them on the
// demo data set: the SKEW administrator records an exchange, and the programme's count of
// exchanges, read back, must show it.

/** The demo data set's SKEW administrator, who may record an exchange of any partnership. */
export const DEMO_ADMIN = `admin@${DEMO_EMAIL_DOMAIN}`;

/** An answer of `/graphql` with the headers a client reads. */
export interface Sent {
  status: number;
  json: Json;
  headers: Headers;
}

/** POSTs one operation to `/graphql`. */
export async function send(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<Sent> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, json: await response.json(), headers: response.headers };
}

/** Signs the demo SKEW administrator in; the headers that carry its session. */
export async function signInDemoAdmin(url: string): Promise<Record<string, string>> {
  return bearer(await signInToken(url, DEMO_ADMIN, DEMO_PASSWORD));
}

const EXCHANGE_COUNT = /* GraphQL */ `
  query ExchangeCount { programmeTotals { exchanges } }
`;

/** The programme's count of exchanges over all time, as `headers`' account reads it. */
export async function exchangeCount(url: string, headers: Record<string, string>): Promise<number> {
  const answer = await send(url, EXCHANGE_COUNT, {}, headers);
  const count = answer.json.data?.programmeTotals?.exchanges;
  if (answer.status !== 200 || typeof count !== 'number') {
    throw new Error(`no count of exchanges: HTTP ${answer.status} ${JSON.stringify(answer.json)}`);
  }
  return count;
}

const A_PARTNERSHIP = /* GraphQL */ `
  query APartnership {
    partnerships(first: 1) { edges { node { id germanCity { id departments { id } } } } }
  }
`;

const RECORD_EXCHANGE = /* GraphQL */ `
  mutation Record($input: RecordExchangeInput!) {
    recordExchange(input: $input) { exchange { id } errors { code field message } }
  }
`;

/**
 * A valid `recordExchange` input: an exchange of the first partnership, hosted by its German
 * city with one of that city's departments.
 */
export async function exchangeInput(
  url: string,
  headers: Record<string, string>,
): Promise<Record<string, unknown>> {
  const found = await send(url, A_PARTNERSHIP, {}, headers);
  const partnership = found.json.data?.partnerships?.edges?.[0]?.node;
  const department = partnership?.germanCity?.departments?.[0];
  if (!partnership || !department) {
    throw new Error(`no partnership with a department: ${JSON.stringify(found.json)}`);
  }
  return {
    partnershipId: partnership.id,
    kind: 'TECHNICAL',
    format: 'IN_PERSON',
    title: 'Read-your-writes workshop',
    startsOn: '2025-05-12',
    endsOn: '2025-05-13',
    hostCityId: partnership.germanCity.id,
    departmentIds: [department.id],
    participantCount: 12,
    governanceLevels: ['MUNICIPAL'],
    topics: ['SPONGE_CITY'],
    sdgTargets: ['11.6'],
  };
}

/** Records an exchange; fails the test when the mutation refuses. The answer, for its headers. */
export async function recordExchange(
  url: string,
  headers: Record<string, string>,
  input: Record<string, unknown>,
): Promise<Sent> {
  const answer = await send(url, RECORD_EXCHANGE, { input }, headers);
  const payload = answer.json.data?.recordExchange;
  if (answer.status !== 200 || !payload?.exchange || payload.errors.length > 0) {
    throw new Error(`recordExchange failed: HTTP ${answer.status} ${JSON.stringify(answer.json)}`);
  }
  return answer;
}
