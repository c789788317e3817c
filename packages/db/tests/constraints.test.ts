import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle, Db } from '../src/database.ts';
import { createTestDatabase, testEngines } from '../src/testing.ts';

/**
 * The database itself refuses what docs/methodology.md ("The data model") says must never be
 * stored, whatever code path tries. Each test writes one bad row and expects the named constraint
 * to stop it.
 */
describe.each(testEngines())('constraints on %s', (engine) => {
  let handle: DatabaseHandle;
  let db: Db;
  let fixture: Awaited<ReturnType<typeof insertFixture>>;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    db = handle.db;
    fixture = await insertFixture(db);
  });
  afterAll(async () => {
    await handle?.close();
  });

  async function expectRefused(write: Promise<unknown>, constraint: string) {
    await expect(write).rejects.toMatchObject({ constraint });
  }

  const exchange = () => ({
    partnership_id: fixture.partnershipId,
    kind: 'TECHNICAL' as const,
    format: 'VIRTUAL' as const,
    title: 'Sponge city workshop',
    starts_on: '2025-03-10',
    ends_on: '2025-03-12',
    host_city_id: fixture.bonnId,
    participant_count: 12,
  });

  it('accepts a well-formed exchange', async () => {
    const row = await db
      .insertInto('exchange')
      .values(exchange())
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(row.id).toBeGreaterThan(0);
  });

  it('refuses an exchange ending before it starts', async () => {
    await expectRefused(
      db
        .insertInto('exchange')
        .values({ ...exchange(), ends_on: '2025-03-09' })
        .execute(),
      'exchange_dates_in_order',
    );
  });

  it('refuses a negative participant count', async () => {
    await expectRefused(
      db
        .insertInto('exchange')
        .values({ ...exchange(), participant_count: -1 })
        .execute(),
      'exchange_participant_count_non_negative',
    );
  });

  it('refuses a host city outside the partnership', async () => {
    await expectRefused(
      db
        .insertInto('exchange')
        .values({ ...exchange(), host_city_id: fixture.yorkId })
        .execute(),
      'exchange_host_city_in_partnership',
    );
  });

  it("refuses a department of a third city in a partnership's exchange", async () => {
    const { id } = await db
      .insertInto('exchange')
      .values(exchange())
      .returning('id')
      .executeTakeFirstOrThrow();
    await expectRefused(
      db
        .insertInto('exchange_department')
        .values({
          exchange_id: id,
          partnership_id: fixture.partnershipId,
          department_id: fixture.yorkDepartmentId,
          city_id: fixture.yorkId,
        })
        .execute(),
      'exchange_department_city_in_partnership',
    );
    // Claiming the department belongs to Bonn does not get it in either.
    await expectRefused(
      db
        .insertInto('exchange_department')
        .values({
          exchange_id: id,
          partnership_id: fixture.partnershipId,
          department_id: fixture.yorkDepartmentId,
          city_id: fixture.bonnId,
        })
        .execute(),
      'exchange_department_of_the_department',
    );
  });

  it('refuses a partnership of a city with itself', async () => {
    await expectRefused(
      db
        .insertInto('partnership')
        .values({ german_city_id: fixture.bonnId, partner_city_id: fixture.bonnId })
        .execute(),
      'partnership_two_cities',
    );
  });

  it('refuses a duplicate indicator code', async () => {
    await expectRefused(
      db
        .insertInto('indicator')
        .values({
          code: 'U1',
          position: 99,
          goal: 'UNDERSTAND',
          unit: 'COUNT',
          source: 'COMPUTED',
          name_en: 'Copy',
          name_de: 'Kopie',
          description_en: 'Copy',
          description_de: 'Kopie',
        })
        .execute(),
      'indicator_code_unique',
    );
  });

  describe('reported values', () => {
    beforeEach(async () => {
      await db.deleteFrom('reported_value').execute();
    });

    const percent = () => ({
      indicator_id: fixture.u5Id,
      city_id: fixture.bonnId,
      year: 2025,
      quarter: null,
      numerator: 30,
      denominator: 40,
    });

    it('refuses a numerator above its denominator', async () => {
      await expectRefused(
        db
          .insertInto('reported_value')
          .values({ ...percent(), numerator: 41 })
          .execute(),
        'reported_value_numerator_within_denominator',
      );
    });

    it('refuses a second value for the same indicator, city and period', async () => {
      await db.insertInto('reported_value').values(percent()).execute();
      await expectRefused(
        db
          .insertInto('reported_value')
          .values({ ...percent(), numerator: 10 })
          .execute(),
        'reported_value_one_per_period',
      );
      // another quarter is another period (of another year here: a year takes one grain)
      await db
        .insertInto('reported_value')
        .values({ ...percent(), year: 2024, quarter: 2 })
        .execute();
      await expectRefused(
        db
          .insertInto('reported_value')
          .values({ ...percent(), year: 2024, quarter: 2 })
          .execute(),
        'reported_value_one_per_period',
      );
    });

    it('refuses quarterly values for a year reported once, and a yearly value for one reported per quarter', async () => {
      await db.insertInto('reported_value').values(percent()).execute();
      await expectRefused(
        db
          .insertInto('reported_value')
          .values({ ...percent(), quarter: 1 })
          .execute(),
        'reported_value_one_grain_per_year',
      );
      await db
        .insertInto('reported_value')
        .values([
          { ...percent(), year: 2024, quarter: 1 },
          { ...percent(), year: 2024, quarter: 3 },
        ])
        .execute();
      await expectRefused(
        db
          .insertInto('reported_value')
          .values({ ...percent(), year: 2024 })
          .execute(),
        'reported_value_one_grain_per_year',
      );
      // in one statement, too
      await expectRefused(
        db
          .insertInto('reported_value')
          .values([
            { ...percent(), year: 2023 },
            { ...percent(), year: 2023, quarter: 4 },
          ])
          .execute(),
        'reported_value_one_grain_per_year',
      );
      // other years, cities and indicators keep their own grain
      await db
        .insertInto('reported_value')
        .values([
          { ...percent(), year: 2026, quarter: 1 },
          { ...percent(), city_id: fixture.yorkId, quarter: 1 },
          { ...percent(), indicator_id: fixture.s5Id, quarter: 1 },
        ])
        .execute();
      const stored = await db
        .selectFrom('reported_value')
        .select(['year', 'quarter'])
        .where('city_id', '=', fixture.bonnId)
        .where('indicator_id', '=', fixture.u5Id)
        .orderBy('year')
        .orderBy('quarter')
        .execute();
      expect(stored).toEqual([
        { year: 2024, quarter: 1 },
        { year: 2024, quarter: 3 },
        { year: 2025, quarter: null },
        { year: 2026, quarter: 1 },
      ]);
    });

    it('lets a rejected value of the other grain stand, and checks it again when it is resubmitted', async () => {
      const rejected = { status: 'REJECTED' as const, rejection_reason: 'Wrong survey' };
      const yearly = await db
        .insertInto('reported_value')
        .values({ ...percent(), ...rejected })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('reported_value')
        .values([
          { ...percent(), quarter: 1, status: 'SUBMITTED' },
          { ...percent(), quarter: 2, status: 'APPROVED' },
        ])
        .execute();
      // a rejected row holds no grain and is not held to one
      await db
        .insertInto('reported_value')
        .values({ ...percent(), year: 2024, quarter: 1, status: 'APPROVED' })
        .execute();
      await db
        .insertInto('reported_value')
        .values({ ...percent(), year: 2024, ...rejected })
        .execute();
      await expectRefused(
        db
          .updateTable('reported_value')
          .set({ status: 'SUBMITTED', rejection_reason: null })
          .where('id', '=', yearly.id)
          .execute(),
        'reported_value_one_grain_per_year',
      );
    });

    it('refuses an update that moves a value to the other grain', async () => {
      const [first] = await db
        .insertInto('reported_value')
        .values([
          { ...percent(), quarter: 1 },
          { ...percent(), quarter: 2 },
        ])
        .returning('id')
        .execute();
      await expectRefused(
        db
          .updateTable('reported_value')
          .set({ quarter: null })
          .where('id', '=', first?.id ?? 0)
          .execute(),
        'reported_value_one_grain_per_year',
      );
      // a year's only value may change its grain, and a quarterly value its quarter
      await db
        .updateTable('reported_value')
        .set({ quarter: 3 })
        .where('id', '=', first?.id ?? 0)
        .execute();
      const moved = await db
        .insertInto('reported_value')
        .values({ ...percent(), year: 2024, quarter: 4 })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .updateTable('reported_value')
        .set({ quarter: null })
        .where('id', '=', moved.id)
        .execute();
      await expectRefused(
        db
          .updateTable('reported_value')
          .set({ year: 2025, quarter: null })
          .where('id', '=', moved.id)
          .execute(),
        'reported_value_one_grain_per_year',
      );
    });

    it.runIf(engine === 'postgres')(
      'makes a concurrent writer of the other grain wait, then refuses it',
      async () => {
        const first = await db.startTransaction().execute();
        const second = await db.startTransaction().execute();
        try {
          await first.insertInto('reported_value').values(percent()).execute();
          // waits for the first transaction's lock on Bonn's U5 of 2025
          const quarterly = second
            .insertInto('reported_value')
            .values({ ...percent(), quarter: 1 })
            .execute();
          const outcome = await Promise.race([
            quarterly.then(
              () => 'done',
              () => 'failed',
            ),
            new Promise((resolve) => setTimeout(() => resolve('waiting'), 300)),
          ]);
          expect(outcome).toBe('waiting');
          await first.commit().execute();
          await expectRefused(quarterly, 'reported_value_one_grain_per_year');
        } finally {
          if (!first.isCommitted && !first.isRolledBack) await first.rollback().execute();
          if (!second.isRolledBack) await second.rollback().execute();
        }
      },
    );

    it('refuses a value for a computed indicator, and a count for a percentage', async () => {
      await expectRefused(
        db
          .insertInto('reported_value')
          .values({ indicator_id: fixture.u1Id, city_id: fixture.bonnId, year: 2025, value: 3 })
          .execute(),
        'reported_value_indicator_is_reported',
      );
      await expectRefused(
        db
          .insertInto('reported_value')
          .values({ indicator_id: fixture.u5Id, city_id: fixture.bonnId, year: 2025, value: 3 })
          .execute(),
        'reported_value_matches_unit',
      );
    });

    it('refuses a rejection without a reason', async () => {
      await expectRefused(
        db
          .insertInto('reported_value')
          .values({ ...percent(), status: 'REJECTED' })
          .execute(),
        'reported_value_rejection_has_reason',
      );
    });
  });

  it('keeps the audit trail append-only', async () => {
    await db
      .insertInto('audit_entry')
      .values({
        action: 'CREATE',
        entity: 'Exchange',
        entity_id: '1',
        new_values: JSON.stringify({ title: 'x' }),
      })
      .execute();
    await expectRefused(
      db.updateTable('audit_entry').set({ entity: 'Outcome' }).execute(),
      'audit_entry_append_only',
    );
    await expectRefused(db.deleteFrom('audit_entry').execute(), 'audit_entry_append_only');
  });

  it('gives city accounts exactly one city and programme accounts none', async () => {
    const user = { email: 'someone@example.org', display_name: 'Someone', password_hash: 'x' };
    await expectRefused(
      db
        .insertInto('app_user')
        .values({ ...user, role: 'CITY_EDITOR', city_id: null })
        .execute(),
      'app_user_city_matches_role',
    );
    await expectRefused(
      db
        .insertInto('app_user')
        .values({ ...user, role: 'FOREIGN_OFFICE', city_id: fixture.bonnId })
        .execute(),
      'app_user_city_matches_role',
    );
  });
});

/** Bonn–Oxford as the partnership, York as a city outside it. */
async function insertFixture(db: Db) {
  const cities = await db
    .insertInto('city')
    .values([
      { name: 'Bonn', country_code: 'DE', latitude: 50.73, longitude: 7.1 },
      { name: 'Oxford', country_code: 'GB', latitude: 51.75, longitude: -1.26 },
      { name: 'York', country_code: 'GB', latitude: 53.96, longitude: -1.08 },
    ])
    .returning(['id', 'name'])
    .execute();
  const idOf = (name: string) => {
    const city = cities.find((c) => c.name === name);
    if (!city) throw new Error(name);
    return city.id;
  };
  const partnership = await db
    .insertInto('partnership')
    .values({ german_city_id: idOf('Bonn'), partner_city_id: idOf('Oxford'), twinned_since: 1947 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const yorkDepartment = await db
    .insertInto('department')
    .values({ city_id: idOf('York'), name: 'Climate team', type: 'CLIMATE_PROTECTION' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const indicators = await db.selectFrom('indicator').select(['id', 'code']).execute();
  const indicatorId = (code: string) => {
    const found = indicators.find((i) => i.code === code);
    if (!found) throw new Error(code);
    return found.id;
  };
  return {
    bonnId: idOf('Bonn'),
    yorkId: idOf('York'),
    partnershipId: partnership.id,
    yorkDepartmentId: yorkDepartment.id,
    u1Id: indicatorId('U1'),
    u5Id: indicatorId('U5'),
    s5Id: indicatorId('S5'),
  };
}
