import { encodeGlobalID } from '@pothos/plugin-relay';
import { testEngines } from '@udx/db/testing';
import { computeSeriesOf } from '@udx/indicators/engine';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/auth/password.ts';
import { withoutCredentials } from '../src/http/routes.ts';
import { createServer, type UdxServer } from '../src/server.ts';
import {
  type AuthServer,
  bearer,
  type Json,
  post,
  signInToken,
  startAuthServer,
} from './auth-helpers.ts';
import { insertRlsFixture, type RlsFixture } from './rls-fixture.ts';

// The public figures (README, "Open data and public figures"): anonymous readers get the
// approved figures of the programme and of each partnership, equal to the Foreign Office's,
// and nothing else; a production server without UDX_PUBLIC=on publishes nothing.

const PASSWORD = 'public-figures-password';
const TOTALS = 'partnerships cities departments exchanges outcomes participants';
const INDICATOR = 'code value year yearValue baseline target progress status';

const PUBLIC_FIGURES = /* GraphQL */ `
  fragment Figures on PublicFigures {
    totals { ${TOTALS} }
    indicators { ${INDICATOR} series { year value } }
    sdgs { goal exchangeCount outcomeCount partnershipCount }
    partnerships { id name }
    exchanges { title kind startsOn hostCity }
    outcomes { title kind date }
  }
  query Public($id: ID!) {
    publicProgramme { ...Figures }
    publicPartnership(id: $id) { ...Figures }
  }
`;

const DASHBOARD = /* GraphQL */ `
  query Dashboard($scope: ScopeInput) {
    dashboard(scope: $scope) {
      totals { ${TOTALS} }
      goals { indicators { indicator { code series(scope: $scope) { period value } } ${INDICATOR.replace('code ', '')} } }
      sdgs { goal { number } exchangeCount outcomeCount partnershipCount }
    }
  }
`;

/** The dashboard's figures in the shape of the public ones. */
function asPublic(dashboard: Json): Json {
  return {
    totals: dashboard.totals,
    indicators: dashboard.goals.flatMap((goal: Json) =>
      goal.indicators.map(({ indicator, ...summary }: Json) => ({
        code: indicator.code,
        ...summary,
        series: indicator.series.map((point: Json) => ({
          year: Number(point.period),
          value: point.value,
        })),
      })),
    ),
    sdgs: dashboard.sdgs.map(({ goal, ...counts }: Json) => ({ goal: goal.number, ...counts })),
  };
}

/** The public figures without what the dashboard does not have. */
function figuresOf(answer: Json): Json {
  const { totals, indicators, sdgs } = answer;
  return { totals, indicators, sdgs };
}

async function download(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const PUBLIC_PATHS = [
  '/open-data/',
  '/open-data',
  '/open-data/indicators.csv',
  '/open-data/indicators.json',
  '/open-data/indicator_U5.csv',
];

describe.each(testEngines())('public figures on %s', (engine) => {
  let s: AuthServer;
  let f: RlsFixture;
  let monitorToken: string;
  let production: UdxServer;
  let productionUrl: string;

  beforeAll(async () => {
    s = await startAuthServer(engine);
    f = await insertRlsFixture(s.db);
    // values that are not approved say something else: counting one would change a figure
    await s.db
      .updateTable('reported_value')
      .set({ numerator: 20 })
      .where('status', '<>', 'APPROVED')
      .execute();
    await s.db
      .updateTable('app_user')
      .set({ password_hash: await hashPassword(PASSWORD) })
      .where('id', 'in', [f.user.monitor, f.user.evaluator])
      .execute();
    monitorToken = await signInToken(s.url, 'monitor@example.org', PASSWORD);
    production = await createServer({ db: s.db, production: true });
    productionUrl = await production.listen(0, '127.0.0.1');
  }, 180_000);
  afterAll(async () => {
    await production?.close();
    await s?.stop();
  });

  const partnershipId = () => encodeGlobalID('Partnership', f.partnership.ab);

  it('answers anonymous readers with the Foreign Office’s figures of the same scope', async () => {
    const answer = await post(s.url, PUBLIC_FIGURES, { id: partnershipId() });
    expect(answer.json.errors).toBeUndefined();
    const programme = await post(s.url, DASHBOARD, {}, bearer(monitorToken));
    const partnership = await post(
      s.url,
      DASHBOARD,
      { scope: { partnershipId: partnershipId() } },
      bearer(monitorToken),
    );
    expect(programme.json.errors).toBeUndefined();
    expect(figuresOf(answer.json.data.publicProgramme)).toEqual(
      asPublic(programme.json.data.dashboard),
    );
    expect(figuresOf(answer.json.data.publicPartnership)).toEqual(
      asPublic(partnership.json.data.dashboard),
    );
    expect(answer.json.data.publicProgramme.partnerships).toEqual([
      { id: partnershipId(), name: 'Bonn – Minneapolis' },
      { id: encodeGlobalID('Partnership', f.partnership.cd), name: 'Köln – Liverpool' },
    ]);
    expect(answer.json.data.publicPartnership.exchanges).toEqual([
      { title: 'Zero waste workshop', kind: 'TECHNICAL', startsOn: '2025-03-01', hostCity: 'Bonn' },
    ]);
  });

  it('counts approved values only, though the fixture has every review state', async () => {
    const answer = await post(s.url, PUBLIC_FIGURES, { id: partnershipId() });
    const u5 = answer.json.data.publicProgramme.indicators.find((i: Json) => i.code === 'U5');
    const approved = await computeSeriesOf(s.db, ['U5'], {}, 'YEAR', {
      reportedStatuses: ['APPROVED'],
    });
    const withSubmitted = await computeSeriesOf(s.db, ['U5'], {}, 'YEAR', {
      reportedStatuses: ['APPROVED', 'SUBMITTED'],
    });
    const values = (series: typeof approved) =>
      (series.get('U5') ?? []).map((point) => ({ year: Number(point.period), value: point.value }));
    expect(values(withSubmitted)).not.toEqual(values(approved));
    expect(u5.series).toEqual(values(approved));
  });

  it('narrows the public lists to an SDG as the dashboard’s lists, titles and dates alone', async () => {
    const sdgLists = /* GraphQL */ `
      query Sdg($sdg: Int) {
        publicProgramme {
          exchanges(sdg: $sdg) { title startsOn }
          outcomes(sdg: $sdg) { title date }
        }
      }
    `;
    const signedIn = /* GraphQL */ `
      query Sdg($sdg: Int) {
        exchanges(sdg: $sdg, first: 20) { edges { node { title startsOn } } }
        outcomes(sdg: $sdg, first: 20) { edges { node { title date } } }
      }
    `;
    const nodes = (connection: Json) => connection.edges.map((edge: Json) => edge.node);
    // 12: the zero waste workshop (topic and target 12.5) and its repair cafés; 6: the sponge
    // city exchange by its topic alone, and no outcome; 11: both exchanges, the charter
    const seen: Record<number, string[]> = {};
    for (const sdg of [6, 11, 12]) {
      const open = await post(s.url, sdgLists, { sdg });
      const monitor = await post(s.url, signedIn, { sdg }, bearer(monitorToken));
      expect(open.json.errors).toBeUndefined();
      expect(open.json.data.publicProgramme.exchanges).toEqual(nodes(monitor.json.data.exchanges));
      expect(open.json.data.publicProgramme.outcomes).toEqual(nodes(monitor.json.data.outcomes));
      seen[sdg] = [
        ...open.json.data.publicProgramme.exchanges,
        ...open.json.data.publicProgramme.outcomes,
      ].map((record: Json) => record.title);
    }
    expect(seen).toEqual({
      6: ['Mayors on sponge cities'],
      11: ['Mayors on sponge cities', 'Zero waste workshop', 'Sponge city charter'],
      12: ['Zero waste workshop', 'Repair cafés'],
    });
    const refused = await post(s.url, sdgLists, { sdg: 18 });
    expect(refused.json.errors?.[0]?.message).toMatch(/sdg must be 1 to 17/);
    expect(refused.json.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('places each partnership’s cities on the map where their location is known', async () => {
    await s.db
      .updateTable('city')
      .set({ latitude: 50.7374, longitude: 7.0982 })
      .where('id', '=', f.city.a)
      .execute();
    const answer = await post(
      s.url,
      `{ publicProgramme { partnerships { name germanCityLocation { latitude longitude }
           partnerCityLocation { latitude } } } }`,
    );
    expect(answer.json.errors).toBeUndefined();
    expect(answer.json.data.publicProgramme.partnerships[0]).toEqual({
      name: 'Bonn – Minneapolis',
      germanCityLocation: { latitude: 50.7374, longitude: 7.0982 },
      partnerCityLocation: null,
    });
  });

  it('runs an operation of public fields alone as the public role, whoever sends it', async () => {
    const anonymous = await post(s.url, PUBLIC_FIGURES, { id: partnershipId() });
    const signedIn = await post(
      s.url,
      PUBLIC_FIGURES,
      { id: partnershipId() },
      bearer(monitorToken),
    );
    expect(signedIn.json).toEqual(anonymous.json);
    const byCookie = await post(
      s.url,
      PUBLIC_FIGURES,
      { id: partnershipId() },
      { Cookie: `udx_wal=0/0; udx_session=${monitorToken}` },
    );
    expect(byCookie.json).toEqual(anonymous.json);
    const withCatalogue = await post(
      s.url,
      '{ sdgGoals { number } publicProgramme { totals { exchanges } } }',
      {},
      bearer(monitorToken),
    );
    expect(withCatalogue.json.errors).toBeUndefined();
    expect(withCatalogue.json.data.sdgGoals).toHaveLength(17);
    const mixed = await post(
      s.url,
      '{ me { email } publicProgramme { totals { exchanges } } }',
      {},
      bearer(monitorToken),
    );
    expect(mixed.json.data?.me?.email).toBe('monitor@example.org');
    expect(mixed.json.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('reads a public request without its session, keeping its other cookies', () => {
    expect(
      withoutCredentials({
        host: 'udx.example.org',
        authorization: 'Bearer token',
        cookie: 'udx_session=token; udx_wal=0/16B3D48',
      }),
    ).toEqual({ host: 'udx.example.org', cookie: 'udx_wal=0/16B3D48' });
    expect(withoutCredentials({ cookie: 'udx_session=token' })).toEqual({});
  });

  it('shows anonymous readers no account, audit entry, value or record beyond the public fields', async () => {
    const refused = await post(
      s.url,
      `{ me { email } users(first: 5) { edges { node { email } } }
         auditLog(first: 5) { edges { node { action } } }
         reportedValues(first: 5) { edges { node { status } } }
         partnerships(first: 5) { edges { node { id } } }
         exchanges(first: 5) { edges { node { title } } }
         dashboard { totals { exchanges } } }`,
    );
    expect(refused.json.data?.me ?? null).toBeNull();
    for (const field of [
      'users',
      'auditLog',
      'reportedValues',
      'partnerships',
      'exchanges',
      'dashboard',
    ]) {
      expect(refused.json.data?.[field] ?? null).toBeNull();
    }
    const text = JSON.stringify(refused.json);
    expect(text).not.toContain('@example.org');
    expect(text).not.toContain('Zero waste');
  });

  it('holds the public role in the database to approved values and public columns', async () => {
    await s.db.transaction().execute(async (trx) => {
      await sql`select set_config('role', 'udx_public', true)`.execute(trx);
      const { rows } = await sql<{ status: string }>`
        select distinct status from reported_value`.execute(trx);
      expect(rows.map((row) => row.status)).toEqual(['APPROVED']);
    });
    const refusals = [
      'select email from app_user',
      'select token_hash from user_session',
      'select action from audit_entry',
      'select key from sign_in_throttle',
      'select note from reported_value',
      'select entered_by from reported_value',
      'select rejection_reason from reported_value',
      'select description from outcome',
      'select name from department',
      "insert into city (name, country_code) values ('X', 'DE')",
    ];
    for (const statement of refusals) {
      await expect(
        s.db.transaction().execute(async (trx) => {
          await sql`select set_config('role', 'udx_public', true)`.execute(trx);
          await sql.raw(statement).execute(trx);
        }),
        statement,
      ).rejects.toThrow(/permission denied/);
    }
  });

  it('publishes the dashboard’s yearly figures as open data, CSV and JSON alike', async () => {
    const json = JSON.parse((await download(`${s.url}/open-data/indicators.json`)).text);
    expect(json.licence.id).toBe('dl-de/by-2-0');
    const csv = parse((await download(`${s.url}/open-data/indicators.csv`)).text, {
      columns: true,
    }) as Record<string, string>[];
    expect(csv).toHaveLength(json.rows.length);
    expect(csv[0]).toEqual(
      Object.fromEntries(
        Object.entries(json.rows[0]).map(([key, value]) => [
          key,
          Array.isArray(value) ? value.join('; ') : value === null ? '' : String(value),
        ]),
      ),
    );
    for (const scope of [{}, { partnershipId: partnershipId() }]) {
      const dashboard = await post(s.url, DASHBOARD, { scope }, bearer(monitorToken));
      const expected = new Map<string, unknown>(
        asPublic(dashboard.json.data.dashboard).indicators.flatMap((indicator: Json) =>
          indicator.series.map((point: Json) => [`${indicator.code} ${point.year}`, point.value]),
        ),
      );
      const id = 'partnershipId' in scope ? scope.partnershipId : '';
      const published = new Map<string, unknown>(
        json.rows
          .filter((row: Json) => row.partnership_id === id)
          .map((row: Json) => [`${row.indicator} ${row.year}`, row.value]),
      );
      // a partnership has the programme's years: before it began, a count of 0 or no value
      for (const [key, value] of published) {
        if (expected.has(key)) expect(value, key).toEqual(expected.get(key));
        else expect([0, null], key).toContain(value);
      }
      expect([...expected.keys()].filter((key) => !published.has(key))).toEqual([]);
    }
    const u5 = json.rows.find((row: Json) => row.indicator === 'U5');
    expect(u5).toMatchObject({ goal: expect.any(String), unit: 'PERCENT' });
    expect(u5.sdgs.length).toBeGreaterThan(0);
  });

  it('writes each indicator in the Open SDG data format, the programme on the headline rows', async () => {
    const json = JSON.parse((await download(`${s.url}/open-data/indicators.json`)).text);
    const text = (await download(`${s.url}/open-data/indicator_U5.csv`)).text;
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual(['Year', 'Units', 'Partnership', 'Value']);
    const expected = json.rows
      .filter((row: Json) => row.indicator === 'U5' && row.value !== null)
      .map((row: Json) => ({
        Year: String(row.year),
        Units: 'percent',
        Partnership: row.partnership,
        Value: String(row.value),
      }));
    expect(rows).toEqual(expected);
    expect(rows.some((row) => row.Partnership === '')).toBe(true);
  });

  it('lists the files with their licence, and answers 304 while the data is unchanged', async () => {
    const listing = await download(`${s.url}/open-data/`);
    const body = JSON.parse(listing.text);
    expect(body.licence.id).toBe('dl-de/by-2-0');
    expect(body.files.map((file: Json) => file.path)).toContain('/open-data/indicator_U5.csv');
    expect(body.files.every((file: Json) => file.licence === 'dl-de/by-2-0')).toBe(true);

    const first = await download(`${s.url}/open-data/indicators.csv`);
    const entityTag = first.headers.get('etag') ?? '';
    const lastModified = first.headers.get('last-modified') ?? '';
    expect(entityTag).toMatch(/^"v\d+"$/);
    expect(new Date(lastModified).getTime()).toBeGreaterThan(0);
    const again = await download(`${s.url}/open-data/indicators.csv`, {
      'If-None-Match': entityTag,
    });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const head = await fetch(`${s.url}/open-data/indicators.csv`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(entityTag);
    expect(await head.text()).toBe('');
    const since = await download(`${s.url}/open-data/indicators.csv`, {
      'If-Modified-Since': lastModified,
    });
    expect(since.status).toBe(304);

    await s.db
      .updateTable('exchange')
      .set({ participant_count: 13 })
      .where('id', '=', f.exchange.ab)
      .execute();
    const changed = await download(`${s.url}/open-data/indicators.csv`, {
      'If-None-Match': entityTag,
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(entityTag);
  });

  it('holds public operations to the operation limits of every request', async () => {
    const figures = 'totals { exchanges } indicators { code series { value } } sdgs { goal }';
    const costly = Array.from(
      { length: 10 },
      (_, i) => `p${i}: publicPartnership(id: $id) { ${figures} }`,
    ).join(' ');
    const refused = await post(s.url, `query ($id: ID!) { ${costly} }`, { id: partnershipId() });
    expect(refused.json.data ?? null).toBeNull();
    expect(refused.json.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('publishes nothing in production without UDX_PUBLIC=on', async () => {
    for (const path of PUBLIC_PATHS) {
      expect((await download(`${productionUrl}${path}`)).status, path).toBe(404);
      expect((await download(`${s.url}${path}`)).status, path).toBe(200);
    }
    const answer = await post(productionUrl, PUBLIC_FIGURES, { id: partnershipId() });
    expect(answer.json.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(answer.json.data?.publicProgramme ?? null).toBeNull();
  });

  it('publishes in production with UDX_PUBLIC=on', async () => {
    const published = await createServer({ db: s.db, production: true, publicFigures: true });
    try {
      const url = await published.listen(0, '127.0.0.1');
      expect((await download(`${url}/open-data/indicator_U5.csv`)).status).toBe(200);
      const answer = await post(url, PUBLIC_FIGURES, { id: partnershipId() });
      expect(answer.json.errors).toBeUndefined();
    } finally {
      await published.close();
    }
  });
});
