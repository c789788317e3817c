import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '@udx/config';
import { type DocumentNode, print } from 'graphql';

/** What a scenario is held to (README, Performance): the verdict the report prints beside it. */
export type TargetKind = 'overview' | 'nested' | 'page' | 'list';

/** One request of the load benchmark, repeated by every connection for the whole run. */
export interface LoadScenario {
  /** Short and unique: it names the scenario in tables, JSON and the server's request ids. */
  name: string;
  query: string;
  variables: Record<string, unknown>;
  /** What it is held to; none for the overview page, measured to compare with the overview. */
  target?: TargetKind;
  /**
   * The `Accept-Encoding` the requests carry, for an answer a browser would take compressed.
   * Without it the answer comes as it is, as for the graphql-js ceiling and PostGraphile.
   */
  acceptEncoding?: string;
  /** Said under the table, e.g. where a deep page starts. */
  note?: string;
  /** The same rows asked of PostGraphile in its own naming, where the comparison applies. */
  postgraphile?: { query: string; variables: Record<string, unknown> };
}

/** What the scenarios need to know of the data set before they can be written. */
export interface ScenarioFacts {
  /** The global id of a city the monitoring account sees, for the city page. */
  cityId: string;
  /** Every exchange the monitoring account sees, to place the deep page. */
  exchangeCount: number;
  /**
   * The cursor the API hands out for the exchange at `deepOffsetOf(exchangeCount)` (it carries
   * the row's key): the deep page is the one after it, as a client paging with the cursors it
   * was given asks for it.
   */
  deepCursor: string;
  /** The year the overview shows by default (the current one). */
  year: number;
}

/** Offset of the deep exchange page: 100,000 where there are that many, else the middle. */
const DEEP_OFFSET = 100_000;
const LIST_PAGE = 50;
const NESTED_PAGE = 20;
/** Exchanges of each partnership in the nested list. */
const NESTED_EXCHANGES = 10;
/** The city page's list pages (apps/dashboard/src/composables/pagedList.ts). */
const CITY_PAGE_SIZE = 25;
/** Twenty quarters: 2022 to 2026. */
const SERIES_SCOPE = { from: '2022-01-01', to: '2026-12-31' };

const OVERVIEW = `query BenchOverview($scope: ScopeInput) {
  dashboard(scope: $scope) {
    totals { partnerships cities departments exchanges outcomes participants }
    goals { goal indicators { indicator { code } value target progress status } }
    sdgs { goal { number } exchangeCount outcomeCount partnershipCount }
  }
}`;

const NESTED_CITIES = `query BenchCities($first: Int!) {
  cities(first: $first) { edges { node { name departments { name } } } }
}`;

const NESTED_CITIES_POSTGRAPHILE = `query BenchCities($first: Int!) {
  allCities(first: $first, orderBy: [COUNTRY_CODE_ASC, NAME_ASC]) {
    nodes { name departmentsByCityId(orderBy: NAME_ASC) { nodes { name } } }
  }
}`;

const NESTED_PARTNERSHIPS = `query BenchPartnerships($first: Int!, $exchanges: Int!) {
  partnerships(first: $first) { edges { node {
    id
    exchanges(first: $exchanges) { edges { node { title departments { name } } } }
  } } }
}`;

const NESTED_PARTNERSHIPS_POSTGRAPHILE = `query BenchPartnerships($first: Int!, $exchanges: Int!) {
  allPartnerships(first: $first, orderBy: PRIMARY_KEY_ASC) { nodes {
    id
    exchangesByPartnershipId(first: $exchanges, orderBy: [STARTS_ON_DESC, PRIMARY_KEY_ASC]) {
      nodes {
        title
        exchangeDepartmentsByExchangeIdAndPartnershipId {
          nodes { departmentByDepartmentIdAndCityId { name } }
        }
      }
    }
  } }
}`;

const SERIES = `query BenchSeries($scope: ScopeInput) {
  indicator(code: "U1") { code series(granularity: QUARTER, scope: $scope) { period value baseline target } }
}`;

const EXCHANGES = `query BenchExchanges($first: Int!, $after: String) {
  exchanges(first: $first, after: $after) {
    edges { cursor node { id title startsOn kind format participantCount } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/**
 * A query of the dashboard as its page sends it, fragments included: read from the documents
 * the dashboard's code generator writes, so that the benchmark follows the pages as they change.
 */
export function dashboardQuery(operation: string): string {
  const file = path.join(projectRoot, 'apps/dashboard/src/gql/graphql.ts');
  const text = readFileSync(file, 'utf8');
  const start = `export const ${operation}Document = `;
  const from = text.indexOf(start);
  const to = text.indexOf(' as unknown as DocumentNode', from);
  if (from < 0 || to < 0) throw new Error(`${file} has no ${operation}Document`);
  return print(JSON.parse(text.slice(from + start.length, to)) as DocumentNode);
}

/** The cursor of the exchange list that starts after `offset` items (see the API's paging). */
function offsetCursor(offset: number): string {
  return Buffer.from(`OffsetConnection:${offset}`).toString('base64');
}

/** How many exchanges lie before the deep page: 100,000 where there are that many, else half. */
export function deepOffsetOf(exchangeCount: number): number {
  return exchangeCount > DEEP_OFFSET + LIST_PAGE
    ? DEEP_OFFSET
    : Math.max(0, Math.floor(exchangeCount / 2) - 1);
}

/**
 * The query that finds the cursor of the exchange at `offset` (0 = the first): asked by an
 * offset once, it answers the cursor with the row's key that a client paging there would hold.
 */
export function deepCursorQuery(offset: number) {
  return {
    query: `query BenchDeepCursor($after: String) {
  exchanges(first: 1, after: $after) { edges { cursor } }
}`,
    variables: offset > 0 ? { after: offsetCursor(offset - 1) } : {},
  };
}

/** What Chromium sends as `Accept-Encoding` over plain HTTP. */
const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

/** The period the dashboard shows by default: the current year. */
function yearScope(year: number) {
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/** Every scenario of the load benchmark, for the data set the facts describe. */
export function loadScenarios(facts: ScenarioFacts): LoadScenario[] {
  const year = yearScope(facts.year);
  const deepOffset = deepOffsetOf(facts.exchangeCount);
  const nested = { first: NESTED_PAGE };
  const partnerships = { first: NESTED_PAGE, exchanges: NESTED_EXCHANGES };
  return [
    { name: 'overview', query: OVERVIEW, variables: { scope: year }, target: 'overview' },
    {
      name: 'overview page',
      query: dashboardQuery('Overview'),
      variables: { scope: year, granularity: 'QUARTER', ...year, withProgramme: false },
      // As the dashboard asks: the answer holds the map's every city and line (2.2 MB at
      // national scale), which the browser takes compressed (README, "Compressed answers").
      acceptEncoding: BROWSER_ACCEPT_ENCODING,
    },
    {
      name: 'cities > departments',
      query: NESTED_CITIES,
      variables: nested,
      target: 'nested',
      postgraphile: { query: NESTED_CITIES_POSTGRAPHILE, variables: nested },
    },
    {
      name: 'partnerships > exchanges > departments',
      query: NESTED_PARTNERSHIPS,
      variables: partnerships,
      target: 'nested',
      postgraphile: { query: NESTED_PARTNERSHIPS_POSTGRAPHILE, variables: partnerships },
    },
    {
      name: 'city page',
      query: dashboardQuery('CityPage'),
      variables: {
        id: facts.cityId,
        scope: { cityId: facts.cityId, ...year },
        ...year,
        withProgramme: false,
        pageSize: CITY_PAGE_SIZE,
      },
      target: 'page',
    },
    {
      name: 'U1 series, 20 quarters',
      query: SERIES,
      variables: { scope: SERIES_SCOPE },
      target: 'page',
    },
    {
      name: `exchanges, first ${LIST_PAGE}`,
      query: EXCHANGES,
      variables: { first: LIST_PAGE },
      target: 'list',
    },
    {
      name: `exchanges, ${LIST_PAGE} deep`,
      query: EXCHANGES,
      variables: { first: LIST_PAGE, after: facts.deepCursor },
      target: 'list',
      note: `the deep page starts after exchange ${deepOffset} of ${facts.exchangeCount}`,
    },
  ];
}

/** The query that finds the facts, as the monitoring account. */
export const FACTS_QUERY = `query BenchFacts {
  cities(first: 1) { edges { node { id } } }
  exchanges(first: 1) { totalCount }
}`;
