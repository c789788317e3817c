import { encodeGlobalID } from '@pothos/plugin-relay';
import type { DatabaseHandle } from '@udx/db/database';
import { createTestDatabase, testEngines } from '@udx/db/testing';
import { graphql, isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/context.ts';
import { schema } from '../../src/schema.ts';
import { contextFor, type Programme, seedProgramme } from './programme-fixture.ts';
import type { Json } from './server.ts';

describe.each(testEngines())('the read side on %s', (engine) => {
  let handle: DatabaseHandle;
  let programme: Programme;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    programme = await seedProgramme(handle.db, 2);
  });
  afterAll(async () => {
    await handle?.close();
  });

  async function run(
    viewer: Viewer | null,
    source: string,
    variableValues: Record<string, unknown> = {},
    language: 'en' | 'de' = 'en',
  ): Promise<{ data: Json; errors?: readonly Json[] }> {
    const result = await graphql({
      schema,
      source,
      variableValues,
      contextValue: contextFor(handle.db, viewer, language),
    });
    return { data: result.data as Json, ...(result.errors ? { errors: result.errors } : {}) };
  }

  const DASHBOARD = `query ($scope: ScopeInput) {
    dashboard(scope: $scope) {
      totals { partnerships cities departments exchanges outcomes participants }
      goals { goal indicators { indicator { code name } value target progress status year } }
      sdgs { goal { number } exchangeCount outcomeCount partnershipCount }
    }
  }`;

  it('computes the dashboard of the whole programme for the Foreign Office', async () => {
    const { data, errors } = await run(programme.viewers.monitor, DASHBOARD);
    expect(errors).toBeUndefined();
    expect(data.dashboard.totals).toEqual({
      partnerships: 2,
      cities: 4,
      departments: 8,
      exchanges: 4,
      outcomes: 2,
      participants: 32,
    });
    expect(data.dashboard.goals.map((g: Json) => g.goal)).toEqual([
      'UNDERSTAND',
      'SHAPE',
      'NETWORK',
    ]);
    const values = Object.fromEntries(
      data.dashboard.goals.flatMap((g: Json) =>
        g.indicators.map((i: Json) => [i.indicator.code, i.value]),
      ),
    );
    expect(values).toMatchObject({ U1: 2, U2: 2, U3: 32, S3: 2, N1: 2 });
    expect(data.dashboard.sdgs).toHaveLength(17);
    const eleven = data.dashboard.sdgs.find((s: Json) => s.goal.number === 11);
    expect(eleven).toMatchObject({ exchangeCount: 2, outcomeCount: 0, partnershipCount: 2 });
  });

  it('narrows the dashboard to a period and to one partnership', async () => {
    const [first] = programme.partnershipIds;
    const { data, errors } = await run(programme.viewers.monitor, DASHBOARD, {
      scope: {
        partnershipId: encodeGlobalID('Partnership', String(first)),
        from: '2025-01-01',
        to: '2025-12-31',
      },
    });
    expect(errors).toBeUndefined();
    expect(data.dashboard.totals).toMatchObject({
      partnerships: 1,
      cities: 2,
      exchanges: 1,
      participants: 12,
    });
  });

  it('refuses a scope with an id of the wrong type or a period out of order', async () => {
    const wrongType = await run(programme.viewers.monitor, DASHBOARD, {
      scope: { partnershipId: encodeGlobalID('City', String(programme.cityIds[0])) },
    });
    expect(wrongType.errors?.[0]?.message).toContain('scope.partnershipId');
    const backwards = await run(programme.viewers.monitor, DASHBOARD, {
      scope: { from: '2026-01-01', to: '2025-01-01' },
    });
    expect(backwards.errors?.[0]?.message).toContain('scope.to');
    // a period far beyond the programme's years would be a series of thousands of empty quarters
    const ancient = await run(
      programme.viewers.monitor,
      '{ indicator(code: "U1") { series(scope: { from: "0001-01-01" }, granularity: QUARTER) { value } } }',
    );
    expect(ancient.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'scope.from',
    });
  });

  it("limits a city account's dashboard to its own city", async () => {
    const { data, errors } = await run(programme.viewers.firstCityEditor, DASHBOARD);
    expect(errors).toBeUndefined();
    expect(data.dashboard.totals.partnerships).toBe(1);
    const other = await run(programme.viewers.firstCityEditor, DASHBOARD, {
      scope: { cityId: encodeGlobalID('City', String(programme.cityIds[2])) },
    });
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps the dashboard and series from anonymous requests, not the catalogue', async () => {
    const dashboard = await run(null, DASHBOARD);
    expect(dashboard.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const catalogue = await run(
      null,
      '{ indicators(goal: SHAPE) { code unit source sdgs { number } } }',
    );
    expect(catalogue.errors).toBeUndefined();
    expect(catalogue.data.indicators.map((i: Json) => i.code)).toEqual([
      'S1',
      'S2',
      'S3',
      'S4',
      'S5',
    ]);
    const series = await run(null, '{ indicator(code: "U1") { series { period value } } }');
    expect(series.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('gives an indicator series per year', async () => {
    const { data, errors } = await run(
      programme.viewers.monitor,
      '{ indicator(code: "U1") { code name series(scope: { from: "2025-01-01", to: "2026-12-31" }) { period value target } } }',
    );
    expect(errors).toBeUndefined();
    expect(data.indicator.series).toEqual([
      { period: '2025', value: 2, target: null },
      { period: '2026', value: 0, target: null },
    ]);
  });

  it('names topics and indicators in the language of the request', async () => {
    const source = '{ topics { code name sdgs { number } } indicator(code: "S1") { name } }';
    const en = await run(null, source, {}, 'en');
    const de = await run(null, source, {}, 'de');
    const sponge = (data: Json) => data.topics.find((t: Json) => t.code === 'SPONGE_CITY');
    expect(sponge(en.data)).toEqual({
      code: 'SPONGE_CITY',
      name: 'Sponge city',
      sdgs: [{ number: 6 }, { number: 11 }, { number: 13 }],
    });
    expect(sponge(de.data).name).toBe('Schwammstadt');
    expect(de.data.indicator.name).toBe('Beteiligte Fachämter');
  });

  it('lists cities and partnerships as connections with their relations', async () => {
    const { data, errors } = await run(
      programme.viewers.monitor,
      `{ cities(first: 3, countryCode: "us") { totalCount edges { node { name countryCode } } pageInfo { hasNextPage endCursor } }
         partnerships { totalCount edges { node { id germanCity { name departments { name type } }
           partnerCity { name } twinnedSince joinedOn status topics { code } } } } }`,
    );
    expect(errors).toBeUndefined();
    expect(data.cities.totalCount).toBe(2);
    expect(data.cities.edges.map((e: Json) => e.node.name)).toEqual(['Town 1', 'Town 2']);
    expect(data.cities.pageInfo.hasNextPage).toBe(false);
    const first = data.partnerships.edges[0].node;
    expect(first).toMatchObject({
      germanCity: { name: 'Stadt 1' },
      partnerCity: { name: 'Town 1' },
      joinedOn: '2024-03-01',
      status: 'ACTIVE',
      topics: [{ code: 'ZERO_WASTE' }, { code: 'SPONGE_CITY' }],
    });
    expect(first.germanCity.departments.map((d: Json) => d.name)).toEqual([
      'Amt für Internationales',
      'Umweltamt',
    ]);
    const node = await run(
      programme.viewers.monitor,
      `{ node(id: "${first.id}") { ... on Partnership { partnerCity { name } } } }`,
    );
    expect(node.data.node.partnerCity.name).toBe('Town 1');
  });

  it('shows a city account its own city and partner cities only, other ids as not found', async () => {
    const viewer = programme.viewers.firstCityEditor;
    const { data, errors } = await run(
      viewer,
      '{ cities { totalCount edges { node { name } } } partnerships { totalCount } }',
    );
    expect(errors).toBeUndefined();
    expect(data.cities.edges.map((e: Json) => e.node.name)).toEqual(['Stadt 1', 'Town 1']);
    expect(data.partnerships.totalCount).toBe(1);
    const otherPartnership = encodeGlobalID('Partnership', String(programme.partnershipIds[1]));
    const otherCity = encodeGlobalID('City', String(programme.cityIds[2]));
    const hidden = await run(
      viewer,
      `{ a: node(id: "${otherPartnership}") { id } b: node(id: "${otherCity}") { id } }`,
    );
    expect(hidden.data).toEqual({ a: null, b: null });
    // The two lookups run at once, so their errors may come in either order.
    expect(hidden.errors?.map((e) => e.message).sort()).toEqual([
      'No such city',
      'No such partnership',
    ]);
  });

  it('answers a missing object of every node type as not found, never as a server error', async () => {
    const nodeTypes = Object.values(schema.getTypeMap())
      .filter((type) => isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node'))
      .map((type) => type.name);
    expect(nodeTypes).toContain('Indicator');
    for (const typename of nodeTypes) {
      const { data, errors } = await run(
        programme.viewers.evaluator,
        'query ($id: ID!) { node(id: $id) { id } }',
        { id: encodeGlobalID(typename, '2147483000') },
      );
      expect(data.node, typename).toBeNull();
      expect(
        errors?.map((error) => error.extensions?.code),
        typename,
      ).toEqual(['NOT_FOUND']);
    }
  });
});
