import { indicators as programmeIndicators } from '@udx/migrations/catalogue';
import { migrations } from '@udx/migrations/migrations';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/database.ts';
import { prepareDatabase } from '../src/migrate.ts';
import { createTestDatabase, testEngines } from '../src/testing.ts';

describe.each(testEngines())('migrations and reference data on %s', (engine) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('runs again without harm and applies nothing twice', async () => {
    expect(await prepareDatabase(handle.db)).toEqual([]);
    expect(await prepareDatabase(handle.db)).toEqual([]);
    const goals = await handle.db
      .selectFrom('sdg_goal')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(goals.n).toBe(17);
  });

  it('holds the 17 goals in the official colours, in English and German', async () => {
    const goals = await handle.db.selectFrom('sdg_goal').selectAll().orderBy('number').execute();
    expect(goals.map((g) => g.colour)).toEqual([
      '#E5243B',
      '#DDA63A',
      '#4C9F38',
      '#C5192D',
      '#FF3A21',
      '#26BDE2',
      '#FCC30B',
      '#A21942',
      '#FD6925',
      '#DD1367',
      '#FD9D24',
      '#BF8B2E',
      '#3F7E44',
      '#0A97D9',
      '#56C02B',
      '#00689D',
      '#19486A',
    ]);
    const sdg11 = goals[10];
    expect(sdg11?.short_title_en).toBe('Sustainable cities and communities');
    expect(sdg11?.short_title_de).toBe('Nachhaltige Städte und Gemeinden');
  });

  it('holds 169 targets and 251 global indicators', async () => {
    const targets = await handle.db
      .selectFrom('sdg_target')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const indicators = await handle.db
      .selectFrom('sdg_indicator')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(targets.n).toBe(169);
    expect(indicators.n).toBe(251);
    const perGoal = await handle.db
      .selectFrom('sdg_target')
      .select(['goal', (eb) => eb.fn.countAll().as('n')])
      .where('goal', 'in', [11, 16, 17])
      .groupBy('goal')
      .orderBy('goal')
      .execute();
    expect(perGoal).toEqual([
      { goal: 11, n: 10 },
      { goal: 16, n: 12 },
      { goal: 17, n: 19 },
    ]);
  });

  it('holds the five topics with their SDGs', async () => {
    const rows = await handle.db
      .selectFrom('topic_sdg')
      .select(['topic_code', 'goal'])
      .orderBy('topic_code')
      .orderBy('goal')
      .execute();
    const byTopic: Record<string, number[]> = {};
    for (const row of rows) {
      byTopic[row.topic_code] = [...(byTopic[row.topic_code] ?? []), row.goal];
    }
    expect(byTopic).toEqual({
      CLIMATE_NEUTRAL_PLANNING: [7, 11, 13],
      SOCIAL_CITY: [1, 10, 11],
      SPONGE_CITY: [6, 11, 13],
      SUSTAINABLE_TRANSPORT: [9, 11],
      ZERO_WASTE: [11, 12],
    });
  });

  it('holds the 15 programme indicators exactly as docs/methodology.md lists them', async () => {
    const rows = await handle.db
      .selectFrom('indicator')
      .leftJoin('indicator_sdg', 'indicator_sdg.indicator_id', 'indicator.id')
      .select([
        'code',
        'indicator.goal',
        'unit',
        'source',
        'name_en',
        'name_de',
        sql<number[]>`array_agg(indicator_sdg.goal ORDER BY indicator_sdg.goal)`.as('sdgs'),
      ])
      .groupBy(['indicator.id'])
      .orderBy('indicator.position')
      .execute();
    // Written out here from docs/methodology.md ("The indicators"), not derived from the
    // catalogue file.
    expect(rows.map((r) => [r.code, r.goal, r.source, r.unit, r.sdgs.join(',')])).toEqual([
      ['U1', 'UNDERSTAND', 'COMPUTED', 'COUNT', '11,17'],
      ['U2', 'UNDERSTAND', 'COMPUTED', 'COUNT', '16,17'],
      ['U3', 'UNDERSTAND', 'COMPUTED', 'COUNT', '17'],
      ['U4', 'UNDERSTAND', 'COMPUTED', 'COUNT', '11,17'],
      ['U5', 'UNDERSTAND', 'REPORTED', 'PERCENT', '17'],
      ['S1', 'SHAPE', 'COMPUTED', 'COUNT', '11,16'],
      ['S2', 'SHAPE', 'COMPUTED', 'COUNT', '11,17'],
      ['S3', 'SHAPE', 'COMPUTED', 'COUNT', '11,13'],
      ['S4', 'SHAPE', 'COMPUTED', 'COUNT', '17'],
      ['S5', 'SHAPE', 'REPORTED', 'PERCENT', '16'],
      ['N1', 'NETWORK', 'COMPUTED', 'COUNT', '17'],
      ['N2', 'NETWORK', 'COMPUTED', 'COUNT', '17'],
      ['N3', 'NETWORK', 'COMPUTED', 'COUNT', '16,17'],
      ['N4', 'NETWORK', 'COMPUTED', 'COUNT', '17'],
      ['N5', 'NETWORK', 'REPORTED', 'COUNT', '17'],
    ]);
    expect(rows.every((r) => r.name_en && r.name_de && r.name_en !== r.name_de)).toBe(true);
    expect(rows).toHaveLength(programmeIndicators.length);
  });

  describe('later migrations, down and up again', () => {
    const migrator = () =>
      new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations } });
    const readPolicy = async () =>
      (
        await sql<{ qual: string }>`select qual from pg_policies
          where tablename = 'reported_value' and policyname = 'reported_value_read'`.execute(
          handle.db,
        )
      ).rows.map((row) => row.qual);

    it("shares partner cities' approved values, and down restores the own-city read policy", async () => {
      expect((await readPolicy())[0]).toContain('udx_viewer_city_ids()');
      const down = await migrator().migrateTo('20261127_2300_row_level_security');
      expect(down.error).toBeUndefined();
      const ownCity = await readPolicy();
      expect(ownCity).toHaveLength(1);
      expect(ownCity[0]).not.toContain('udx_viewer_city_ids()');
      expect(ownCity[0]).toContain('udx_viewer_city_id()');
      expect((await migrator().migrateToLatest()).error).toBeUndefined();
      expect((await readPolicy())[0]).toContain('udx_viewer_city_ids()');
    });

    it('gives each kind of account a role of its own, and down gives udx_app back what it had', async () => {
      const state = async () => {
        const { rows } = await sql<{
          foreignOfficeRead: boolean;
          unscoped: string;
          editorInsertsCities: boolean;
          viewerReadsExchanges: boolean | null;
        }>`select
            exists (select from pg_policies
              where policyname = 'reported_value_foreign_office_read') as "foreignOfficeRead",
            (select qual from pg_policies
              where tablename = 'exchange' and policyname = 'exchange_unscoped') as unscoped,
            has_table_privilege('udx_app', 'city', 'INSERT') as "editorInsertsCities",
            (select has_table_privilege('udx_city_viewer', 'exchange', 'SELECT')
              from pg_roles where rolname = 'udx_city_viewer') as "viewerReadsExchanges"`.execute(
          handle.db,
        );
        return rows[0];
      };
      expect(await state()).toMatchObject({
        foreignOfficeRead: true,
        unscoped: expect.stringContaining('udx_foreign_office'),
        editorInsertsCities: false,
        viewerReadsExchanges: true,
      });
      expect((await migrator().migrateTo('20261201_0900_sign_in_throttle')).error).toBeUndefined();
      // the role itself stays while another database (a parallel test's) still uses it
      expect(await state()).toMatchObject({
        foreignOfficeRead: false,
        unscoped: expect.not.stringContaining('udx_foreign_office'),
        editorInsertsCities: true,
      });
      expect((await state())?.viewerReadsExchanges).not.toBe(true);
      expect((await migrator().migrateToLatest()).error).toBeUndefined();
      expect((await state())?.foreignOfficeRead).toBe(true);
    });

    it('will not add the one-grain rule over values that mix grains already, and says which', async () => {
      const trigger = async () =>
        (
          await sql<{ n: number }>`select count(*)::int as n from pg_trigger
            where tgname = 'reported_value_one_grain_per_year'`.execute(handle.db)
        ).rows[0]?.n;
      expect((await migrator().migrateTo('20261201_0800_shared_approved_values')).error).toBe(
        undefined,
      );
      expect(await trigger()).toBe(0);
      const city = await handle.db
        .insertInto('city')
        .values({ name: 'Gotha', country_code: 'DE' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const n5 = await handle.db
        .selectFrom('indicator')
        .select('id')
        .where('code', '=', 'N5')
        .executeTakeFirstOrThrow();
      const value = { indicator_id: n5.id, city_id: city.id, year: 2025, value: 1 };
      const [yearly] = await handle.db
        .insertInto('reported_value')
        .values([value, { ...value, quarter: 2 }])
        .returning('id')
        .execute();
      const refused = await migrator().migrateToLatest();
      expect(String(refused.error)).toMatch(
        /mix a yearly value with quarterly ones: N5 of Gotha in 2025/,
      );
      expect(await trigger()).toBe(0);
      // once one grain is rejected, the values keep the rule and the migration goes through
      await handle.db
        .updateTable('reported_value')
        .set({ status: 'REJECTED', rejection_reason: 'Reported per quarter instead' })
        .where('id', '=', yearly?.id ?? 0)
        .execute();
      expect((await migrator().migrateToLatest()).error).toBeUndefined();
      expect(await trigger()).toBe(1);
      await handle.db.deleteFrom('reported_value').where('city_id', '=', city.id).execute();
      await handle.db.deleteFrom('city').where('id', '=', city.id).execute();
    });
  });
});
