import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Db } from '@udx/db/database';
import type { DepartmentType, ExchangeKind, GovernanceLevel, Role } from '@udx/db/schema';
import { testEngines } from '@udx/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/auth/password.ts';
import {
  type AuthServer,
  bearer,
  type Json,
  post,
  signInToken,
  startAuthServer,
} from './auth-helpers.ts';
import { insertId } from './insert-rows.ts';

// A figure depends only on its scope and period, never on who looks (docs/methodology.md):
// the Foreign Office, the German city's editor and the partner city's viewer read the same
// numbers for the same partnership, over HTTP, each request under its own row-level security.

const PASSWORD = 'same-figures-password';
const YEAR_2025 = { from: '2025-01-01', to: '2025-12-31' };

const FIGURES = /* GraphQL */ `
  query Figures($scope: ScopeInput) {
    dashboard(scope: $scope) {
      scope { partnershipId cityId countryCode from to }
      totals { partnerships cities departments exchanges outcomes participants }
      goals { goal indicators { indicator { code } value yearValue target progress status referenceDate } }
      sdgs { goal { number } exchangeCount outcomeCount partnershipCount indicators { indicator { code } value status } }
      departmentLinks { germanDepartment { name } partnerDepartment { name } exchangeCount }
      breakdown {
        partnership { id }
        totals { partnerships cities departments exchanges outcomes participants }
        indicators { indicator { code } value target status }
      }
    }
    indicators { code series(scope: $scope, granularity: QUARTER) { period value } }
  }
`;

/**
 * Hamburg–Chicago (P1) and Hamburg–Leicester (P2). Leicester is the third city: Hamburg's
 * partner, not Chicago's, and outside P1.
 *
 * Departments: Hamburg hIO (international office), hWater; Chicago chWater, chPlan; Leicester lPlan.
 * Exchanges of P1 (start, kind, participants, levels, departments, topics, SDG targets):
 *   X1 2025-02-10 TECHNICAL 10 MUNICIPAL          hWater chWater        SPONGE_CITY             6.3
 *   X2 2025-05-05 POLITICAL  6 MUNICIPAL+NATIONAL hIO chPlan            –                       16.7
 *   X3 2025-09-01 TECHNICAL  8 MUNICIPAL          hWater chPlan chWater SPONGE_CITY, CLIMATE_N. 11.6 6.3
 *   X4 2024-11-01 TECHNICAL  5 MUNICIPAL          hWater chWater        (before the period)
 * Exchange of P2: Y1 2025-03-03 TECHNICAL 7 hWater lPlan ZERO_WASTE 12.5
 * Outcomes of P1: O1 2025-06-01 NEW_APPROACH IN_PROGRESS 11.b; O2 2025-10-01 JOINT_PROJECT
 *   ACHIEVED 13.2; O3 2025-07-01 AGREEMENT DROPPED 17.17; O4 2025-11-15 AGREEMENT ACHIEVED 17.16
 * Reported values of 2025 (yearly):
 *   U5 Hamburg 30/40 APPROVED, Chicago 10/20 APPROVED, Leicester 1/10 APPROVED
 *   S5 Hamburg 12/16 SUBMITTED, Chicago 5/10 APPROVED
 *   N5 Hamburg 4 APPROVED, Chicago 2 SUBMITTED, Leicester 7 APPROVED
 * Targets of P1 for 2025: U1 4, U5 80 %, S5 60 %.
 */
async function seedTwoPartnerships(db: Db) {
  const cityId = (name: string, country_code: string) =>
    insertId(db, 'city', { name, country_code });
  const hamburg = await cityId('Hamburg', 'DE');
  const chicago = await cityId('Chicago', 'US');
  const leicester = await cityId('Leicester', 'GB');
  const partnershipId = (german: number, partner: number) =>
    insertId(db, 'partnership', { german_city_id: german, partner_city_id: partner });
  const p1 = await partnershipId(hamburg, chicago);
  const p2 = await partnershipId(hamburg, leicester);

  const department = async (city: number, name: string, type: DepartmentType) => ({
    city,
    id: await insertId(db, 'department', { city_id: city, name, type }),
  });
  const hIO = await department(hamburg, 'Senatskanzlei International', 'INTERNATIONAL_OFFICE');
  const hWater = await department(hamburg, 'Hamburg Wasser', 'WATER');
  const chWater = await department(chicago, 'Water Management', 'WATER');
  const chPlan = await department(chicago, 'Planning and Development', 'URBAN_PLANNING');
  const lPlan = await department(leicester, 'Planning', 'URBAN_PLANNING');

  const exchange = async (
    partnership: number,
    startsOn: string,
    kind: ExchangeKind,
    participants: number,
    levels: GovernanceLevel[],
    departments: { id: number; city: number }[],
    topics: string[],
    targets: string[],
  ) => {
    const { id } = await db
      .insertInto('exchange')
      .values({
        partnership_id: partnership,
        kind,
        format: 'IN_PERSON',
        title: `${kind.toLowerCase()} exchange of ${startsOn}`,
        starts_on: startsOn,
        host_city_id: hamburg,
        participant_count: participants,
        governance_levels: levels,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('exchange_department')
      .values(
        departments.map((d) => ({
          exchange_id: id,
          partnership_id: partnership,
          department_id: d.id,
          city_id: d.city,
        })),
      )
      .execute();
    if (topics.length > 0) {
      await db
        .insertInto('exchange_topic')
        .values(topics.map((topic_code) => ({ exchange_id: id, topic_code })))
        .execute();
    }
    await db
      .insertInto('exchange_sdg_target')
      .values(targets.map((target_code) => ({ exchange_id: id, target_code })))
      .execute();
    return id;
  };
  await exchange(
    p1,
    '2025-02-10',
    'TECHNICAL',
    10,
    ['MUNICIPAL'],
    [hWater, chWater],
    ['SPONGE_CITY'],
    ['6.3'],
  );
  const x2 = await exchange(
    p1,
    '2025-05-05',
    'POLITICAL',
    6,
    ['MUNICIPAL', 'NATIONAL'],
    [hIO, chPlan],
    [],
    ['16.7'],
  );
  await exchange(
    p1,
    '2025-09-01',
    'TECHNICAL',
    8,
    ['MUNICIPAL'],
    [hWater, chPlan, chWater],
    ['SPONGE_CITY', 'CLIMATE_NEUTRAL_PLANNING'],
    ['11.6', '6.3'],
  );
  await exchange(p1, '2024-11-01', 'TECHNICAL', 5, ['MUNICIPAL'], [hWater, chWater], [], ['6.3']);
  await exchange(
    p2,
    '2025-03-03',
    'TECHNICAL',
    7,
    ['MUNICIPAL'],
    [hWater, lPlan],
    ['ZERO_WASTE'],
    ['12.5'],
  );

  const outcomes = [
    ['2025-06-01', 'NEW_APPROACH', 'IN_PROGRESS', '11.b'],
    ['2025-10-01', 'JOINT_PROJECT', 'ACHIEVED', '13.2'],
    ['2025-07-01', 'AGREEMENT', 'DROPPED', '17.17'],
    ['2025-11-15', 'AGREEMENT', 'ACHIEVED', '17.16'],
  ] as const;
  for (const [date, kind, status, target] of outcomes) {
    const { id } = await db
      .insertInto('outcome')
      .values({ partnership_id: p1, kind, status, title: `${kind} of ${date}`, date })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('outcome_sdg_target')
      .values({ outcome_id: id, target_code: target })
      .execute();
  }

  const indicators = new Map(
    (await db.selectFrom('indicator').select(['id', 'code']).execute()).map((row) => [
      row.code,
      row.id,
    ]),
  );
  const indicatorId = (code: string) => indicators.get(code) ?? 0;
  const reported = [
    ['U5', hamburg, 'APPROVED', null, 30, 40],
    ['U5', chicago, 'APPROVED', null, 10, 20],
    ['U5', leicester, 'APPROVED', null, 1, 10],
    ['S5', hamburg, 'SUBMITTED', null, 12, 16],
    ['S5', chicago, 'APPROVED', null, 5, 10],
    ['N5', hamburg, 'APPROVED', 4, null, null],
    ['N5', chicago, 'SUBMITTED', 2, null, null],
    ['N5', leicester, 'APPROVED', 7, null, null],
  ] as const;
  await db
    .insertInto('reported_value')
    .values(
      reported.map(([code, city, status, value, numerator, denominator]) => ({
        indicator_id: indicatorId(code),
        city_id: city,
        year: 2025,
        quarter: null,
        value,
        numerator,
        denominator,
        status,
      })),
    )
    .execute();
  await db
    .insertInto('target')
    .values([
      { indicator_id: indicatorId('U1'), year: 2025, partnership_id: p1, target: 4 },
      { indicator_id: indicatorId('U5'), year: 2025, partnership_id: p1, target: 80 },
      { indicator_id: indicatorId('S5'), year: 2025, partnership_id: p1, target: 60 },
    ])
    .execute();

  const passwordHash = await hashPassword(PASSWORD);
  const account = (email: string, role: Role, city: number | null) => ({
    email,
    display_name: email,
    role,
    city_id: city,
    password_hash: passwordHash,
  });
  await db
    .insertInto('app_user')
    .values([
      account('monitor@example.org', 'FOREIGN_OFFICE', null),
      account('evaluator@example.org', 'SKEW_EVALUATOR', null),
      account('editor.hamburg@example.org', 'CITY_EDITOR', hamburg),
      account('viewer.chicago@example.org', 'CITY_VIEWER', chicago),
    ])
    .execute();
  return { city: { hamburg, chicago, leicester }, partnership: { p1, p2 }, exchange: { x2 } };
}

type Seeded = Awaited<ReturnType<typeof seedTwoPartnerships>>;

/** The figures of an answer without the echoed scope, which names a city account's city. */
function figuresOf(answer: Json): Json {
  expect(answer.errors).toBeUndefined();
  const { scope: _scope, ...figures } = answer.data.dashboard;
  return { ...figures, series: answer.data.indicators };
}

function valuesOf(answer: Json): Record<string, number | null> {
  return Object.fromEntries(
    answer.data.dashboard.goals.flatMap((goal: Json) =>
      goal.indicators.map((item: Json) => [item.indicator.code, item.value]),
    ),
  );
}

describe.each(testEngines())('the same figure for everyone on %s', (engine) => {
  let s: AuthServer;
  let seeded: Seeded;
  const tokens: Record<'monitor' | 'evaluator' | 'hamburg' | 'chicago', string> = {
    monitor: '',
    evaluator: '',
    hamburg: '',
    chicago: '',
  };
  /** Every statement the server ran, in order. */
  const statements: string[] = [];

  const ask = async (who: keyof typeof tokens, scope: Record<string, unknown>) =>
    (await post(s.url, FIGURES, { scope }, bearer(tokens[who]))).json;
  const p1Scope = () => ({
    partnershipId: encodeGlobalID('Partnership', seeded.partnership.p1),
    ...YEAR_2025,
  });

  beforeAll(async () => {
    s = await startAuthServer(engine, {
      log: (event) => {
        statements.push(event.query.sql);
      },
    });
    seeded = await seedTwoPartnerships(s.db);
    tokens.monitor = await signInToken(s.url, 'monitor@example.org', PASSWORD);
    tokens.evaluator = await signInToken(s.url, 'evaluator@example.org', PASSWORD);
    tokens.hamburg = await signInToken(s.url, 'editor.hamburg@example.org', PASSWORD);
    tokens.chicago = await signInToken(s.url, 'viewer.chicago@example.org', PASSWORD);
  }, 180_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('gives the Foreign Office and both cities of a partnership the same figures', async () => {
    const monitor = await ask('monitor', p1Scope());
    const hamburg = await ask('hamburg', p1Scope());
    const chicago = await ask('chicago', p1Scope());
    expect(figuresOf(hamburg)).toEqual(figuresOf(monitor));
    expect(figuresOf(chicago)).toEqual(figuresOf(monitor));

    // computed by hand from the fixture above
    expect(valuesOf(monitor)).toEqual({
      // X1, X3
      U1: 2,
      // X2
      U2: 1,
      // 10 + 6 + 8
      U3: 24,
      // SPONGE_CITY, CLIMATE_NEUTRAL_PLANNING
      U4: 2,
      // approved of both cities: (30 + 10) / (40 + 20); Leicester's is outside P1
      U5: expect.closeTo((40 / 60) * 100, 6),
      // hWater, chWater, chPlan (hIO is an international office)
      S1: 3,
      S2: 1,
      S3: 1,
      // 6.3, 16.7, 11.6, 11.b, 13.2, 17.16 (17.17 was dropped)
      S4: 6,
      // Chicago's approved 5/10; Hamburg's 12/16 is only submitted
      S5: expect.closeTo(50, 6),
      N1: 1,
      // O4; O3 was dropped
      N2: 1,
      // X2
      N3: 1,
      // hWater–chWater, hIO–chPlan, hWater–chPlan
      N4: 3,
      // Hamburg's approved 4; Chicago's 2 is only submitted, Leicester's 7 outside P1
      N5: 4,
    });
    // the links N4 counts, with the exchanges that joined each pair
    expect(monitor.data.dashboard.departmentLinks).toEqual([
      {
        germanDepartment: { name: 'Hamburg Wasser' },
        partnerDepartment: { name: 'Water Management' },
        exchangeCount: 2,
      },
      expect.objectContaining({ exchangeCount: 1 }),
      expect.objectContaining({ exchangeCount: 1 }),
    ]);
    expect(monitor.data.dashboard.totals).toEqual({
      partnerships: 1,
      cities: 2,
      departments: 4,
      exchanges: 3,
      outcomes: 3,
      participants: 24,
    });
    const summary = (code: string) =>
      monitor.data.dashboard.goals
        .flatMap((goal: Json) => goal.indicators)
        .find((item: Json) => item.indicator.code === code);
    // judged at the end of 2025, which lies in the past: 2 of 4, 66.7 of 80, 50 of 60
    expect(summary('U1')).toMatchObject({
      target: 4,
      status: 'OFF_TRACK',
      referenceDate: '2025-12-31',
    });
    expect(summary('U5')).toMatchObject({ target: 80, status: 'AT_RISK' });
    expect(summary('S5')).toMatchObject({ target: 60, status: 'AT_RISK' });

    // each account's effective scope names what it was computed for
    expect(monitor.data.dashboard.scope).toMatchObject({ cityId: null, ...YEAR_2025 });
    expect(hamburg.data.dashboard.scope.cityId).toBe(encodeGlobalID('City', seeded.city.hamburg));
    expect(chicago.data.dashboard.scope.cityId).toBe(encodeGlobalID('City', seeded.city.chicago));
  });

  it("gives a city account's own city scope the figures the Foreign Office reads for that city", async () => {
    const hamburgCity = { cityId: encodeGlobalID('City', seeded.city.hamburg), ...YEAR_2025 };
    // without a city, a city account's scope is its own city
    const own = await ask('hamburg', YEAR_2025);
    expect(figuresOf(own)).toEqual(figuresOf(await ask('monitor', hamburgCity)));
    // Hamburg's scope holds Leicester's approved values (P2), Chicago's does not
    expect(valuesOf(own).N5).toBe(4 + 7);
    expect(valuesOf(await ask('chicago', YEAR_2025)).N5).toBe(4);
  });

  it('refuses a scope the account may not see, naming the field, and counts nothing', async () => {
    const refused = async (who: 'hamburg' | 'chicago', scope: Record<string, unknown>) => {
      const answer = await ask(who, scope);
      expect(answer.data).toBeNull();
      return answer.errors.map((error: Json) => [error.extensions.code, error.extensions.field]);
    };
    const p2 = encodeGlobalID('Partnership', seeded.partnership.p2);
    const leicester = encodeGlobalID('City', seeded.city.leicester);
    // Chicago is not part of P2, nor Leicester's partner, and has no partnership in GB
    expect(await refused('chicago', { partnershipId: p2 })).toContainEqual([
      'FORBIDDEN',
      'scope.partnershipId',
    ]);
    expect(await refused('chicago', { cityId: leicester })).toContainEqual([
      'FORBIDDEN',
      'scope.cityId',
    ]);
    expect(await refused('chicago', { countryCode: 'GB' })).toContainEqual([
      'FORBIDDEN',
      'scope.countryCode',
    ]);
    // Hamburg may not ask for its partner city as a scope of its own, nor for a country it
    // has no partnership in; its partnerships in GB it may
    expect(await refused('hamburg', { cityId: leicester })).toContainEqual([
      'FORBIDDEN',
      'scope.cityId',
    ]);
    expect(await refused('hamburg', { countryCode: 'FR' })).toContainEqual([
      'FORBIDDEN',
      'scope.countryCode',
    ]);
    const gb = await ask('hamburg', { countryCode: 'GB', ...YEAR_2025 });
    expect(gb.data.dashboard.totals).toMatchObject({ partnerships: 1, exchanges: 1 });
    // a partnership that does not exist is not found, also for the Foreign Office
    const missing = await ask('monitor', { partnershipId: encodeGlobalID('Partnership', 999_999) });
    expect(missing.errors[0].extensions).toMatchObject({
      code: 'NOT_FOUND',
      field: 'scope.partnershipId',
    });
  });

  it("computes a request's series of every indicator in one statement", async () => {
    // a scope no request asked for before (P1 is in the US), so no figure of it is kept yet
    const scope = { ...p1Scope(), countryCode: 'US' };
    const seriesStatements = () =>
      statements.filter((sql) => sql.startsWith('/* indicators:series */'));
    statements.length = 0;
    const answer = await ask('chicago', scope);
    expect(answer.data.indicators).toHaveLength(15);
    expect(seriesStatements()).toHaveLength(1);
    // asked again with nothing written since, by another account of the city: kept
    statements.length = 0;
    expect(await ask('chicago', scope)).toEqual(answer);
    expect(seriesStatements()).toHaveLength(0);
    // quarterly series hold quarterly values only: the yearly U5 values are in no quarter
    const u5 = answer.data.indicators.find((item: Json) => item.code === 'U5');
    expect(u5.series.map((point: Json) => point.value)).toEqual([null, null, null, null]);
  });

  it('gives every viewer the same figures after an exchange is deleted and a partnership ended', async () => {
    const deleted = await post(
      s.url,
      `mutation ($id: ID!) { deleteExchange(input: { id: $id }) { errors { code field } } }`,
      { id: encodeGlobalID('Exchange', seeded.exchange.x2) },
      bearer(tokens.hamburg),
    );
    expect(deleted.json.data.deleteExchange.errors).toEqual([]);
    const monitor = await ask('monitor', p1Scope());
    expect(figuresOf(await ask('chicago', p1Scope()))).toEqual(figuresOf(monitor));
    expect(figuresOf(await ask('hamburg', p1Scope()))).toEqual(figuresOf(monitor));
    // X2 gone: no political exchange, 6 participants and 16.7 fewer, hIO–chPlan no link
    expect(valuesOf(monitor)).toMatchObject({ U1: 2, U2: 0, U3: 18, S4: 5, N3: 0, N4: 2 });
    expect(monitor.data.dashboard.totals).toMatchObject({ exchanges: 2, participants: 18 });

    // an ended partnership keeps its history: the same figures, for everyone
    await s.db
      .updateTable('partnership')
      .set({ status: 'ENDED' })
      .where('id', '=', seeded.partnership.p1)
      .execute();
    const ended = await ask('monitor', p1Scope());
    expect(figuresOf(ended)).toEqual(figuresOf(monitor));
    expect(figuresOf(await ask('chicago', p1Scope()))).toEqual(figuresOf(ended));
    await s.db
      .updateTable('partnership')
      .set({ status: 'PAUSED' })
      .where('id', '=', seeded.partnership.p1)
      .execute();
    expect(figuresOf(await ask('hamburg', p1Scope()))).toEqual(figuresOf(monitor));
  });

  it('breaks a scope of 300 exchanges down by partnership: rows add up and match each alone', async () => {
    // 300 more exchanges of 2025 in P2, participants 1 to 7
    await s.db
      .insertInto('exchange')
      .values(
        Array.from({ length: 300 }, (_, index) => ({
          partnership_id: seeded.partnership.p2,
          kind: (index % 3 === 0 ? 'POLITICAL' : 'TECHNICAL') as ExchangeKind,
          format: 'VIRTUAL' as const,
          title: `Working group session ${index + 1}`,
          starts_on: `2025-${String((index % 12) + 1).padStart(2, '0')}-15`,
          host_city_id: seeded.city.hamburg,
          participant_count: (index % 7) + 1,
          governance_levels: ['MUNICIPAL' as GovernanceLevel],
        })),
      )
      .execute();
    const scope = { cityId: encodeGlobalID('City', seeded.city.hamburg), ...YEAR_2025 };
    const all = (await ask('evaluator', scope)).data.dashboard;
    expect(all.totals.exchanges).toBe(2 + 1 + 300);
    const rows = all.breakdown;
    expect(rows.map((row: Json) => row.partnership.id)).toEqual([
      encodeGlobalID('Partnership', seeded.partnership.p1),
      encodeGlobalID('Partnership', seeded.partnership.p2),
    ]);
    const sum = (pick: (row: Json) => number) =>
      rows.reduce((total: number, row: Json) => total + pick(row), 0);
    expect(sum((row) => row.totals.exchanges)).toBe(all.totals.exchanges);
    expect(sum((row) => row.totals.participants)).toBe(all.totals.participants);
    expect(sum((row) => row.totals.outcomes)).toBe(all.totals.outcomes);
    for (const row of rows) {
      const alone = (await ask('evaluator', { partnershipId: row.partnership.id, ...YEAR_2025 }))
        .data.dashboard;
      expect(row.totals).toEqual(alone.totals);
      expect(row.indicators).toEqual(
        alone.goals.flatMap((goal: Json) =>
          goal.indicators.map((item: Json) => ({
            indicator: item.indicator,
            value: item.value,
            target: item.target,
            status: item.status,
          })),
        ),
      );
    }
    // the Hamburg editor reads the same breakdown of its own city
    expect((await ask('hamburg', scope)).data.dashboard.breakdown).toEqual(rows);
  });
});
