import type { DatabaseHandle } from '@udx/db/database';
import type { Database } from '@udx/db/schema';
import { createTestDatabase, testEngines } from '@udx/db/testing';
import { sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withViewerScope } from '../src/auth/row-level-security.ts';
import type { Viewer } from '../src/context.ts';
import { findProgrammeTotals } from '../src/modules/dashboard/dashboard.repository.ts';
import { insertRlsFixture, type RlsFixture, viewerOf } from './rls-fixture.ts';

// Row-level security on its own: raw statements through withViewerScope, with no application
// filter in between. Whatever a resolver forgets, PostgreSQL must still refuse.

const ids = (rows: { id: number }[]) => rows.map((row) => row.id).sort((x, y) => x - y);
const sorted = (values: number[]) => [...values].sort((x, y) => x - y);

describe.each(testEngines())('row-level security on %s', (engine) => {
  let handle: DatabaseHandle;
  let f: RlsFixture;
  let editorA: Viewer;
  let viewerA: Viewer;
  let monitor: Viewer;
  let evaluator: Viewer;

  /** Runs fn as the viewer; resolves with its result or rejects with the database's error. */
  const as = <T>(viewer: Viewer, fn: (trx: Transaction<Database>) => Promise<T>) =>
    withViewerScope(handle.db, viewer, fn);

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    f = await insertRlsFixture(handle.db);
    editorA = viewerOf(f.user.editorA, 'CITY_EDITOR', f.city.a);
    viewerA = viewerOf(f.user.viewerA, 'CITY_VIEWER', f.city.a);
    monitor = viewerOf(f.user.monitor, 'FOREIGN_OFFICE', null);
    evaluator = viewerOf(f.user.evaluator, 'SKEW_EVALUATOR', null);
    // generous: on a loaded machine PGlite starts slowly
  }, 180_000);
  afterAll(async () => {
    await handle?.close();
  });

  it('runs a scope as udx_app, a role without superuser or bypass rights, and forgets it after', async () => {
    const inside = await as(editorA, async (trx) => {
      const { rows } = await sql<{
        who: string;
        role: string;
        city: string;
        superuser: boolean;
        bypass: boolean;
      }>`select current_user as who, current_setting('udx.role') as role,
          current_setting('udx.city_id') as city, rolsuper as superuser, rolbypassrls as bypass
        from pg_roles where rolname = current_user`.execute(trx);
      return rows[0];
    });
    expect(inside).toEqual({
      who: 'udx_app',
      role: 'CITY_EDITOR',
      city: String(f.city.a),
      superuser: false,
      bypass: false,
    });
    // the settings are transaction-local: the pool's next user starts clean
    for (let i = 0; i < 3; i++) {
      const { rows } = await sql<{ who: string; role: string | null }>`select current_user as who,
          nullif(current_setting('udx.role', true), '') as role`.execute(handle.db);
      expect(rows[0]).toEqual({ who: expect.not.stringMatching(/^udx_app$/), role: null });
    }
  });

  it("shows a city account its own city, its partnerships and their shared records, nothing of other cities'", async () => {
    const seen = await as(editorA, async (trx) => ({
      cities: ids(await trx.selectFrom('city').select('id').execute()),
      partnerships: ids(await trx.selectFrom('partnership').select('id').execute()),
      partnershipCities: (
        await trx.selectFrom('partnership_city').select('partnership_id').execute()
      ).map((r) => r.partnership_id),
      partnershipTopics: (
        await trx.selectFrom('partnership_topic').select('partnership_id').execute()
      ).map((r) => r.partnership_id),
      departments: ids(await trx.selectFrom('department').select('id').execute()),
      exchanges: ids(await trx.selectFrom('exchange').select('id').execute()),
      exchangeDepartments: sorted(
        (await trx.selectFrom('exchange_department').select('department_id').execute()).map(
          (r) => r.department_id,
        ),
      ),
      exchangeTopics: (await trx.selectFrom('exchange_topic').select('exchange_id').execute()).map(
        (r) => r.exchange_id,
      ),
      exchangeTargets: (
        await trx.selectFrom('exchange_sdg_target').select('exchange_id').execute()
      ).map((r) => r.exchange_id),
      outcomes: ids(await trx.selectFrom('outcome').select('id').execute()),
      outcomeTargets: (
        await trx.selectFrom('outcome_sdg_target').select('outcome_id').execute()
      ).map((r) => r.outcome_id),
      values: ids(await trx.selectFrom('reported_value').select('id').execute()),
      targets: (await trx.selectFrom('target').select('partnership_id').execute()).map(
        (r) => r.partnership_id,
      ),
      audit: (await trx.selectFrom('audit_entry').select('entity_id').execute()).map(
        (r) => r.entity_id,
      ),
      users: ids(await trx.selectFrom('app_user').select('id').execute()),
    }));
    expect(seen).toEqual({
      cities: sorted([f.city.a, f.city.b]),
      partnerships: [f.partnership.ab],
      partnershipCities: [f.partnership.ab, f.partnership.ab],
      partnershipTopics: [f.partnership.ab],
      // its own department and the partner city's (exchanges name both sides'), not Köln's or Liverpool's
      departments: sorted([f.department.a, f.department.b]),
      exchanges: [f.exchange.ab],
      exchangeDepartments: sorted([f.department.a, f.department.b]),
      exchangeTopics: [f.exchange.ab],
      exchangeTargets: [f.exchange.ab],
      outcomes: [f.outcome.ab],
      outcomeTargets: [f.outcome.ab],
      // its own city's values in every state, and of the partner city the approved one only
      values: sorted([
        f.value.aApproved,
        f.value.aSubmitted,
        f.value.aDraft,
        f.value.aRejected,
        f.value.bApproved,
      ]),
      targets: expect.arrayContaining([null, f.partnership.ab]),
      audit: [String(f.exchange.ab)],
      users: sorted([f.user.editorA, f.user.viewerA]),
    });
    expect(seen.targets).toHaveLength(2);
  });

  it('finds nothing of another city even when asked for it by id', async () => {
    const found = await as(viewerA, async (trx) => ({
      department: await trx
        .selectFrom('department')
        .selectAll()
        .where('id', '=', f.department.c)
        .execute(),
      exchange: await trx
        .selectFrom('exchange')
        .selectAll()
        .where('id', '=', f.exchange.cd)
        .execute(),
      outcome: await trx.selectFrom('outcome').selectAll().where('id', '=', f.outcome.cd).execute(),
      value: await trx
        .selectFrom('reported_value')
        .selectAll()
        .where('id', 'in', [
          f.value.cApproved,
          f.value.cSubmitted,
          f.value.bSubmitted,
          f.value.bDraft,
          f.value.bRejected,
        ])
        .execute(),
      count: await trx
        .selectFrom('exchange')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    }));
    expect(found).toEqual({
      department: [],
      exchange: [],
      outcome: [],
      value: [],
      count: { n: 1 },
    });
  });

  it("refuses every write into another city's records", async () => {
    const refusals: Array<[string, (trx: Transaction<Database>) => Promise<unknown>]> = [
      [
        'a department of Köln',
        (trx) =>
          trx
            .insertInto('department')
            .values({ city_id: f.city.c, name: 'Sneaked in', type: 'OTHER' })
            .execute(),
      ],
      [
        "a department of the partner city (readable, but it is Minneapolis's to change)",
        (trx) =>
          trx
            .insertInto('department')
            .values({ city_id: f.city.b, name: 'Sneaked in', type: 'OTHER' })
            .execute(),
      ],
      [
        'an exchange of Köln–Liverpool',
        (trx) =>
          trx
            .insertInto('exchange')
            .values({
              partnership_id: f.partnership.cd,
              kind: 'TECHNICAL',
              format: 'VIRTUAL',
              title: 'Not ours',
              starts_on: '2025-01-01',
              host_city_id: f.city.c,
              participant_count: 1,
            })
            .execute(),
      ],
      [
        'an outcome of Köln–Liverpool',
        (trx) =>
          trx
            .insertInto('outcome')
            .values({
              partnership_id: f.partnership.cd,
              kind: 'FOLLOW_UP',
              status: 'PLANNED',
              title: 'Not ours',
              date: '2025-01-01',
            })
            .execute(),
      ],
      [
        'a topic on their exchange',
        (trx) =>
          trx
            .insertInto('exchange_topic')
            .values({ exchange_id: f.exchange.cd, topic_code: 'ZERO_WASTE' })
            .execute(),
      ],
      [
        'an SDG target on their outcome',
        (trx) =>
          trx
            .insertInto('outcome_sdg_target')
            .values({ outcome_id: f.outcome.cd, target_code: '17.17' })
            .execute(),
      ],
      [
        'a value for Köln',
        (trx) =>
          trx
            .insertInto('reported_value')
            .values({
              indicator_id: f.indicatorU5,
              city_id: f.city.c,
              year: 2026,
              numerator: 1,
              denominator: 2,
              status: 'SUBMITTED',
            })
            .execute(),
      ],
      [
        'a value of its own, already approved',
        (trx) =>
          trx
            .insertInto('reported_value')
            .values({
              indicator_id: f.indicatorU5,
              city_id: f.city.a,
              year: 2026,
              numerator: 1,
              denominator: 2,
              status: 'APPROVED',
            })
            .execute(),
      ],
      [
        'approving its own value',
        (trx) =>
          trx
            .updateTable('reported_value')
            .set({ status: 'APPROVED' })
            .where('id', '=', f.value.aSubmitted)
            .execute(),
      ],
      [
        'moving its exchange into the other partnership',
        (trx) =>
          trx
            .updateTable('exchange')
            .set({ partnership_id: f.partnership.cd, host_city_id: f.city.c })
            .where('id', '=', f.exchange.ab)
            .execute(),
      ],
      [
        'an audit entry about Köln',
        (trx) =>
          trx
            .insertInto('audit_entry')
            .values({
              actor_id: f.user.editorA,
              action: 'UPDATE',
              entity: 'exchange',
              entity_id: String(f.exchange.cd),
              city_ids: [f.city.c, f.city.d],
            })
            .execute(),
      ],
      [
        'a partnership',
        (trx) =>
          trx
            .insertInto('partnership')
            .values({ german_city_id: f.city.a, partner_city_id: f.city.d })
            .execute(),
      ],
    ];
    for (const [what, write] of refusals) {
      await expect(as(editorA, write), what).rejects.toMatchObject({ code: '42501' });
    }
    // rows it cannot see, it cannot change or delete either: nothing happens
    const changed = await as(editorA, async (trx) => [
      (
        await trx
          .updateTable('department')
          .set({ name: 'Renamed' })
          .where('id', 'in', [f.department.c, f.department.b])
          .executeTakeFirst()
      ).numUpdatedRows,
      (
        await trx
          .updateTable('exchange')
          .set({ title: 'Renamed' })
          .where('id', '=', f.exchange.cd)
          .executeTakeFirst()
      ).numUpdatedRows,
      (await trx.deleteFrom('outcome').where('id', '=', f.outcome.cd).executeTakeFirst())
        .numDeletedRows,
      (
        await trx
          .updateTable('reported_value')
          .set({ note: 'Changed' })
          .where('id', 'in', [f.value.bSubmitted, f.value.cApproved])
          .executeTakeFirst()
      ).numUpdatedRows,
      (await trx.deleteFrom('reported_value').where('city_id', '=', f.city.c).executeTakeFirst())
        .numDeletedRows,
    ]);
    expect(changed.map(Number)).toEqual([0, 0, 0, 0, 0]);
    const untouched = await handle.db
      .selectFrom('department')
      .select('name')
      .where('id', '=', f.department.c)
      .executeTakeFirstOrThrow();
    expect(untouched.name).toBe('Stadtplanungsamt');
    const outcome = await handle.db
      .selectFrom('outcome')
      .select('id')
      .where('id', '=', f.outcome.cd)
      .execute();
    expect(outcome).toHaveLength(1);
  });

  it('shares approved values between partner cities, both ways, and none with a third city', async () => {
    const viewerB = viewerOf(f.user.viewerB, 'CITY_VIEWER', f.city.b);
    const editorC = viewerOf(f.user.editorC, 'CITY_EDITOR', f.city.c);
    /** What the viewer reads of each city's values, by id, however it asks. */
    const read = (viewer: Viewer) =>
      as(viewer, async (trx) => {
        const ofCity = async (cityId: number) =>
          ids(
            await trx
              .selectFrom('reported_value')
              .select('id')
              .where('city_id', '=', cityId)
              .execute(),
          );
        return {
          a: await ofCity(f.city.a),
          b: await ofCity(f.city.b),
          c: await ofCity(f.city.c),
          byId: ids(
            await trx
              .selectFrom('reported_value')
              .select('id')
              .where('id', 'in', Object.values(f.value))
              .execute(),
          ),
          unapprovedOfOthers: (
            await trx
              .selectFrom('reported_value')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('city_id', '<>', viewer.cityId ?? 0)
              .where('status', '<>', 'APPROVED')
              .executeTakeFirstOrThrow()
          ).n,
        };
      });
    const ownA = sorted([f.value.aApproved, f.value.aSubmitted, f.value.aDraft, f.value.aRejected]);
    const ownB = sorted([f.value.bApproved, f.value.bSubmitted, f.value.bDraft, f.value.bRejected]);
    // Bonn's editor and viewer: all of Bonn's, Minneapolis's approved value, nothing of Köln
    for (const viewer of [editorA, viewerA]) {
      expect(await read(viewer), viewer.role).toEqual({
        a: ownA,
        b: [f.value.bApproved],
        c: [],
        byId: sorted([...ownA, f.value.bApproved]),
        unapprovedOfOthers: 0,
      });
    }
    // Minneapolis's viewer, the other side of the same partnership
    expect(await read(viewerB)).toEqual({
      a: [f.value.aApproved],
      b: ownB,
      c: [],
      byId: sorted([...ownB, f.value.aApproved]),
      unapprovedOfOthers: 0,
    });
    // Köln shares no partnership with either: not even their approved values
    expect(await read(editorC)).toEqual({
      a: [],
      b: [],
      c: sorted([f.value.cApproved, f.value.cSubmitted]),
      byId: sorted([f.value.cApproved, f.value.cSubmitted]),
      unapprovedOfOthers: 0,
    });
  });

  it("lets a city editor read a partner city's approved value, but not change, delete or add one", async () => {
    const changed = await as(editorA, async (trx) => ({
      seen: ids(
        await trx
          .selectFrom('reported_value')
          .select('id')
          .where('id', '=', f.value.bApproved)
          .execute(),
      ),
      updated: Number(
        (
          await trx
            .updateTable('reported_value')
            .set({ numerator: 1, note: 'Changed by the partner' })
            .where('id', 'in', [f.value.bApproved, f.value.bSubmitted])
            .executeTakeFirst()
        ).numUpdatedRows,
      ),
      deleted: Number(
        (await trx.deleteFrom('reported_value').where('city_id', '=', f.city.b).executeTakeFirst())
          .numDeletedRows,
      ),
    }));
    expect(changed).toEqual({ seen: [f.value.bApproved], updated: 0, deleted: 0 });
    for (const status of ['SUBMITTED', 'DRAFT'] as const) {
      await expect(
        as(editorA, (trx) =>
          trx
            .insertInto('reported_value')
            .values({
              indicator_id: f.indicatorU5,
              city_id: f.city.b,
              year: 2026,
              numerator: 1,
              denominator: 2,
              status,
            })
            .execute(),
        ),
        status,
      ).rejects.toMatchObject({ code: '42501' });
    }
    const stored = await handle.db
      .selectFrom('reported_value')
      .select(['id', 'numerator', 'note'])
      .where('city_id', '=', f.city.b)
      .orderBy('id')
      .execute();
    expect(stored.map((row) => row.id)).toEqual(
      sorted([f.value.bApproved, f.value.bSubmitted, f.value.bDraft, f.value.bRejected]),
    );
    expect(stored.every((row) => row.numerator === 10 && row.note === null)).toBe(true);
  });

  it("lets a city editor write its own city's records and its partnerships'", async () => {
    await as(editorA, async (trx) => {
      const department = await trx
        .insertInto('department')
        .values({ city_id: f.city.a, name: 'Klimaschutz', type: 'CLIMATE_PROTECTION' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const exchange = await trx
        .insertInto('exchange')
        .values({
          partnership_id: f.partnership.ab,
          kind: 'TECHNICAL',
          format: 'HYBRID',
          title: 'Follow-up on repair cafés',
          starts_on: '2025-09-01',
          host_city_id: f.city.b,
          participant_count: 8,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('exchange_department')
        .values([
          {
            exchange_id: exchange.id,
            partnership_id: f.partnership.ab,
            department_id: department.id,
            city_id: f.city.a,
          },
          {
            exchange_id: exchange.id,
            partnership_id: f.partnership.ab,
            department_id: f.department.b,
            city_id: f.city.b,
          },
        ])
        .execute();
      await trx
        .insertInto('exchange_topic')
        .values({ exchange_id: exchange.id, topic_code: 'ZERO_WASTE' })
        .execute();
      await trx
        .updateTable('reported_value')
        .set({ numerator: 11 })
        .where('id', '=', f.value.aSubmitted)
        .execute();
      await trx
        .insertInto('audit_entry')
        .values({
          actor_id: f.user.editorA,
          action: 'CREATE',
          entity: 'exchange',
          entity_id: String(exchange.id),
          city_ids: [f.city.a, f.city.b],
        })
        .execute();
      await trx.deleteFrom('exchange').where('id', '=', exchange.id).execute();
      await trx.deleteFrom('department').where('id', '=', department.id).execute();
    });
    const value = await handle.db
      .selectFrom('reported_value')
      .select('numerator')
      .where('id', '=', f.value.aSubmitted)
      .executeTakeFirstOrThrow();
    expect(value.numerator).toBe(11);
  });

  it('lets a city viewer read but write nothing, and its audit trail neither changes nor vanishes', async () => {
    await expect(
      as(viewerA, (trx) =>
        trx
          .insertInto('department')
          .values({ city_id: f.city.a, name: 'Nope', type: 'OTHER' })
          .execute(),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    // a city viewer's role has no right to change anything, not even rows it reads
    await expect(
      as(viewerA, (trx) =>
        trx
          .updateTable('exchange')
          .set({ title: 'Renamed' })
          .where('id', '=', f.exchange.ab)
          .execute(),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(
      as(editorA, (trx) => trx.deleteFrom('audit_entry').execute()),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('shows the Foreign Office approved values only, and SKEW every value', async () => {
    const official = await as(monitor, async (trx) =>
      ids(await trx.selectFrom('reported_value').select('id').execute()),
    );
    expect(official).toEqual(sorted([f.value.aApproved, f.value.bApproved, f.value.cApproved]));
    const all = await as(evaluator, async (trx) => ({
      values: ids(await trx.selectFrom('reported_value').select('id').execute()),
      exchanges: ids(await trx.selectFrom('exchange').select('id').execute()),
    }));
    expect(all.values).toEqual(sorted(Object.values(f.value)));
    expect(all.exchanges).toEqual(sorted([f.exchange.ab, f.exchange.cd]));
    await expect(
      as(monitor, (trx) =>
        trx
          .updateTable('reported_value')
          .set({ status: 'APPROVED' })
          .where('id', '=', f.value.bSubmitted)
          .execute(),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    const stillSubmitted = await handle.db
      .selectFrom('reported_value')
      .select('status')
      .where('id', '=', f.value.bSubmitted)
      .executeTakeFirstOrThrow();
    expect(stillSubmitted.status).toBe('SUBMITTED');
  });

  it('shows nothing to udx_app when no viewer is set (fails closed)', async () => {
    const seen = await handle.db.transaction().execute(async (trx) => {
      await sql`set local role udx_app`.execute(trx);
      return {
        exchanges: await trx.selectFrom('exchange').select('id').execute(),
        departments: await trx.selectFrom('department').select('id').execute(),
        values: await trx.selectFrom('reported_value').select('id').execute(),
        cities: await trx.selectFrom('city').select('id').execute(),
      };
    });
    expect(seen).toEqual({ exchanges: [], departments: [], values: [], cities: [] });
  });

  it('gives a city account the programme totals through the function built for them', async () => {
    const { totals, ownCount } = await as(viewerA, async (trx) => ({
      totals: await findProgrammeTotals(trx),
      ownCount: await trx
        .selectFrom('exchange')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    }));
    expect(ownCount.n).toBe(1);
    expect(totals).toEqual({
      partnerships: 2,
      cities: 4,
      departments: 4,
      exchanges: 2,
      outcomes: 2,
      participants: 42,
    });
    expect(await findProgrammeTotals(handle.db, { from: '2025-04-01', to: '2025-12-31' })).toEqual({
      partnerships: 2,
      cities: 4,
      departments: 4,
      exchanges: 1,
      outcomes: 2,
      participants: 30,
    });
  });
});
