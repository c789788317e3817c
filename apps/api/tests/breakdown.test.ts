import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Db } from '@udx/db/database';
import { testEngines } from '@udx/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthServer, Json } from './auth-helpers.ts';
import { bearer, insertAccount, post, signInToken, startAuthServer } from './auth-helpers.ts';

// Who lags behind (docs/methodology.md, "Breakdown by partnership"): every partnership of the
// scope has its row, those without activity in the period too, each indicator judged as the
// partnership's own dashboard judges it, against the partnership's own targets only.

const PASSWORD = 'breakdown-password';
const YEAR_2025 = { from: '2025-01-01', to: '2025-12-31' };

const BREAKDOWN = /* GraphQL */ `
  query Breakdown($scope: ScopeInput) {
    dashboard(scope: $scope) {
      totals { partnerships }
      breakdown {
        partnership { id }
        hasOwnTargets
        totals { partnerships cities departments exchanges outcomes participants }
        indicators { ...Cell }
        all: statusCounts { onTrack atRisk offTrack noTarget noData behind }
        understand: statusCounts(goal: UNDERSTAND) { onTrack atRisk offTrack noTarget noData behind }
        sdg16: statusCounts(sdg: 16) { offTrack noTarget behind }
      }
    }
  }
  fragment Cell on IndicatorSummary {
    indicator { code }
    unit value year referenceDate yearValue baseline target progress status
  }
`;

const ALONE = /* GraphQL */ `
  query Alone($scope: ScopeInput) {
    dashboard(scope: $scope) {
      totals { partnerships cities departments exchanges outcomes participants }
      goals { indicators { ...Cell } }
    }
  }
  fragment Cell on IndicatorSummary {
    indicator { code }
    unit value year referenceDate yearValue baseline target progress status
  }
`;

/**
 * Three partnerships, by German city: P3 Bonn–Boston, P1 Hamburg–Chicago, P2 Hamburg–Leicester.
 *
 * P1 in 2025: X1 2025-03-01 TECHNICAL 10 participants, X2 2025-06-01 POLITICAL 4 participants.
 *   Own targets 2025: U1 1, U2 2, U3 20.
 * P2: one exchange, of 2024, nothing in 2025. Own targets 2025: U1 1, N1 1, U5 50 %.
 * P3: nothing at all, no target.
 * Programme-wide target 2025: U1 5, which no partnership is held against.
 */
async function seedThreePartnerships(db: Db) {
  const named = [
    ['Hamburg', 'DE'],
    ['Bonn', 'DE'],
    ['Chicago', 'US'],
    ['Leicester', 'GB'],
    ['Boston', 'US'],
  ] as const;
  const cities = await db
    .insertInto('city')
    .values(named.map(([name, country_code]) => ({ name, country_code })))
    .returning('id')
    .execute();
  const [hamburg, bonn, chicago, leicester, boston] = cities.map((row) => row.id);
  if (!hamburg || !bonn || !chicago || !leicester || !boston) throw new Error('no cities');
  const partnerships = await db
    .insertInto('partnership')
    .values([
      { german_city_id: hamburg, partner_city_id: chicago },
      { german_city_id: hamburg, partner_city_id: leicester },
      { german_city_id: bonn, partner_city_id: boston },
    ])
    .returning('id')
    .execute();
  const [p1, p2, p3] = partnerships.map((row) => row.id);
  if (!p1 || !p2 || !p3) throw new Error('no partnerships');
  await db
    .insertInto('exchange')
    .values(
      (
        [
          [p1, '2025-03-01', 'TECHNICAL', 10],
          [p1, '2025-06-01', 'POLITICAL', 4],
          [p2, '2024-05-01', 'TECHNICAL', 7],
        ] as const
      ).map(([partnership, startsOn, kind, participants]) => ({
        partnership_id: partnership,
        kind,
        format: 'IN_PERSON' as const,
        title: `${kind} of ${startsOn}`,
        starts_on: startsOn,
        host_city_id: hamburg,
        participant_count: participants,
        governance_levels: ['MUNICIPAL' as const],
      })),
    )
    .execute();
  const indicatorIds = new Map(
    (await db.selectFrom('indicator').select(['id', 'code']).execute()).map((row) => [
      row.code,
      row.id,
    ]),
  );
  await db
    .insertInto('target')
    .values(
      (
        [
          ['U1', p1, 1],
          ['U2', p1, 2],
          ['U3', p1, 20],
          ['U1', p2, 1],
          ['N1', p2, 1],
          ['U5', p2, 50],
          ['U1', null, 5],
        ] as const
      ).map(([code, partnership, target]) => ({
        indicator_id: indicatorIds.get(code) ?? 0,
        year: 2025,
        partnership_id: partnership,
        target,
      })),
    )
    .execute();
  return { partnership: { p1, p2, p3 }, city: { hamburg, boston } };
}

const id = (partnership: number) => encodeGlobalID('Partnership', partnership);

describe.each(testEngines())('the breakdown by partnership on %s', (engine) => {
  let s: AuthServer;
  let seeded: Awaited<ReturnType<typeof seedThreePartnerships>>['partnership'];
  const tokens = { monitor: '', hamburg: '', boston: '' };
  const statements: string[] = [];
  const ask = async (who: keyof typeof tokens, query: string, scope: Record<string, unknown>) => {
    const answer = (await post(s.url, query, { scope }, bearer(tokens[who]))).json;
    expect(answer.errors).toBeUndefined();
    return answer.data.dashboard;
  };

  beforeAll(async () => {
    s = await startAuthServer(engine, { log: (event) => statements.push(event.query.sql) });
    const { partnership, city } = await seedThreePartnerships(s.db);
    seeded = partnership;
    // the Foreign Office, the editor of Hamburg (P1, P2) and the reader of Boston (P3)
    const accounts = [
      ['monitor', 'FOREIGN_OFFICE', null],
      ['hamburg', 'CITY_EDITOR', city.hamburg],
      ['boston', 'CITY_VIEWER', city.boston],
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

  it('lists every partnership, those without activity with zeros, against their own targets', async () => {
    statements.length = 0;
    const dashboard = await ask('monitor', BREAKDOWN, YEAR_2025);
    const rows = dashboard.breakdown;
    // Bonn, Hamburg–Chicago, Hamburg–Leicester: as many rows as partnerships in the scope
    expect(rows.map((row: Json) => row.partnership.id)).toEqual(
      [seeded.p3, seeded.p1, seeded.p2].map(id),
    );
    expect(rows).toHaveLength(dashboard.totals.partnerships);
    // four statements for the whole breakdown, whatever the number of partnerships
    const named = statements.map((sql) => /^\/\* ([a-z:-]+) \*\//.exec(sql)?.[1]);
    expect(named.filter((name) => name?.startsWith('indicators:breakdown')).sort()).toEqual([
      'indicators:breakdown-partnerships',
      'indicators:breakdown-targets',
      'indicators:breakdown-totals',
      'indicators:breakdown-values',
    ]);
    const [bonn, chicago, leicester] = rows;
    const cell = (row: Json, code: string) =>
      row.indicators.find((item: Json) => item.indicator.code === code);

    // P2: nothing in 2025, judged on 2025-12-31 against the whole of its own targets
    expect(leicester.totals).toMatchObject({ exchanges: 0, outcomes: 0, participants: 0 });
    expect(leicester.hasOwnTargets).toBe(true);
    expect(cell(leicester, 'U1')).toMatchObject({
      value: 0,
      yearValue: 0,
      target: 1,
      progress: 0,
      status: 'OFF_TRACK',
      referenceDate: '2025-12-31',
    });
    expect(cell(leicester, 'N1')).toMatchObject({ value: 0, target: 1, status: 'OFF_TRACK' });
    // a percentage with a target and no value has no data yet, which is not failure
    expect(cell(leicester, 'U5')).toMatchObject({ value: null, target: 50, status: 'NO_DATA' });
    expect(leicester.all).toEqual({
      onTrack: 0,
      atRisk: 0,
      offTrack: 2,
      noTarget: 12,
      noData: 1,
      behind: 2,
    });
    // of Understand (U1–U5): U1 off track, U5 no data, U2 U3 U4 no target
    expect(leicester.understand).toEqual({
      onTrack: 0,
      atRisk: 0,
      offTrack: 1,
      noTarget: 3,
      noData: 1,
      behind: 1,
    });

    // P1: U1 1 of 1, U2 1 of 2 (50 %), U3 14 of 20 (70 %)
    expect(chicago.hasOwnTargets).toBe(true);
    const judged = (row: Json, codes: string[]) =>
      codes.map((code) => {
        const { value, target, progress, status } = cell(row, code);
        return [code, value, target, progress, status];
      });
    expect(judged(chicago, ['U1', 'U2', 'U3'])).toEqual([
      ['U1', 1, 1, 1, 'ON_TRACK'],
      ['U2', 1, 2, 0.5, 'OFF_TRACK'],
      ['U3', 14, 20, expect.closeTo(0.7, 10), 'AT_RISK'],
    ]);
    expect(chicago.all).toEqual({
      onTrack: 1,
      atRisk: 1,
      offTrack: 1,
      noTarget: 12,
      noData: 0,
      behind: 2,
    });
    expect(chicago.understand).toMatchObject({ onTrack: 1, atRisk: 1, offTrack: 1, noTarget: 2 });
    // SDG 16: U2 (off track), S1, S5, N3 (no target)
    expect(chicago.sdg16).toEqual({ offTrack: 1, noTarget: 3, behind: 1 });

    // P3: no target of its own, so none at all (never the programme-wide U1 of 5)
    expect(bonn.hasOwnTargets).toBe(false);
    expect(bonn.totals).toMatchObject({ partnerships: 1, cities: 2, exchanges: 0 });
    expect(bonn.indicators.every((item: Json) => item.status === 'NO_TARGET')).toBe(true);
    expect(cell(bonn, 'U1')).toMatchObject({ value: 0, target: null, progress: null });
    expect(bonn.all).toMatchObject({ noTarget: 15, behind: 0 });
  });

  it("gives each row the figures of that partnership's own dashboard", async () => {
    for (const scope of [YEAR_2025, { from: '2025-04-01', to: '2025-06-30' }, {}]) {
      const rows = (await ask('monitor', BREAKDOWN, scope)).breakdown;
      expect(rows).toHaveLength(3);
      for (const row of rows) {
        const alone = await ask('monitor', ALONE, { ...scope, partnershipId: row.partnership.id });
        expect(row.totals).toEqual(alone.totals);
        expect(row.indicators).toEqual(alone.goals.flatMap((goal: Json) => goal.indicators));
      }
    }
  });

  it('serves the rows a page at a time, ordered on the server by any column, with the total', async () => {
    const PAGE = /* GraphQL */ `
      query Page($scope: ScopeInput, $orderBy: BreakdownOrder, $indicator: String,
          $descending: Boolean, $goal: ProgrammeGoal, $first: Int, $after: String,
          $last: Int, $before: String) {
        dashboard(scope: $scope) {
          breakdownPage(orderBy: $orderBy, indicator: $indicator, descending: $descending,
              goal: $goal, first: $first, after: $after, last: $last, before: $before) {
            totalCount
            pageInfo { hasNextPage endCursor }
            edges { cursor node { partnership { id } } }
          }
        }
      }
    `;
    const page = async (variables: Record<string, unknown>) => {
      const answer = (
        await post(s.url, PAGE, { scope: YEAR_2025, ...variables }, bearer(tokens.monitor))
      ).json;
      return answer;
    };
    const order = async (variables: Record<string, unknown>) => {
      const answer = await page(variables);
      expect(answer.errors).toBeUndefined();
      const connection = answer.data.dashboard.breakdownPage;
      expect(connection.totalCount).toBe(3);
      return connection.edges.map((edge: Json) => edge.node.partnership.id);
    };
    const { p1, p2, p3 } = seeded;
    // by German city as `breakdown`, and the other way round
    expect(await order({})).toEqual([p3, p1, p2].map(id));
    expect(await order({ descending: true })).toEqual([p2, p1, p3].map(id));
    // P1 has 2 exchanges and 14 participants in 2025, P2 and P3 none (ties by German city)
    expect(await order({ orderBy: 'EXCHANGES', descending: true })).toEqual([p1, p3, p2].map(id));
    expect(await order({ orderBy: 'PARTICIPANTS' })).toEqual([p3, p2, p1].map(id));
    expect(await order({ orderBy: 'INDICATOR', indicator: 'U1', descending: true })).toEqual(
      [p1, p3, p2].map(id),
    );
    // behind: P1 2 (1 off track), P2 2 (2 off track), P3 0; of Understand P1 2, P2 1
    expect(await order({ orderBy: 'BEHIND', descending: true })).toEqual([p2, p1, p3].map(id));
    expect(await order({ orderBy: 'BEHIND', goal: 'UNDERSTAND', descending: true })).toEqual(
      [p1, p2, p3].map(id),
    );
    // two a page: the pages together are the whole ordered list
    const first = (await page({ orderBy: 'EXCHANGES', descending: true, first: 2 })).data.dashboard
      .breakdownPage;
    expect(first.edges.map((edge: Json) => edge.node.partnership.id)).toEqual([p1, p3].map(id));
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = (
      await page({
        orderBy: 'EXCHANGES',
        descending: true,
        first: 2,
        after: first.pageInfo.endCursor,
      })
    ).data.dashboard.breakdownPage;
    expect(next.edges.map((edge: Json) => edge.node.partnership.id)).toEqual([id(p2)]);
    expect(next.pageInfo.hasNextPage).toBe(false);
    // and back: the page before a row's cursor, in the same order (the dashboard's "previous")
    const before = (
      await page({
        orderBy: 'EXCHANGES',
        descending: true,
        last: 2,
        before: next.edges[0].cursor,
      })
    ).data.dashboard.breakdownPage;
    expect(before.totalCount).toBe(3);
    expect(before.edges.map((edge: Json) => edge.node.partnership.id)).toEqual([p1, p3].map(id));
    expect(before.edges.map((edge: Json) => edge.cursor)).toEqual(
      first.edges.map((edge: Json) => edge.cursor),
    );
    // an indicator that does not exist is refused by name
    const refused = await page({ orderBy: 'INDICATOR', indicator: 'X9' });
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'indicator',
    });
  });

  it("computes a page in the breakdown's order from its own partnerships, with the figures of `breakdown`", async () => {
    const ROW = /* GraphQL */ `
      partnership { id }
      totals { partnerships cities departments exchanges outcomes participants }
      hasOwnTargets
      statusCounts { behind offTrack }
      indicators {
        indicator { code } unit value year yearValue baseline target progress status
        referenceDate previousValue change
      }
    `;
    const WHOLE = `query Whole($scope: ScopeInput) { dashboard(scope: $scope) { breakdown { ${ROW} } } }`;
    const PAGE = `query Page($scope: ScopeInput, $first: Int, $after: String, $last: Int,
        $before: String, $descending: Boolean) {
      dashboard(scope: $scope) {
        breakdownPage(first: $first, after: $after, last: $last, before: $before,
            descending: $descending) {
          totalCount
          pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
          edges { node { ${ROW} } }
        }
      }
    }`;
    // a period with a period before it, so that every row also carries its change
    for (const scope of [YEAR_2025, {}]) {
      const whole = (await post(s.url, WHOLE, { scope }, bearer(tokens.monitor))).json;
      expect(whole.errors).toBeUndefined();
      const rows = whole.data.dashboard.breakdown;
      expect(rows).toHaveLength(3);
      const page = async (variables: Record<string, unknown>) => {
        const answer = (await post(s.url, PAGE, { scope, ...variables }, bearer(tokens.monitor)))
          .json;
        expect(answer.errors).toBeUndefined();
        return answer.data.dashboard.breakdownPage;
      };
      const first = await page({ first: 2 });
      expect(first.totalCount).toBe(3);
      const second = await page({ first: 2, after: first.pageInfo.endCursor });
      expect([...first.edges, ...second.edges].map((edge: Json) => edge.node)).toEqual(rows);
      const back = await page({ last: 2, before: second.pageInfo.startCursor });
      expect(back.edges.map((edge: Json) => edge.node)).toEqual(rows.slice(0, 2));
      const reversed = await page({ first: 3, descending: true });
      expect(reversed.edges.map((edge: Json) => edge.node)).toEqual([...rows].reverse());
    }
  });

  it("shows a city account its own partnerships' rows only", async () => {
    const hamburg = await ask('hamburg', BREAKDOWN, YEAR_2025);
    expect(hamburg.breakdown.map((row: Json) => row.partnership.id)).toEqual(
      [seeded.p1, seeded.p2].map(id),
    );
    // the same rows as the Foreign Office reads for Hamburg's partnerships
    const monitor = await ask('monitor', BREAKDOWN, YEAR_2025);
    expect(hamburg.breakdown).toEqual(monitor.breakdown.slice(1));
    const boston = await ask('boston', BREAKDOWN, YEAR_2025);
    expect(boston.breakdown.map((row: Json) => row.partnership.id)).toEqual([id(seeded.p3)]);
  });
});
