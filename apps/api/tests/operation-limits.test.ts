import { type OperationDefinitionNode, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NESTED_PARTNERSHIPS } from '../bench/queries.ts';
import {
  measureOperation,
  OPERATION_LIMITS,
  type OperationMeasure,
} from '../src/http/operation-limits.ts';
import { schema } from '../src/schema.ts';
import { type Json, postGraphQL, type RunningServer, startServer } from './read/server.ts';

// Request limits: the dashboard's largest real operations pass, the attacks that hold the
// database with one request (aliased figures, nested pages, many root fields) are refused
// before anything runs.

function measure(source: string, variables: Record<string, unknown> = {}): OperationMeasure {
  const document = parse(source);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === 'OperationDefinition',
  );
  if (!operation) throw new Error('no operation');
  return measureOperation(schema, document, operation, variables);
}

const FULL_DASHBOARD = `dashboard(scope: $scope) {
  scope { cityId }
  totals { partnerships cities departments exchanges outcomes participants }
  goals { goal indicators { indicator { id code name } value yearValue target progress status referenceDate } }
  sdgs { goal { number } exchangeCount outcomeCount partnershipCount indicators { indicator { code } status } }
  breakdown {
    partnership { id germanCity { name } partnerCity { name } }
    totals { exchanges outcomes participants }
    indicators { indicator { code } value target status }
  }
}`;

/** The shape of the SDG page's query: every figure of a scope, series and paged lists. */
const SDG_PAGE = `query SdgPage($scope: ScopeInput, $sdg: Int!) {
  sdgGoals { number code title shortTitle colour targets { code title } }
  indicators(sdg: $sdg) { id code name unit series(scope: $scope) { period value baseline target } }
  ${FULL_DASHBOARD}
  exchanges(first: 25, scope: $scope, sdg: $sdg) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id title startsOn kind participantCount
      partnership { id germanCity { id name } partnerCity { id name } }
      departments { id name city { name } } topics { code name } sdgTargets { code } } }
  }
  outcomes(first: 25, scope: $scope, sdg: $sdg) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id title date kind status
      partnership { id germanCity { id name } partnerCity { id name } } sdgTargets { code } } }
  }
  partnerships(first: 500) { edges { node { id status germanCity { id name } partnerCity { id name } } } }
}`;

/** The record-outcome form: every partnership with its exchanges to choose from. */
const RECORD_OUTCOME_FORM = `query RecordOutcomeForm {
  partnerships(first: 500) { edges { node { id germanCity { name } partnerCity { name }
    exchanges(first: 200) { edges { node { id title startsOn } } } } } }
}`;

const aliased = (count: number, field: string) =>
  `query ($scope: ScopeInput) { ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

describe('operation limits', () => {
  it("let the dashboard's largest operations and the benchmark's nested page pass", () => {
    const sdgPage = measure(SDG_PAGE, { sdg: 11, scope: {} });
    expect(sdgPage.cost).toBeLessThan(OPERATION_LIMITS.cost / 2);
    expect(measure(RECORD_OUTCOME_FORM).cost).toBeLessThanOrEqual(OPERATION_LIMITS.cost);
    expect(measure(NESTED_PARTNERSHIPS, { first: 100 }).cost).toBeLessThanOrEqual(
      OPERATION_LIMITS.cost,
    );
  });

  it('weigh connections by their page, from the literal or the variables', () => {
    const nested = `query ($n: Int) { partnerships(first: $n) { edges { node {
      exchanges(first: $n) { edges { node { departments { name } } } } } } } }`;
    // 5 × (node 1 + exchanges 1 + 5 × (edges, node, departments)) and the outer connection
    const small = measure(nested, { n: 5 });
    const large = measure(nested, { n: 100 });
    expect(small.cost).toBeLessThan(200);
    expect(large.cost).toBeGreaterThan(OPERATION_LIMITS.cost);
    // a page larger than the API serves costs as the largest it serves
    expect(measure(nested, { n: 100_000 }).cost).toBe(large.cost);
  });

  it('count aliases, root fields and directives through fragments', () => {
    const source = `query { ...Root a: sdgGoals { number @include(if: true) } }
      fragment Root on Query { b: sdgGoals { number } topics { code @skip(if: false) } }`;
    expect(measure(source)).toMatchObject({ aliases: 2, rootFields: 3, directives: 2 });
  });
});

describe('operation limits over HTTP', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer('pglite');
  });
  afterAll(async () => {
    await server?.stop();
  });

  const refusal = async (query: string, variables: Record<string, unknown> = {}) => {
    const { status, json } = await postGraphQL(server.url, { query, variables });
    expect(json.data).toBeUndefined();
    return { status, codes: json.errors.map((error: Json) => error.extensions.code) };
  };

  it('refuses 30 aliased dashboards, and 10 within the alias limit by their cost', async () => {
    expect(await refusal(aliased(30, 'dashboard(scope: $scope) { totals { exchanges } }'))).toEqual(
      { status: 400, codes: ['TOO_MANY_ALIASES'] },
    );
    expect(await refusal(aliased(10, FULL_DASHBOARD))).toEqual({
      status: 400,
      codes: ['QUERY_TOO_COMPLEX'],
    });
  });

  it('refuses deep pages, too many root fields and directives, with a message', async () => {
    const pages = await postGraphQL(server.url, {
      query: `{ partnerships(first: 100) { edges { node { exchanges(first: 100) { edges { node {
        departments { name } outcomes { title } } } } } } } }`,
    });
    expect(pages.status).toBe(400);
    expect(pages.json.errors[0].message).toMatch(/would cost \d+ units; at most 25000/);
    const roots = Array.from({ length: 25 }, (_, i) => `t${i}: topics { code }`).join(' ');
    expect((await refusal(`{ ${roots} }`)).codes).toEqual(['TOO_MANY_ALIASES']);
    const plainRoots = `{ ${Array.from({ length: 21 }, () => 'topics { code }').join(' ')} }`;
    // the same field asked for again is merged by GraphQL, but still counted as asked
    expect((await refusal(plainRoots)).codes).toEqual(['TOO_MANY_ROOT_FIELDS']);
    const directives = `{ topics { ${Array.from({ length: 31 }, () => 'code @include(if: true)').join(' ')} } }`;
    expect((await refusal(directives)).codes).toEqual(['TOO_MANY_DIRECTIVES']);
  });

  it('answers what is within the limits as before', async () => {
    const { status, json } = await postGraphQL(server.url, {
      query: '{ sdgGoals { number } a: topics { code } b: topics { code } }',
    });
    expect(status).toBe(200);
    expect(json.data.sdgGoals).toHaveLength(17);
  });
});
