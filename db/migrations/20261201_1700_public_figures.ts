import { type Kysely, sql } from 'kysely';

/**
 * Public figures (README, "Open data and public figures"): the approved figures of the
 * programme, its goals, its SDGs and its partnerships, for readers without an account.
 *
 * Anonymous requests run as `udx_public` instead of `udx_anonymous` where the server publishes
 * figures (`UDX_PUBLIC`). The role reads what the figures are computed from and nothing else:
 * - of the programme's records only the columns the figures and the public lists need
 *   (exchanges and outcomes by title, kind and date; no description, no department's name);
 * - reported values only when APPROVED (a correction proposal never is), and of them only the
 *   figures, no note, no rejection reason, nobody who entered or reviewed them;
 * - no account, session, sign-in failure or audit entry: it has no right on those tables.
 * The `unscoped` policies, which let the connecting role see every row, exclude it as they
 * exclude every request role (migration 20261201_1000).
 *
 * `data_version` learns when the figures last changed (`figures_changed_at`, raised with
 * `figures` by the same trigger), for the open data's `Last-Modified`.
 *
 * Frozen in time: later changes go into new migrations, never into this file.
 */

const PUBLIC = 'udx_public';

/** The request roles of migration 20261201_1000, which the `unscoped` policies exclude. */
const requestRoles = [
  'udx_app',
  'udx_city_viewer',
  'udx_anonymous',
  'udx_foreign_office',
  'udx_skew_evaluator',
  'udx_skew_admin',
  'udx_session',
];

const referenceTables = [
  'sdg_goal',
  'sdg_target',
  'sdg_indicator',
  'topic',
  'topic_sdg',
  'indicator',
  'indicator_sdg',
  'data_set',
  'data_version',
];

/** The columns public figures are computed from, per table; `*` is the whole row. */
const publicColumns: Readonly<Record<string, readonly string[] | '*'>> = {
  city: ['id', 'name', 'country_code', 'region', 'population', 'latitude', 'longitude'],
  partnership: ['id', 'german_city_id', 'partner_city_id', 'twinned_since', 'joined_on', 'status'],
  partnership_city: '*',
  partnership_topic: '*',
  partnership_sdg: '*',
  department: ['id', 'city_id', 'type'],
  exchange: [
    'id',
    'partnership_id',
    'kind',
    'format',
    'title',
    'starts_on',
    'ends_on',
    'host_city_id',
    'participant_count',
    'governance_levels',
  ],
  exchange_department: '*',
  exchange_topic: '*',
  exchange_sdg_target: '*',
  outcome: ['id', 'partnership_id', 'exchange_id', 'kind', 'status', 'title', 'date'],
  outcome_sdg_target: '*',
  reported_value: [
    'id',
    'indicator_id',
    'city_id',
    'year',
    'quarter',
    'value',
    'numerator',
    'denominator',
    'status',
    'corrects_id',
  ],
  target: ['id', 'indicator_id', 'year', 'partnership_id', 'baseline', 'target'],
};

/** The tables under row-level security since migration 20261127_2300. */
const rlsTables = [...Object.keys(publicColumns), 'audit_entry', 'app_user', 'user_session'];

const list = (roles: readonly string[]) => roles.map((role) => `'${role}'`).join(', ');

function grantOf(table: string, columns: readonly string[] | '*'): string {
  const what = columns === '*' ? 'SELECT' : `SELECT (${columns.join(', ')})`;
  return `GRANT ${what} ON ${table} TO ${PUBLIC}`;
}

function readPolicyOf(table: string): string {
  const using = table === 'reported_value' ? `status = 'APPROVED'` : 'true';
  return `CREATE POLICY ${table}_public_read ON ${table} FOR SELECT TO ${PUBLIC} USING (${using})`;
}

function unscopedPolicy(table: string, excluded: readonly string[]): string {
  return `ALTER POLICY ${table}_unscoped ON ${table}
    USING (current_user NOT IN (${list(excluded)}))
    WITH CHECK (current_user NOT IN (${list(excluded)}))`;
}

const bumpFigures = (changedAt: boolean) => `CREATE OR REPLACE FUNCTION udx_bump_figures_version()
  RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  BEGIN
    UPDATE data_version SET figures = figures + 1${changedAt ? ', figures_changed_at = now()' : ''};
    RETURN NULL;
  END $$`;

async function run(db: Kysely<unknown>, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${PUBLIC}') THEN
        CREATE ROLE ${PUBLIC} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`)
    .execute(db);
  // the connecting role switches to it per request (a superuser may anyway)
  await sql
    .raw(`DO $$ BEGIN
      IF NOT pg_has_role(current_user, '${PUBLIC}', 'MEMBER') THEN
        EXECUTE format('GRANT ${PUBLIC} TO %I', current_user);
      END IF;
    END $$`)
    .execute(db);
  await run(db, [
    'ALTER TABLE data_version ADD COLUMN figures_changed_at timestamptz NOT NULL DEFAULT now()',
    bumpFigures(true),
    `GRANT USAGE ON SCHEMA public TO ${PUBLIC}`,
    `GRANT SELECT ON ${referenceTables.join(', ')} TO ${PUBLIC}`,
    ...Object.entries(publicColumns).map(([table, columns]) => grantOf(table, columns)),
    ...rlsTables.map((table) => unscopedPolicy(table, [...requestRoles, PUBLIC])),
    ...Object.keys(publicColumns).map(readPolicyOf),
    `GRANT EXECUTE ON FUNCTION udx_programme_totals(date, date) TO ${PUBLIC}`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    ...Object.keys(publicColumns).map(
      (table) => `DROP POLICY IF EXISTS ${table}_public_read ON ${table}`,
    ),
    ...rlsTables.map((table) => unscopedPolicy(table, requestRoles)),
    bumpFigures(false),
    'ALTER TABLE data_version DROP COLUMN figures_changed_at',
  ]);
  // Rights in this database go; the role itself only when no other database still uses it.
  await sql
    .raw(`DO $$ BEGIN
      IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${PUBLIC}') THEN
        EXECUTE 'DROP OWNED BY ${PUBLIC}';
      END IF;
    END $$`)
    .execute(db);
  await sql
    .raw(`DO $$ BEGIN
      DROP ROLE IF EXISTS ${PUBLIC};
    EXCEPTION WHEN dependent_objects_still_exist THEN NULL;
    END $$`)
    .execute(db);
}
