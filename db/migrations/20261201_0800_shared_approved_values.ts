import { type Kysely, sql } from 'kysely';

/**
 * Approved reported values are shared between the cities of a partnership: a figure depends on
 * its scope, never on who looks, so a city account reads its partner cities' APPROVED values
 * besides every value of its own city. Their drafts, submitted and rejected values stay theirs.
 * Only the read policy changes; who may insert, update and delete is as before.
 *
 * `udx_viewer_city_ids()` (the viewer's city and its partner cities) comes from migration
 * `20261127_2300_row_level_security`. Frozen in time: later changes go into new migrations.
 */

const sharedRead = `(udx_viewer_role() IN ('SKEW_EVALUATOR', 'SKEW_ADMIN')
  OR (udx_viewer_role() = 'FOREIGN_OFFICE' AND status = 'APPROVED')
  OR (udx_viewer_role() IN ('CITY_EDITOR', 'CITY_VIEWER') AND (city_id = udx_viewer_city_id()
    OR (status = 'APPROVED' AND city_id = ANY ((SELECT udx_viewer_city_ids())::integer[])))))`;

/** The policy as migration `20261127_2300_row_level_security` wrote it, for `down`. */
const ownCityRead = `(udx_viewer_role() IN ('SKEW_EVALUATOR', 'SKEW_ADMIN')
  OR (udx_viewer_role() = 'FOREIGN_OFFICE' AND status = 'APPROVED')
  OR (udx_viewer_role() IN ('CITY_EDITOR', 'CITY_VIEWER') AND city_id = udx_viewer_city_id()))`;

async function replaceReadPolicy(db: Kysely<unknown>, using: string): Promise<void> {
  await sql.raw('DROP POLICY reported_value_read ON reported_value').execute(db);
  await sql
    .raw(`CREATE POLICY reported_value_read ON reported_value FOR SELECT TO udx_app
      USING (${using})`)
    .execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await replaceReadPolicy(db, sharedRead);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await replaceReadPolicy(db, ownCityRead);
}
