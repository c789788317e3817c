import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Db } from '@udx/db/database';
import { testEngines } from '@udx/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthServer, Json } from './auth-helpers.ts';
import { bearer, insertAccount, post, signInToken, startAuthServer } from './auth-helpers.ts';
import { insertId, insertIds } from './insert-rows.ts';

// The records behind a figure (docs/methodology.md, "The records behind a figure"): each
// indicator value lists the records its rule counts, sums or pools, as many as it counts.

const PASSWORD = 'records-password';
const YEAR_2025 = { from: '2025-01-01', to: '2025-12-31' };

const RECORDS = /* GraphQL */ `
  query Records($code: String!, $scope: ScopeInput, $first: Int, $after: String) {
    indicator(code: $code) {
      records(scope: $scope, first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node {
          kind
          exchange { title participantCount }
          outcome { title }
          department { name }
          germanDepartment { name }
          partnerDepartment { name }
          reportedValue { value quarter }
        } }
      }
    }
  }
`;

const VALUES = /* GraphQL */ `
  query Values($scope: ScopeInput) {
    dashboard(scope: $scope) { goals { indicators { indicator { code } value } } }
  }
`;

/**
 * P1 Hamburg–Chicago and P2 Bonn–Boston. Departments: Hamburg's international office (HI),
 * environment (HE) and mobility (HM); Chicago's environment (CE) and planning (CP); Bonn's
 * environment (BE).
 *
 * P1 exchanges: X1 2025-03-01 TECHNICAL 10 people, HI HE CE; X2 2025-06-01 POLITICAL 4 people,
 * national level too, HE CE CP; X3 2024-05-01 TECHNICAL 7 people (before 2025); X4 2025-09-01
 * TECHNICAL 3 people, HM CP. P2: Y1 2025-04-01 TECHNICAL 5 people, BE.
 * P1 in 2025: U1 = 2 (X1 X4), U2 = 1 (X2), U3 = 10 + 4 + 3 = 17, N3 = 1 (X2);
 * S1 = 4 (HE CE CP HM: the international office does not count);
 * N4 = 4 (HI–CE, HE–CE, HE–CP, HM–CP; HE–CE met twice and counts once).
 * P1 outcomes: O1 2025-05-01 joint project achieved (of X1); O2 2025-07-01 joint project in
 * progress; O3 2025-08-01 joint project achieved; O4 2025-02-01 agreement dropped; O5 2024-03-01
 * joint project achieved. P2: Q1 2025-06-01 joint project achieved. P1 in 2025: S3 = 2 (O3 O1).
 * Reported N5 (approved unless said): Hamburg 2025 Q1 2, Q2 3, Q3 9 submitted; Bonn 2025 Q1 4.
 * P1 in 2025: N5 = 5 (the two approved values of Hamburg).
 */
async function seed(db: Db) {
  const [hamburg, chicago, bonn, boston] = await insertIds(db, 'city', [
    { name: 'Hamburg', country_code: 'DE' },
    { name: 'Chicago', country_code: 'US' },
    { name: 'Bonn', country_code: 'DE' },
    { name: 'Boston', country_code: 'US' },
  ]);
  if (!hamburg || !chicago || !bonn || !boston) throw new Error('no cities');
  const [p1, p2] = await insertIds(db, 'partnership', [
    { german_city_id: hamburg, partner_city_id: chicago },
    { german_city_id: bonn, partner_city_id: boston },
  ]);
  if (!p1 || !p2) throw new Error('no partnerships');
  const department = (city_id: number, name: string, type: 'ENVIRONMENT') => ({
    city_id,
    name,
    type,
  });
  const [hi, he, hm, ce, cp, be] = await insertIds(db, 'department', [
    { city_id: hamburg, name: 'Hamburg international office', type: 'INTERNATIONAL_OFFICE' },
    department(hamburg, 'Hamburg environment', 'ENVIRONMENT'),
    { city_id: hamburg, name: 'Hamburg mobility', type: 'MOBILITY' },
    department(chicago, 'Chicago environment', 'ENVIRONMENT'),
    { city_id: chicago, name: 'Chicago planning', type: 'URBAN_PLANNING' },
    department(bonn, 'Bonn environment', 'ENVIRONMENT'),
  ]);
  const exchange = async (
    partnership: number,
    title: string,
    startsOn: string,
    kind: 'TECHNICAL' | 'POLITICAL',
    participants: number,
    departments: [number | undefined, number][],
    national = false,
  ) => {
    const id = await insertId(db, 'exchange', {
      partnership_id: partnership,
      kind,
      format: 'IN_PERSON',
      title,
      starts_on: startsOn,
      host_city_id: departments[0]?.[1] ?? hamburg,
      participant_count: participants,
      governance_levels: national ? ['MUNICIPAL', 'NATIONAL'] : ['MUNICIPAL'],
    });
    if (departments.length > 0) {
      await db
        .insertInto('exchange_department')
        .values(
          departments.map(([departmentId, cityId]) => ({
            exchange_id: id,
            partnership_id: partnership,
            department_id: departmentId ?? 0,
            city_id: cityId,
          })),
        )
        .execute();
    }
    return id;
  };
  const x1 = await exchange(p1, 'X1', '2025-03-01', 'TECHNICAL', 10, [
    [hi, hamburg],
    [he, hamburg],
    [ce, chicago],
  ]);
  await exchange(
    p1,
    'X2',
    '2025-06-01',
    'POLITICAL',
    4,
    [
      [he, hamburg],
      [ce, chicago],
      [cp, chicago],
    ],
    true,
  );
  await exchange(p1, 'X3', '2024-05-01', 'TECHNICAL', 7, []);
  await exchange(p1, 'X4', '2025-09-01', 'TECHNICAL', 3, [
    [hm, hamburg],
    [cp, chicago],
  ]);
  await exchange(p2, 'Y1', '2025-04-01', 'TECHNICAL', 5, [[be, bonn]]);
  const outcome = (
    partnership: number,
    title: string,
    date: string,
    kind: 'JOINT_PROJECT' | 'AGREEMENT',
    status: 'ACHIEVED' | 'IN_PROGRESS' | 'DROPPED',
    exchangeId: number | null = null,
  ) => ({ partnership_id: partnership, exchange_id: exchangeId, title, date, kind, status });
  await insertIds(db, 'outcome', [
    outcome(p1, 'O1', '2025-05-01', 'JOINT_PROJECT', 'ACHIEVED', x1),
    outcome(p1, 'O2', '2025-07-01', 'JOINT_PROJECT', 'IN_PROGRESS'),
    outcome(p1, 'O3', '2025-08-01', 'JOINT_PROJECT', 'ACHIEVED'),
    outcome(p1, 'O4', '2025-02-01', 'AGREEMENT', 'DROPPED'),
    outcome(p1, 'O5', '2024-03-01', 'JOINT_PROJECT', 'ACHIEVED'),
    outcome(p2, 'Q1', '2025-06-01', 'JOINT_PROJECT', 'ACHIEVED'),
  ]);
  const n5 = await db
    .selectFrom('indicator')
    .select('id')
    .where('code', '=', 'N5')
    .executeTakeFirstOrThrow();
  const reported = (cityId: number, quarter: number, value: number, submitted = false) => ({
    indicator_id: n5.id,
    city_id: cityId,
    year: 2025,
    quarter,
    value,
    status: submitted ? ('SUBMITTED' as const) : ('APPROVED' as const),
  });
  await insertIds(db, 'reported_value', [
    reported(hamburg, 1, 2),
    reported(hamburg, 2, 3),
    reported(hamburg, 3, 9, true),
    reported(bonn, 1, 4),
  ]);
  return { p1, p2, hamburg, bonn };
}

describe.each(testEngines())('the records behind an indicator value on %s', (engine) => {
  let s: AuthServer;
  let seeded: Awaited<ReturnType<typeof seed>>;
  const tokens = { monitor: '', hamburg: '', bonn: '' };
  const ask = async (who: keyof typeof tokens, query: string, variables: Json) =>
    (await post(s.url, query, variables, bearer(tokens[who]))).json;
  const records = async (who: keyof typeof tokens, code: string, scope: Json, page: Json = {}) => {
    const answer = await ask(who, RECORDS, { code, scope, ...page });
    expect(answer.errors).toBeUndefined();
    const { edges, ...list } = answer.data.indicator.records;
    return { ...list, nodes: edges.map((edge: Json) => edge.node) };
  };
  const values = async (scope: Json) => {
    const answer = await ask('monitor', VALUES, { scope });
    expect(answer.errors).toBeUndefined();
    return new Map<string, number>(
      answer.data.dashboard.goals
        .flatMap((goal: Json) => goal.indicators)
        .map((item: Json) => [item.indicator.code, item.value]),
    );
  };

  beforeAll(async () => {
    s = await startAuthServer(engine);
    seeded = await seed(s.db);
    const accounts = [
      ['monitor', 'FOREIGN_OFFICE', null],
      ['hamburg', 'CITY_EDITOR', seeded.hamburg],
      ['bonn', 'CITY_EDITOR', seeded.bonn],
    ] as const;
    for (const [who, role, cityId] of accounts) {
      const email = `${who}@example.org`;
      await insertAccount(s.db, { email, role, cityId, password: PASSWORD });
      tokens[who] = await signInToken(s.url, email, PASSWORD);
    }
  }, 180_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('lists as many records as a count of records counts, the ones its rule names', async () => {
    const scope = { ...YEAR_2025, partnershipId: encodeGlobalID('Partnership', seeded.p1) };
    const figures = await values(scope);
    const expected: [string, number, string[]][] = [
      ['U1', 2, ['X4', 'X1']],
      ['U2', 1, ['X2']],
      ['N3', 1, ['X2']],
      ['S3', 2, ['O3', 'O1']],
    ];
    for (const [code, count, titles] of expected) {
      const list = await records('monitor', code, scope);
      expect(figures.get(code)).toBe(count);
      expect(list.totalCount).toBe(count);
      expect(list.nodes.map((node: Json) => node.exchange?.title ?? node.outcome?.title)).toEqual(
        titles,
      );
    }

    const s1 = await records('monitor', 'S1', scope);
    expect(figures.get('S1')).toBe(4);
    expect(s1.totalCount).toBe(4);
    expect(s1.nodes.map((node: Json) => node.department.name)).toEqual([
      'Chicago environment',
      'Chicago planning',
      'Hamburg environment',
      'Hamburg mobility',
    ]);

    const n4 = await records('monitor', 'N4', scope);
    expect(figures.get('N4')).toBe(4);
    expect(n4.totalCount).toBe(4);
    expect(
      n4.nodes.map(
        (node: Json) => `${node.germanDepartment.name} – ${node.partnerDepartment.name}`,
      ),
    ).toEqual([
      'Hamburg environment – Chicago environment',
      'Hamburg environment – Chicago planning',
      'Hamburg international office – Chicago environment',
      'Hamburg mobility – Chicago planning',
    ]);
  });

  it('lists the records a sum adds up: exchanges by participants, reported values', async () => {
    const scope = { ...YEAR_2025, partnershipId: encodeGlobalID('Partnership', seeded.p1) };
    const figures = await values(scope);
    const u3 = await records('monitor', 'U3', scope);
    expect(u3.totalCount).toBe(3);
    const participants = u3.nodes.map((node: Json) => node.exchange.participantCount);
    expect(participants).toEqual([3, 4, 10]);
    expect(figures.get('U3')).toBe(17);

    // approved values only, as in the figure: Hamburg's Q2 and Q1, not its submitted Q3
    const n5 = await records('monitor', 'N5', scope);
    expect(n5.nodes.map((node: Json) => node.reportedValue)).toEqual([
      { value: 3, quarter: 2 },
      { value: 2, quarter: 1 },
    ]);
    expect(figures.get('N5')).toBe(5);
  });

  it('pages on the server, the total staying that of the whole list', async () => {
    const scope = { ...YEAR_2025, partnershipId: encodeGlobalID('Partnership', seeded.p1) };
    const first = await records('monitor', 'U3', scope, { first: 2 });
    expect(first.totalCount).toBe(3);
    expect(first.nodes.map((node: Json) => node.exchange.title)).toEqual(['X4', 'X2']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = await records('monitor', 'U3', scope, {
      first: 2,
      after: first.pageInfo.endCursor,
    });
    expect(next.totalCount).toBe(3);
    expect(next.nodes.map((node: Json) => node.exchange.title)).toEqual(['X1']);
    expect(next.pageInfo.hasNextPage).toBe(false);
  });

  it('counts the outcomes of a list as the totals do, dropped ones apart', async () => {
    const scope = { ...YEAR_2025, partnershipId: encodeGlobalID('Partnership', seeded.p1) };
    const answer = await ask(
      'monitor',
      `query Outcomes($scope: ScopeInput) {
        outcomes(scope: $scope, first: 10) { totalCount countedCount }
        dashboard(scope: $scope) { totals { outcomes } }
      }`,
      { scope },
    );
    expect(answer.errors).toBeUndefined();
    // O1 O2 O3 O4 of 2025, of which O4 was dropped
    expect(answer.data.outcomes).toEqual({ totalCount: 4, countedCount: 3 });
    expect(answer.data.dashboard.totals.outcomes).toBe(3);
  });

  it("offers editing to its partnership's city editors, not to the Foreign Office", async () => {
    const scope = { ...YEAR_2025, partnershipId: encodeGlobalID('Partnership', seeded.p1) };
    const editable = async (who: keyof typeof tokens) => {
      const answer = await ask(
        who,
        `query Editable($scope: ScopeInput) {
          exchanges(scope: $scope, first: 1) { edges { node { viewerCanEdit } } }
          outcomes(scope: $scope, first: 1) { edges { node { viewerCanEdit } } }
        }`,
        { scope },
      );
      expect(answer.errors).toBeUndefined();
      return [answer.data.exchanges, answer.data.outcomes].map(
        (list: Json) => list.edges[0].node.viewerCanEdit,
      );
    };
    expect(await editable('hamburg')).toEqual([true, true]);
    expect(await editable('monitor')).toEqual([false, false]);
  });

  it("lists a city account its own city's records only, and nothing of another city", async () => {
    // without a scope, Bonn's account lists Bonn's records: Q1, never Hamburg's three
    const own = await records('bonn', 'S3', YEAR_2025);
    expect(own.totalCount).toBe(1);
    expect(own.nodes.map((node: Json) => node.outcome.title)).toEqual(['Q1']);
    const n5 = await records('bonn', 'N5', YEAR_2025);
    expect(n5.nodes.map((node: Json) => node.reportedValue.value)).toEqual([4]);

    // Hamburg's partnership answers exactly as a partnership that does not exist
    const refusal = async (partnership: number) => {
      const scope = { ...YEAR_2025, partnershipId: encodeGlobalID('Partnership', partnership) };
      const answer = await ask('bonn', RECORDS, { code: 'S3', scope });
      expect(answer.data?.indicator?.records ?? null).toBeNull();
      return answer.errors.map((error: Json) => [error.message, error.extensions]);
    };
    const other = await refusal(seeded.p1);
    expect(other[0][1].code).toBe('FORBIDDEN');
    expect(await refusal(999_999)).toEqual(other);
  });
});
