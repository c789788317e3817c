import { verify } from '@node-rs/argon2';
import type { DatabaseHandle, Db } from '@udx/db/database';
import { createTestDatabase, testEngines } from '@udx/db/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/accounts.ts';
import {
  DEMO_DATA_SET_NAME,
  type DemoSummary,
  isDemoDataPresent,
  loadDemoDataSet,
  loadDemoDataSetIfEmpty,
} from '../src/load-demo.ts';
import { snapshotDemoTables } from './snapshot.ts';

const demoTables = [
  'city',
  'partnership',
  'department',
  'exchange',
  'outcome',
  'reported_value',
  'target',
  'app_user',
] as const;

async function countRows(db: Db): Promise<DemoSummary> {
  const count = async (table: (typeof demoTables)[number]) => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  return {
    cities: await count('city'),
    partnerships: await count('partnership'),
    departments: await count('department'),
    exchanges: await count('exchange'),
    outcomes: await count('outcome'),
    reportedValues: await count('reported_value'),
    targets: await count('target'),
    users: await count('app_user'),
  };
}

async function participantsPerYear(db: Db) {
  const { rows } = await sql<{ year: number; participants: number; exchanges: number }>`
    SELECT extract(year FROM starts_on)::int AS year,
           sum(participant_count)::int AS participants,
           count(*)::int AS exchanges
      FROM exchange GROUP BY 1 ORDER BY 1`.execute(db);
  return rows;
}

describe.each(testEngines())('the demo data set on %s', (engine) => {
  let first: DatabaseHandle;
  let second: DatabaseHandle;
  let firstLoad: { loaded: boolean; summary?: DemoSummary };
  let secondSummary: DemoSummary;
  let loadMs: number;

  beforeAll(async () => {
    [first, second] = await Promise.all([createTestDatabase(engine), createTestDatabase(engine)]);
    const started = performance.now();
    firstLoad = await loadDemoDataSetIfEmpty(first.db);
    loadMs = performance.now() - started;
    secondSummary = await loadDemoDataSet(second.db);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
  });

  it('loads into an empty database and says what it loaded', async () => {
    expect(firstLoad.loaded).toBe(true);
    expect(firstLoad.summary).toEqual(await countRows(first.db));
    expect(firstLoad.summary).toMatchObject({ cities: 47, partnerships: 24, users: 3 + 2 * 47 });
    // Loading stays quick enough for a server start.
    expect(loadMs).toBeLessThan(15_000);
  });

  it('loads the same rows and figures into every fresh database', async () => {
    expect(secondSummary).toEqual(firstLoad.summary);
    expect(await participantsPerYear(second.db)).toEqual(await participantsPerYear(first.db));
    const [a, b] = await Promise.all([snapshotDemoTables(first.db), snapshotDemoTables(second.db)]);
    for (const table of Object.keys(a)) expect(b[table], table).toEqual(a[table]);
  });

  it('loads once: a database with data is left as it is', async () => {
    const before = await countRows(first.db);
    expect(await loadDemoDataSetIfEmpty(first.db)).toEqual({ loaded: false });
    await expect(loadDemoDataSet(first.db)).rejects.toThrow(/loaded already/);
    expect(await countRows(first.db)).toEqual(before);
  });

  it('does not load into a database that has a city of its own', async () => {
    const other = await createTestDatabase(engine);
    try {
      await other.db
        .insertInto('city')
        .values({ name: 'Potsdam', country_code: 'DE', region: 'Brandenburg' })
        .execute();
      expect(await isDemoDataPresent(other.db)).toBe(false);
      expect(await loadDemoDataSetIfEmpty(other.db)).toEqual({ loaded: false });
      const users = await other.db.selectFrom('app_user').select('id').execute();
      expect(users).toEqual([]);
      expect(await isDemoDataPresent(other.db)).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('records itself as a synthetic data set and marks every row demo', async () => {
    const dataSet = await first.db.selectFrom('data_set').selectAll().executeTakeFirstOrThrow();
    expect(dataSet.name).toBe(DEMO_DATA_SET_NAME);
    expect(dataSet.description).toMatch(/synthetic/);
    expect(await isDemoDataPresent(first.db)).toBe(true);
    for (const table of demoTables) {
      const { rows } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE NOT is_demo`.execute(first.db);
      expect(rows[0]?.n, table).toBe(0);
    }
  });

  it('brings the demo accounts, all with the demo password', async () => {
    const users = await first.db
      .selectFrom('app_user')
      .leftJoin('city', 'city.id', 'app_user.city_id')
      .select(['email', 'role', 'password_hash', 'city.name as city'])
      .execute();
    const byEmail = new Map(users.map((u) => [u.email, u]));
    expect(byEmail.get('admin@demo.udx')?.role).toBe('SKEW_ADMIN');
    expect(byEmail.get('evaluator@demo.udx')?.role).toBe('SKEW_EVALUATOR');
    expect(byEmail.get('monitor@demo.udx')?.role).toBe('FOREIGN_OFFICE');
    expect(byEmail.get('editor.muenchen@demo.udx')).toMatchObject({
      role: 'CITY_EDITOR',
      city: 'München',
    });
    expect(byEmail.get('editor.frankfurt-am-main@demo.udx')?.city).toBe('Frankfurt am Main');
    expect(byEmail.get('editor.bonn@demo.udx')?.city).toBe('Bonn');
    expect(byEmail.get('editor.koeln@demo.udx')?.city).toBe('Köln');
    expect(byEmail.get('editor.st-louis@demo.udx')?.city).toBe('St. Louis');
    expect(byEmail.get('viewer.freiburg-im-breisgau@demo.udx')).toMatchObject({
      role: 'CITY_VIEWER',
      city: 'Freiburg im Breisgau',
    });
    expect(byEmail.get('viewer.coventry@demo.udx')?.city).toBe('Coventry');

    const hash = byEmail.get('editor.bonn@demo.udx')?.password_hash ?? '';
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verify(hash, DEMO_PASSWORD)).toBe(true);
    expect(await verify(hash, 'udx-demo-2029')).toBe(false);
  });

  it('holds the twin-town pairs, Coventry once with two German partners', async () => {
    const pairs = await first.db
      .selectFrom('partnership as p')
      .innerJoin('city as g', 'g.id', 'p.german_city_id')
      .innerJoin('city as q', 'q.id', 'p.partner_city_id')
      .select(['g.name as german', 'g.country_code as gc', 'q.name as partner', 'p.twinned_since'])
      .execute();
    expect(pairs).toHaveLength(24);
    expect(pairs.every((p) => p.gc === 'DE')).toBe(true);
    expect(pairs.filter((p) => p.partner === 'Coventry').map((p) => p.german)).toEqual(
      expect.arrayContaining(['Dresden', 'Kiel']),
    );
    expect(pairs).toContainEqual(
      expect.objectContaining({ german: 'Berlin', partner: 'Los Angeles', twinned_since: 1967 }),
    );
    const coventry = await first.db
      .selectFrom('city')
      .select('id')
      .where('name', '=', 'Coventry')
      .execute();
    expect(coventry).toHaveLength(1);
  });

  it('gives every city an international office and specialist departments', async () => {
    const { rows } = await sql<{ name: string; country: string; n: number; offices: number }>`
      SELECT c.name, c.country_code AS country, count(*)::int AS n,
             count(*) FILTER (WHERE d.type = 'INTERNATIONAL_OFFICE')::int AS offices
        FROM city c JOIN department d ON d.city_id = c.id GROUP BY c.id`.execute(first.db);
    expect(rows).toHaveLength(47);
    for (const city of rows) {
      expect(city.offices, city.name).toBe(1);
      expect(city.n, city.name).toBeGreaterThanOrEqual(3);
      expect(city.n, city.name).toBeLessThanOrEqual(6);
    }
    const names = await first.db
      .selectFrom('department as d')
      .innerJoin('city as c', 'c.id', 'd.city_id')
      .select(['d.name', 'c.country_code'])
      .execute();
    const german =
      /amt|referat|büro|stabsstelle|betrieb|management|entwässerung|förderung|kanzlei/i;
    for (const d of names) {
      if (d.country_code === 'DE') expect(d.name).toMatch(german);
      else expect(d.name).not.toMatch(/amt|referat|büro/i);
    }
  });

  it('keeps exchanges inside their partnership, its topics and its time', async () => {
    const { rows } = await sql<{ problem: string }>`
      SELECT 'starts before joining: ' || e.title AS problem
        FROM exchange e JOIN partnership p ON p.id = e.partnership_id
       WHERE e.starts_on < p.joined_on
      UNION ALL
      SELECT 'topic outside the partnership: ' || e.title
        FROM exchange e JOIN exchange_topic t ON t.exchange_id = e.id
       WHERE NOT EXISTS (SELECT 1 FROM partnership_topic pt
                          WHERE pt.partnership_id = e.partnership_id AND pt.topic_code = t.topic_code)
      UNION ALL
      SELECT 'not both cities: ' || e.title
        FROM exchange e
       WHERE (SELECT count(DISTINCT city_id) FROM exchange_department d WHERE d.exchange_id = e.id) <> 2
      UNION ALL
      SELECT 'no topic or target: ' || e.title
        FROM exchange e
       WHERE NOT EXISTS (SELECT 1 FROM exchange_topic t WHERE t.exchange_id = e.id)
          OR NOT EXISTS (SELECT 1 FROM exchange_sdg_target t WHERE t.exchange_id = e.id)
      UNION ALL
      SELECT 'after the demo period: ' || e.title
        FROM exchange e WHERE e.ends_on > '2026-11-30' OR e.starts_on < '2022-01-01'
      UNION ALL
      SELECT 'outcome after the demo period: ' || o.title
        FROM outcome o WHERE o.date > '2026-11-30'
      UNION ALL
      SELECT 'focus SDGs lack 11, 16 or 17: ' || p.id
        FROM partnership p
       WHERE (SELECT count(*) FROM partnership_sdg s
               WHERE s.partnership_id = p.id AND s.goal IN (11, 16, 17)) <> 3`.execute(first.db);
    expect(rows.map((r) => r.problem)).toEqual([]);

    const years = await participantsPerYear(first.db);
    expect(years.map((y) => y.year)).toEqual([2022, 2023, 2024, 2025, 2026]);
    const kinds = await first.db
      .selectFrom('exchange')
      .select(['kind', 'format'])
      .distinct()
      .execute();
    expect(new Set(kinds.map((k) => k.kind))).toEqual(new Set(['TECHNICAL', 'POLITICAL']));
    expect(new Set(kinds.map((k) => k.format))).toEqual(
      new Set(['IN_PERSON', 'VIRTUAL', 'HYBRID']),
    );
  });

  it('has outcomes of every kind and status, some from an exchange', async () => {
    const outcomes = await first.db
      .selectFrom('outcome')
      .select(['kind', 'status', 'exchange_id'])
      .execute();
    expect(new Set(outcomes.map((o) => o.kind)).size).toBe(6);
    expect(new Set(outcomes.map((o) => o.status))).toEqual(
      new Set(['PLANNED', 'IN_PROGRESS', 'ACHIEVED', 'DROPPED']),
    );
    expect(outcomes.some((o) => o.exchange_id !== null)).toBe(true);
    expect(outcomes.some((o) => o.exchange_id === null)).toBe(true);
  });

  it('has reported values of the German cities in every review state', async () => {
    const values = await first.db
      .selectFrom('reported_value as v')
      .innerJoin('indicator as i', 'i.id', 'v.indicator_id')
      .innerJoin('city as c', 'c.id', 'v.city_id')
      .select(['i.code', 'c.country_code', 'v.year', 'v.quarter', 'v.status', 'v.rejection_reason'])
      .select(['v.numerator', 'v.denominator', 'v.value', 'v.reviewed_by'])
      .execute();
    expect(new Set(values.map((v) => v.code))).toEqual(new Set(['U5', 'S5', 'N5']));
    expect(values.every((v) => v.country_code === 'DE')).toBe(true);
    expect(new Set(values.map((v) => v.year))).toEqual(new Set([2022, 2023, 2024, 2025, 2026]));
    // once per year, never per quarter: so no year mixes the two grains
    expect(values.every((v) => v.quarter === null)).toBe(true);
    expect(new Set(values.map((v) => v.status))).toEqual(
      new Set(['APPROVED', 'SUBMITTED', 'REJECTED']),
    );
    for (const v of values) {
      if (v.code === 'N5') expect(v.value).toBeGreaterThanOrEqual(0);
      else expect(v.numerator).toBeLessThanOrEqual(v.denominator ?? -1);
      if (v.status === 'REJECTED') expect(v.rejection_reason).toBeTruthy();
      expect(v.reviewed_by !== null).toBe(v.status === 'APPROVED' || v.status === 'REJECTED');
    }
    const cities = new Set(values.map((v) => v.country_code));
    expect(cities).toEqual(new Set(['DE']));
  });

  it('sets programme-wide targets for every indicator and year, and a few per partnership', async () => {
    const targets = await first.db
      .selectFrom('target as t')
      .innerJoin('indicator as i', 'i.id', 't.indicator_id')
      .select(['i.code', 't.year', 't.partnership_id', 't.target'])
      .execute();
    const programme = targets.filter((t) => t.partnership_id === null);
    expect(programme).toHaveLength(15 * 5);
    expect(new Set(programme.map((t) => t.code)).size).toBe(15);
    const own = new Set(
      targets.filter((t) => t.partnership_id !== null).map((t) => t.partnership_id),
    );
    expect(own.size).toBeGreaterThanOrEqual(2);
    expect(own.size).toBeLessThan(24);
  });
});
