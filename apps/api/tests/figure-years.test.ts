import { testEngines } from '@udx/db/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthServer,
  bearer,
  insertAccount,
  post,
  signInToken,
  startAuthServer,
} from './auth-helpers.ts';
import { insertIds } from './insert-rows.ts';
import { insertRlsFixture, type RlsFixture } from './rls-fixture.ts';

// Figures kept across writes that do not reach them (docs/architecture.md, "Caches and the data
// version"; migration 20261202_0900_figure_years): a write raises the years of the dated records
// it wrote, and a figure over a period is computed again only when its years or an undated
// record changed.

const PASSWORD = 'years-password-2030';

const OVERVIEW = /* GraphQL */ `
  query Overview($scope: ScopeInput) {
    dashboard(scope: $scope) {
      totals { partnerships cities departments exchanges outcomes participants }
      goals { goal indicators { indicator { code } value } }
      sdgs { goal { number } exchangeCount outcomeCount partnershipCount }
    }
  }
`;

const yearScope = (year: number) => ({ from: `${year}-01-01`, to: `${year}-12-31` });

describe.each(testEngines())('figures kept by the years a write reaches on %s', (engine) => {
  let app: AuthServer;
  let token = '';
  let f: RlsFixture;
  /** The statements the database ran, in order. */
  const statements: string[] = [];

  /** The year counters and the undated counter, as a write leaves them. */
  const versions = async () => {
    const { rows } = await sql<{ year: number; version: string }>`
      select year, version from figure_year_version order by year`.execute(app.db);
    const { rows: undated } = await sql<{ undated_figures: string }>`
      select undated_figures from data_version`.execute(app.db);
    return {
      years: Object.fromEntries(rows.map((row) => [row.year, Number(row.version)])),
      undated: Number(undated[0]?.undated_figures),
    };
  };
  /** What `write` raised: the years by how much, and whether the undated counter moved. */
  const raisedBy = async (write: () => Promise<unknown>) => {
    const before = await versions();
    await write();
    const after = await versions();
    const years: Record<string, number> = {};
    for (const [year, version] of Object.entries(after.years)) {
      const raised = version - (before.years[year] ?? 0);
      if (raised !== 0) years[year] = raised;
    }
    return { years, undated: after.undated - before.undated };
  };
  const overview = async (year: number) => {
    const answer = await post(app.url, OVERVIEW, { scope: yearScope(year) }, bearer(token));
    expect(answer.json.errors).toBeUndefined();
    return answer.json.data.dashboard;
  };
  /** The figures statements one request ran. */
  const figureStatementsOf = async (request: () => Promise<unknown>) => {
    statements.length = 0;
    await request();
    return statements.filter((text) => text.startsWith('/* indicators:'));
  };
  const exchangeIn = (day: string) => ({
    partnership_id: f.partnership.ab,
    kind: 'TECHNICAL' as const,
    format: 'VIRTUAL' as const,
    title: `Exchange of ${day}`,
    starts_on: day,
    host_city_id: f.city.a,
    participant_count: 5,
  });

  beforeAll(async () => {
    app = await startAuthServer(engine, {
      log: (event) => {
        if (event.level === 'query') statements.push(event.query.sql);
      },
    });
    f = await insertRlsFixture(app.db);
    await insertAccount(app.db, {
      email: 'monitor@years.example',
      role: 'FOREIGN_OFFICE',
      password: PASSWORD,
    });
    token = await signInToken(app.url, 'monitor@years.example', PASSWORD);
  }, 120_000);
  afterAll(() => app?.stop());

  it('raises the year of every dated record a statement writes, and no other', async () => {
    const db = app.db;
    let exchange = 0;
    expect(
      await raisedBy(async () => {
        [exchange] = (await insertIds(db, 'exchange', [exchangeIn('2021-06-01')])) as [number];
      }),
    ).toEqual({ years: { 2021: 1 }, undated: 0 });
    // a row of an exchange is dated by its exchange
    expect(
      await raisedBy(() =>
        db
          .insertInto('exchange_department')
          .values({
            exchange_id: exchange,
            partnership_id: f.partnership.ab,
            department_id: f.department.a,
            city_id: f.city.a,
          })
          .execute(),
      ),
    ).toEqual({ years: { 2021: 1 }, undated: 0 });
    // moved to another year: both years changed
    expect(
      await raisedBy(() =>
        db
          .updateTable('exchange')
          .set({ starts_on: '2020-06-01' })
          .where('id', '=', exchange)
          .execute(),
      ),
    ).toEqual({ years: { 2020: 1, 2021: 1 }, undated: 0 });
    let outcome = 0;
    expect(
      await raisedBy(async () => {
        [outcome] = (await insertIds(db, 'outcome', [
          {
            partnership_id: f.partnership.ab,
            kind: 'NEW_APPROACH',
            status: 'PLANNED',
            title: 'Composting',
            date: '2019-02-01',
          },
        ])) as [number];
      }),
    ).toEqual({ years: { 2019: 1 }, undated: 0 });
    expect(
      await raisedBy(() =>
        db
          .insertInto('outcome_sdg_target')
          .values({ outcome_id: outcome, target_code: '12.5' })
          .execute(),
      ),
    ).toEqual({ years: { 2019: 1 }, undated: 0 });
    // one statement over two years raises each once
    expect(
      await raisedBy(() =>
        db
          .updateTable('reported_value')
          .set({ numerator: 11 })
          .where('id', 'in', [f.value.aApproved, f.value.aSubmitted])
          .execute(),
      ),
    ).toEqual({ years: { 2024: 1, 2025: 1 }, undated: 0 });
    // deleted with its rows: its year once (its rows find no exchange left to date them by)
    expect(
      await raisedBy(() => db.deleteFrom('exchange').where('id', '=', exchange).execute()),
    ).toEqual({ years: { 2020: 1 }, undated: 0 });
    // an undated record: no year, the undated counter
    expect(
      await raisedBy(() =>
        db.updateTable('city').set({ name: 'Bonn am Rhein' }).where('id', '=', f.city.a).execute(),
      ),
    ).toEqual({ years: {}, undated: 1 });
  });

  it('keeps the figures of a year no write reached, and computes those of the year written to', async () => {
    const before2024 = await overview(2024);
    const before2025 = await overview(2025);
    await insertIds(app.db, 'exchange', [exchangeIn('2025-09-01')]);
    let after2024: unknown;
    expect(
      await figureStatementsOf(async () => {
        after2024 = await overview(2024);
      }),
    ).toEqual([]);
    expect(after2024).toEqual(before2024);
    let after2025: { totals: { exchanges: number } } | undefined;
    const computed = await figureStatementsOf(async () => {
      after2025 = await overview(2025);
    });
    expect(computed.length).toBeGreaterThan(0);
    expect(after2025?.totals.exchanges).toBe(before2025.totals.exchanges + 1);
  });

  it('computes every year again after a write to an undated record', async () => {
    const before = await overview(2024);
    await insertIds(app.db, 'department', [
      { city_id: f.city.a, name: 'Amt für Stadtgrün', type: 'ENVIRONMENT' },
    ]);
    const after = await overview(2024);
    expect(after.totals.departments).toBe(before.totals.departments + 1);
  });

  it('computes every year again after a dated table is emptied', async () => {
    const before = await overview(2025);
    expect(before.sdgs.some((sdg: { outcomeCount: number }) => sdg.outcomeCount > 0)).toBe(true);
    expect(await raisedBy(() => sql`truncate outcome_sdg_target`.execute(app.db))).toEqual({
      years: {},
      undated: 1,
    });
    const after = await overview(2025);
    expect(after.sdgs.every((sdg: { outcomeCount: number }) => sdg.outcomeCount === 0)).toBe(true);
  });
});
