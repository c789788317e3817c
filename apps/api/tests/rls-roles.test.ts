import type { DatabaseHandle } from '@udx/db/database';
import type { Database } from '@udx/db/schema';
import { createTestDatabase, testEngines } from '@udx/db/testing';
import { sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_ROLES, SESSION_ROLE, withViewerScope } from '../src/auth/row-level-security.ts';
import type { Viewer } from '../src/context.ts';
import { findProgrammeTotals } from '../src/modules/dashboard/dashboard.repository.ts';
import { insertRlsFixture, type RlsFixture, viewerOf } from './rls-fixture.ts';

// The database role of every kind of account, on its own: raw statements in the scope the API
// opens for each request, no application code in between. Each account's rights must hold
// here even if a resolver forgot every check.

type Trx = Transaction<Database>;

const ids = (rows: { id: number }[]) => rows.map((row) => row.id).sort((x, y) => x - y);
const sorted = (values: number[]) => [...values].sort((x, y) => x - y);

/** Tables of the programme with a column every UPDATE may name. */
const programmeColumns: Record<string, string> = {
  city: 'name',
  partnership: 'status',
  partnership_city: 'side',
  partnership_topic: 'topic_code',
  partnership_sdg: 'goal',
  department: 'name',
  exchange: 'title',
  exchange_department: 'city_id',
  exchange_topic: 'topic_code',
  exchange_sdg_target: 'target_code',
  outcome: 'title',
  outcome_sdg_target: 'target_code',
  reported_value: 'note',
  target: 'target',
  audit_entry: 'entity',
  app_user: 'display_name',
  user_session: 'revoked_at',
  sign_in_throttle: 'failures',
  topic: 'name_en',
  indicator: 'name_en',
  sdg_goal: 'title_en',
  data_set: 'description',
};
const programmeTables = Object.keys(programmeColumns).slice(0, 14);

describe.each(testEngines())('database roles of every account on %s', (engine) => {
  let handle: DatabaseHandle;
  let f: RlsFixture;
  let adminId: number;
  const viewers = {} as Record<
    'cityViewer' | 'cityEditor' | 'foreignOffice' | 'evaluator' | 'admin',
    Viewer
  >;

  /** Runs fn in the scope of `viewer` (null: anonymous); rejects with the database's error. */
  const as = <T>(viewer: Viewer | null, fn: (trx: Trx) => Promise<T>) =>
    withViewerScope(handle.db, viewer, fn);
  /** Runs one statement as the viewer and expects PostgreSQL to refuse it for want of rights. */
  const refused = (viewer: Viewer | null, statement: string) =>
    expect(
      as(viewer, (trx) => sql.raw(statement).execute(trx)),
      statement,
    ).rejects.toMatchObject({ code: '42501' });
  /** How many rows a raw UPDATE or DELETE changed as the viewer. */
  const changed = async (viewer: Viewer | null, statement: string) =>
    Number((await as(viewer, (trx) => sql.raw(statement).execute(trx))).numAffectedRows ?? 0);
  const ownerCount = async (table: string) =>
    (
      await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
        handle.db,
      )
    ).rows[0]?.n;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    f = await insertRlsFixture(handle.db);
    adminId = (
      await handle.db
        .insertInto('app_user')
        .values({
          email: 'admin@example.org',
          display_name: 'Admin',
          role: 'SKEW_ADMIN',
          password_hash: 'not a real hash',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await handle.db
      .insertInto('user_session')
      .values({
        user_id: f.user.editorA,
        token_hash: 'a'.repeat(64),
        expires_at: sql`now() + interval '1 day'`,
      })
      .execute();
    await handle.db
      .insertInto('sign_in_throttle')
      .values({ key: 'client:192.0.2.1', failures: 3 })
      .execute();
    viewers.cityViewer = viewerOf(f.user.viewerA, 'CITY_VIEWER', f.city.a);
    viewers.cityEditor = viewerOf(f.user.editorA, 'CITY_EDITOR', f.city.a);
    viewers.foreignOffice = viewerOf(f.user.monitor, 'FOREIGN_OFFICE', null);
    viewers.evaluator = viewerOf(f.user.evaluator, 'SKEW_EVALUATOR', null);
    viewers.admin = viewerOf(adminId, 'SKEW_ADMIN', null);
    // generous: on a loaded machine PGlite starts slowly
  }, 180_000);
  afterAll(async () => {
    await handle?.close();
  });

  it('runs every account as a role of its own, none a superuser or bypassing row security', async () => {
    const cases: Array<[Viewer | null, string]> = [
      [null, 'udx_anonymous'],
      [viewers.cityViewer, 'udx_city_viewer'],
      [viewers.cityEditor, 'udx_app'],
      [viewers.foreignOffice, 'udx_foreign_office'],
      [viewers.evaluator, 'udx_skew_evaluator'],
      [viewers.admin, 'udx_skew_admin'],
    ];
    for (const [viewer, role] of cases) {
      const row = await as(viewer, async (trx) => {
        const { rows } = await sql<{ who: string; superuser: boolean; bypass: boolean }>`select
            current_user as who, rolsuper as superuser, rolbypassrls as bypass
          from pg_roles where rolname = current_user`.execute(trx);
        return rows[0];
      });
      expect(row, role).toEqual({ who: role, superuser: false, bypass: false });
      expect(DATABASE_ROLES[viewer?.role ?? 'ANONYMOUS']).toBe(role);
    }
  });

  it('lets anonymous requests read the reference data and nothing of the programme', async () => {
    const seen = await as(null, async (trx) => ({
      goals: (await trx.selectFrom('sdg_goal').select('number').execute()).length,
      targets: (await trx.selectFrom('sdg_target').select('code').execute()).length,
      topics: (await trx.selectFrom('topic').select('code').execute()).length,
      indicators: (await trx.selectFrom('indicator').select('code').execute()).length,
      dataSets: await trx.selectFrom('data_set').select('name').execute(),
    }));
    expect(seen).toEqual({ goals: 17, targets: 169, topics: 5, indicators: 15, dataSets: [] });
    for (const table of [...programmeTables, 'audit_entry', 'app_user', 'user_session']) {
      await refused(null, `select * from ${table}`);
    }
    await refused(null, 'select * from sign_in_throttle');
    await refused(null, 'select * from udx_programme_totals(null, null)');
    await refused(null, 'select udx_viewer_city_ids()');
    await refused(null, `insert into data_set (name, description) values ('x', 'y')`);
    await refused(null, `update topic set name_en = name_en`);
  });

  it('shows the Foreign Office the whole programme with approved values only, and lets it change nothing', async () => {
    const seen = await as(viewers.foreignOffice, async (trx) => ({
      counts: Object.fromEntries(
        await Promise.all(
          programmeTables
            .filter((table) => table !== 'reported_value')
            .map(async (table) => [
              table,
              (
                await sql<{
                  n: number;
                }>`select count(*)::int as n from ${sql.table(table)}`.execute(trx)
              ).rows[0]?.n,
            ]),
        ),
      ),
      values: ids(await trx.selectFrom('reported_value').select('id').execute()),
      unapproved: await trx
        .selectFrom('reported_value')
        .select('id')
        .where('status', '<>', 'APPROVED')
        .execute(),
      users: ids(await trx.selectFrom('app_user').select('id').execute()),
      totals: await findProgrammeTotals(trx),
    }));
    for (const [table, n] of Object.entries(seen.counts)) {
      expect(n, table).toBe(await ownerCount(table));
    }
    expect(seen.counts.exchange).toBe(2);
    expect(seen.values).toEqual(sorted([f.value.aApproved, f.value.bApproved, f.value.cApproved]));
    expect(seen.unapproved).toEqual([]);
    expect(seen.users).toEqual([f.user.monitor]);
    expect(seen.totals).toEqual(await findProgrammeTotals(handle.db));
    for (const table of ['audit_entry', 'user_session', 'sign_in_throttle']) {
      await refused(viewers.foreignOffice, `select * from ${table}`);
    }
    for (const [table, column] of Object.entries(programmeColumns)) {
      await refused(viewers.foreignOffice, `insert into ${table} default values`);
      await refused(viewers.foreignOffice, `update ${table} set ${column} = ${column}`);
      await refused(viewers.foreignOffice, `delete from ${table}`);
    }
    await refused(
      viewers.foreignOffice,
      `insert into audit_entry (actor_id, action, entity, entity_id)
        values (${f.user.monitor}, 'UPDATE', 'exchange', '1')`,
    );
    await refused(
      viewers.foreignOffice,
      `select id from reported_value where id = ${f.value.aApproved} for update`,
    );
  });

  it('lets SKEW evaluation read everything and review values and set targets, nothing more', async () => {
    const evaluator = viewers.evaluator;
    const seen = await as(evaluator, async (trx) => ({
      values: ids(await trx.selectFrom('reported_value').select('id').execute()),
      users: (await trx.selectFrom('app_user').select('id').execute()).length,
      audit: (await trx.selectFrom('audit_entry').select('id').execute()).length,
      exchanges: ids(await trx.selectFrom('exchange').select('id').execute()),
    }));
    expect(seen).toEqual({
      values: sorted(Object.values(f.value)),
      users: await ownerCount('app_user'),
      audit: await ownerCount('audit_entry'),
      exchanges: sorted([f.exchange.ab, f.exchange.cd]),
    });
    // a review, in its own name, with its audit entry
    await as(evaluator, async (trx) => {
      const reviewed = await trx
        .updateTable('reported_value')
        .set({ status: 'APPROVED', reviewed_by: evaluator.userId, reviewed_at: sql`now()` })
        .where('id', '=', f.value.bSubmitted)
        .returning('status')
        .execute();
      expect(reviewed).toEqual([{ status: 'APPROVED' }]);
      await trx
        .insertInto('audit_entry')
        .values({
          actor_id: evaluator.userId,
          action: 'UPDATE',
          entity: 'reported_value',
          entity_id: String(f.value.bSubmitted),
          city_ids: [f.city.b],
        })
        .execute();
      const target = await trx
        .insertInto('target')
        .values({ indicator_id: f.indicatorU5, year: 2027, partnership_id: null, target: 55 })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('target')
        .set({ target: 58, updated_at: sql`now()` })
        .where('id', '=', target.id)
        .execute();
    });
    const review = await handle.db
      .selectFrom('reported_value')
      .select(['status', 'reviewed_by'])
      .where('id', '=', f.value.bSubmitted)
      .executeTakeFirstOrThrow();
    expect(review).toEqual({ status: 'APPROVED', reviewed_by: evaluator.userId });
    // the figures stay the city's; a review ends APPROVED or REJECTED, in the reviewer's name
    await refused(
      evaluator,
      `update reported_value set numerator = 1 where id = ${f.value.aDraft}`,
    );
    await refused(
      evaluator,
      `update reported_value set status = 'DRAFT', reviewed_by = ${evaluator.userId}
        where id = ${f.value.aSubmitted}`,
    );
    await refused(
      evaluator,
      `update reported_value set status = 'APPROVED', reviewed_by = ${f.user.monitor}
        where id = ${f.value.aSubmitted}`,
    );
    await refused(evaluator, 'insert into reported_value default values');
    await refused(evaluator, `delete from reported_value where id = ${f.value.aDraft}`);
    await refused(evaluator, 'delete from target');
    await refused(evaluator, `update target set indicator_id = indicator_id`);
    await refused(
      evaluator,
      `insert into audit_entry (actor_id, action, entity, entity_id)
        values (${f.user.editorA}, 'UPDATE', 'exchange', '1')`,
    );
    for (const table of programmeTables.filter((t) => t !== 'reported_value' && t !== 'target')) {
      await refused(evaluator, `insert into ${table} default values`);
      await refused(
        evaluator,
        `update ${table} set ${programmeColumns[table]} = ${programmeColumns[table]}`,
      );
      await refused(evaluator, `delete from ${table}`);
    }
    await refused(evaluator, `update app_user set display_name = 'x' where id = ${f.user.editorA}`);
    await refused(evaluator, 'select * from user_session');
    await refused(evaluator, 'select * from sign_in_throttle');
  });

  it('lets SKEW administration change everything the API changes, in its own name', async () => {
    const admin = viewers.admin;
    await as(admin, async (trx) => {
      const city = await trx
        .insertInto('city')
        .values({ name: 'Erfurt', country_code: 'DE' })
        .returning('id')
        .executeTakeFirstOrThrow();
      // the partnership's trigger adds its two cities as the administrator
      const partnership = await trx
        .insertInto('partnership')
        .values({ german_city_id: city.id, partner_city_id: f.city.d })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('partnership_topic')
        .values({ partnership_id: partnership.id, topic_code: 'ZERO_WASTE' })
        .execute();
      await trx
        .insertInto('department')
        .values({ city_id: city.id, name: 'Umweltamt', type: 'ENVIRONMENT' })
        .execute();
      await trx
        .insertInto('reported_value')
        .values({
          indicator_id: f.indicatorU5,
          city_id: city.id,
          year: 2025,
          numerator: 1,
          denominator: 4,
          status: 'APPROVED',
        })
        .execute();
      await trx
        .updateTable('reported_value')
        .set({ note: 'Checked' })
        .where('id', '=', f.value.cApproved)
        .execute();
      const user = await trx
        .insertInto('app_user')
        .values({
          email: 'editor.erfurt@example.org',
          display_name: 'Erfurt',
          role: 'CITY_EDITOR',
          city_id: city.id,
          password_hash: 'not a real hash',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.updateTable('app_user').set({ active: false }).where('id', '=', user.id).execute();
      await trx
        .updateTable('user_session')
        .set({ revoked_at: sql`now()` })
        .where('user_id', '=', f.user.editorA)
        .where('revoked_at', 'is', null)
        .execute();
      await trx.deleteFrom('sign_in_throttle').where('key', 'like', 'client:%').execute();
      await trx
        .insertInto('audit_entry')
        .values({
          actor_id: admin.userId,
          action: 'CREATE',
          entity: 'city',
          entity_id: String(city.id),
          city_ids: [city.id],
        })
        .execute();
      const partnershipCities = await trx
        .selectFrom('partnership_city')
        .select('city_id')
        .where('partnership_id', '=', partnership.id)
        .execute();
      expect(partnershipCities).toHaveLength(2);
    });
    const revoked = await handle.db
      .selectFrom('user_session')
      .select('revoked_at')
      .where('user_id', '=', f.user.editorA)
      .execute();
    expect(revoked.every((row) => row.revoked_at !== null)).toBe(true);
    expect(await ownerCount('sign_in_throttle')).toBe(0);
    // the audit trail stays append-only and in the actor's name; reference data is the loader's
    await refused(
      admin,
      `insert into audit_entry (actor_id, action, entity, entity_id)
        values (${f.user.evaluator}, 'UPDATE', 'exchange', '1')`,
    );
    await refused(admin, 'delete from audit_entry');
    await refused(admin, `update topic set name_en = name_en`);
    await refused(admin, `insert into data_set (name, description) values ('x', 'y')`);
    await refused(admin, 'insert into user_session default values');
  });

  it('lets a city viewer read what its city editor reads and change nothing at all', async () => {
    const read = (viewer: Viewer) =>
      as(viewer, async (trx) => ({
        cities: ids(await trx.selectFrom('city').select('id').execute()),
        exchanges: ids(await trx.selectFrom('exchange').select('id').execute()),
        departments: ids(await trx.selectFrom('department').select('id').execute()),
        values: ids(await trx.selectFrom('reported_value').select('id').execute()),
        targets: (await trx.selectFrom('target').select('id').execute()).length,
        audit: (await trx.selectFrom('audit_entry').select('id').execute()).length,
        totals: await findProgrammeTotals(trx),
      }));
    const viewerSees = await read(viewers.cityViewer);
    expect(viewerSees).toEqual(await read(viewers.cityEditor));
    expect(viewerSees.exchanges).toEqual([f.exchange.ab]);
    for (const table of [...programmeTables, 'audit_entry', 'app_user']) {
      await refused(viewers.cityViewer, `insert into ${table} default values`);
      await refused(
        viewers.cityViewer,
        `update ${table} set ${programmeColumns[table]} = ${programmeColumns[table]}`,
      );
      await refused(viewers.cityViewer, `delete from ${table}`);
    }
    await refused(viewers.cityViewer, 'select * from user_session');
  });

  it("keeps a city editor's approved values from being changed or deleted, and the programme's records from it", async () => {
    const editor = viewers.cityEditor;
    expect(
      await changed(
        editor,
        `update reported_value set numerator = 1, status = 'SUBMITTED' where id = ${f.value.aApproved}`,
      ),
    ).toBe(0);
    expect(
      await changed(editor, `delete from reported_value where id = ${f.value.aApproved}`),
    ).toBe(0);
    // nor locked, which is how the API learns it may not replace it
    const locked = await as(editor, (trx) =>
      sql`select id from reported_value where id = ${f.value.aApproved} for update`.execute(trx),
    );
    expect(locked.rows).toEqual([]);
    const stored = await handle.db
      .selectFrom('reported_value')
      .select(['numerator', 'status'])
      .where('id', '=', f.value.aApproved)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ numerator: 10, status: 'APPROVED' });
    // a draft of its own it may still correct, submit and withdraw
    expect(
      await changed(
        editor,
        `update reported_value set numerator = 9, status = 'SUBMITTED' where id = ${f.value.aDraft}`,
      ),
    ).toBe(1);
    for (const table of [
      'city',
      'partnership',
      'partnership_city',
      'partnership_topic',
      'partnership_sdg',
      'target',
      'app_user',
    ]) {
      await refused(editor, `insert into ${table} default values`);
      await refused(
        editor,
        `update ${table} set ${programmeColumns[table]} = ${programmeColumns[table]}`,
      );
      await refused(editor, `delete from ${table}`);
    }
    await refused(editor, 'select * from user_session');
    await refused(editor, 'select * from sign_in_throttle');
  });

  it('gives the session role accounts, sessions and the sign-in throttle, and nothing of the programme', async () => {
    const asSession = <T>(fn: (trx: Trx) => Promise<T>) =>
      handle.db.transaction().execute(async (trx) => {
        await sql`select set_config('role', ${SESSION_ROLE}, true)`.execute(trx);
        return fn(trx);
      });
    const session = await asSession(async (trx) => {
      const account = await trx
        .selectFrom('app_user')
        .select(['id', 'password_hash', 'active'])
        .where('email', '=', 'monitor@example.org')
        .executeTakeFirstOrThrow();
      const opened = await trx
        .insertInto('user_session')
        .values({
          user_id: account.id,
          token_hash: 'b'.repeat(64),
          expires_at: sql`now() + interval '1 day'`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('user_session')
        .set({ last_seen_at: sql`now()`, revoked_at: sql`now()` })
        .where('id', '=', opened.id)
        .execute();
      await trx
        .insertInto('sign_in_throttle')
        .values({ key: 'client:198.51.100.7', failures: 1 })
        .execute();
      await trx.deleteFrom('sign_in_throttle').where('key', '=', 'client:198.51.100.7').execute();
      return {
        account: account.id,
        users: (await trx.selectFrom('app_user').select('id').execute()).length,
      };
    });
    expect(session).toEqual({ account: f.user.monitor, users: await ownerCount('app_user') });
    const refusedToSession = (statement: string) =>
      expect(
        asSession((trx) => sql.raw(statement).execute(trx)),
        statement,
      ).rejects.toMatchObject({ code: '42501' });
    for (const table of [...programmeTables, 'audit_entry', 'sdg_goal']) {
      await refusedToSession(`select * from ${table}`);
    }
    await refusedToSession(`update app_user set role = 'SKEW_ADMIN'`);
    await refusedToSession(`update user_session set user_id = ${f.user.editorA}`);
    await refusedToSession('delete from user_session');
  });
});
