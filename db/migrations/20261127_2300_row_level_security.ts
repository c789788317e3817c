import { type Kysely, sql } from 'kysely';

/**
 * Defence in depth (docs/methodology.md, "Who sees which figure"; README, "Security and
 * operations"): a city account must never read another city's records, even if a resolver forgets a
 * filter. Requests of city accounts run as the role `udx_app` inside a transaction that sets
 * `udx.role`, `udx.city_id` and `udx.user_id` (see the API's `withViewerScope`); the policies below
 * read those settings. Connections that have not switched to `udx_app` (migrations, sign-in,
 * programme roles) are trusted and unrestricted: a superuser bypasses row security anyway, and
 * FORCE plus the `unscoped` policy gives a non-superuser table owner the same behaviour. Under
 * `udx_app` with no settings, nothing is visible (fail closed).
 *
 * New tables added later get no rights for `udx_app` until a migration grants them.
 * Frozen in time: later changes go into new migrations, never into this file.
 */

const APP_ROLE = 'udx_app';

/** Reference data every signed-in city account reads and nobody in a city changes. */
const referenceTables = [
  'sdg_goal',
  'sdg_target',
  'sdg_indicator',
  'topic',
  'topic_sdg',
  'indicator',
  'indicator_sdg',
  'data_set',
];

// Expressions the policies are built from. The sub-selects around the array functions make
// PostgreSQL evaluate them once per statement instead of once per row.
const programme = 'udx_viewer_is_programme()';
const skew = `udx_viewer_role() IN ('SKEW_EVALUATOR', 'SKEW_ADMIN')`;
const admin = `udx_viewer_role() = 'SKEW_ADMIN'`;
const cityAccount = `udx_viewer_role() IN ('CITY_EDITOR', 'CITY_VIEWER')`;
const cityEditor = `udx_viewer_role() = 'CITY_EDITOR'`;
const ownCity = 'udx_viewer_city_id()';
const ownPartnerships = '((SELECT udx_viewer_partnership_ids())::integer[])';
const visibleCities = '((SELECT udx_viewer_city_ids())::integer[])';
const notReviewed = `status IN ('DRAFT', 'SUBMITTED')`;

interface TablePolicies {
  table: string;
  grants: string;
  read: string;
  /** Who may insert, update and delete which rows; absent = nobody (beyond the grants). */
  write?: string;
  /** Finer rules where insert, update and delete differ. */
  insert?: string;
  update?: { using: string; check: string };
  delete?: string;
}

const inOwnPartnerships = (column: string) =>
  `(${programme} OR (${cityAccount} AND ${column} = ANY ${ownPartnerships}))`;
const editableInOwnPartnerships = (column: string) =>
  `(${admin} OR (${cityEditor} AND ${column} = ANY ${ownPartnerships}))`;
/** A rule on a link table, checked through its exchange or outcome row (which has its own policy). */
const viaExchange = (table: string, rule: (column: string) => string) =>
  `EXISTS (SELECT 1 FROM exchange e WHERE e.id = ${table}.exchange_id AND ${rule('e.partnership_id')})`;
const viaOutcome = (table: string, rule: (column: string) => string) =>
  `EXISTS (SELECT 1 FROM outcome o WHERE o.id = ${table}.outcome_id AND ${rule('o.partnership_id')})`;

const DML = 'SELECT, INSERT, UPDATE, DELETE';

const cityTables: TablePolicies[] = [
  {
    table: 'city',
    grants: DML,
    read: `(${programme} OR (${cityAccount} AND id = ANY ${visibleCities}))`,
    write: admin,
  },
  {
    table: 'partnership',
    grants: DML,
    read: inOwnPartnerships('id'),
    write: admin,
  },
  ...['partnership_city', 'partnership_topic', 'partnership_sdg'].map((table) => ({
    table,
    grants: DML,
    read: inOwnPartnerships('partnership_id'),
    write: admin,
  })),
  {
    // A city reads its own departments and its partner cities' (exchanges name departments
    // of both sides); it changes only its own.
    table: 'department',
    grants: DML,
    read: `(${programme} OR (${cityAccount} AND city_id = ANY ${visibleCities}))`,
    write: `(${admin} OR (${cityEditor} AND city_id = ${ownCity}))`,
  },
  {
    table: 'exchange',
    grants: DML,
    read: inOwnPartnerships('partnership_id'),
    write: editableInOwnPartnerships('partnership_id'),
  },
  {
    table: 'exchange_department',
    grants: DML,
    read: inOwnPartnerships('partnership_id'),
    write: editableInOwnPartnerships('partnership_id'),
  },
  ...['exchange_topic', 'exchange_sdg_target'].map((table) => ({
    table,
    grants: DML,
    read: `(${programme} OR ${viaExchange(table, inOwnPartnerships)})`,
    write: `(${admin} OR ${viaExchange(table, editableInOwnPartnerships)})`,
  })),
  {
    table: 'outcome',
    grants: DML,
    read: inOwnPartnerships('partnership_id'),
    write: editableInOwnPartnerships('partnership_id'),
  },
  {
    table: 'outcome_sdg_target',
    grants: DML,
    read: `(${programme} OR ${viaOutcome('outcome_sdg_target', inOwnPartnerships)})`,
    write: `(${admin} OR ${viaOutcome('outcome_sdg_target', editableInOwnPartnerships)})`,
  },
  {
    // The Foreign Office sees approved values only; a city only its own, and it can never
    // approve or reject (reviews are SKEW's).
    table: 'reported_value',
    grants: DML,
    read: `(${skew} OR (udx_viewer_role() = 'FOREIGN_OFFICE' AND status = 'APPROVED')
      OR (${cityAccount} AND city_id = ${ownCity}))`,
    insert: `(${admin} OR (${cityEditor} AND city_id = ${ownCity} AND ${notReviewed}))`,
    update: {
      using: `(${skew} OR (${cityEditor} AND city_id = ${ownCity}))`,
      check: `(${skew} OR (${cityEditor} AND city_id = ${ownCity} AND ${notReviewed}))`,
    },
    delete: `(${admin} OR (${cityEditor} AND city_id = ${ownCity}))`,
  },
  {
    // Programme-wide targets (no partnership) are shown to everyone signed in.
    table: 'target',
    grants: DML,
    read: `(${programme} OR (${cityAccount}
      AND (partnership_id IS NULL OR partnership_id = ANY ${ownPartnerships})))`,
    write: skew,
  },
  {
    // Append-only: no UPDATE or DELETE right at all. Entries are written in the name of the
    // viewer and, for a city, only about records of its own partnerships.
    table: 'audit_entry',
    grants: 'SELECT, INSERT',
    read: `(${skew} OR (${cityAccount} AND ${ownCity} = ANY (city_ids)))`,
    insert: `(actor_id = udx_viewer_user_id() AND (${skew}
      OR (${cityEditor} AND ${ownCity} = ANY (city_ids) AND city_ids <@ ${visibleCities})))`,
  },
  {
    table: 'app_user',
    grants: DML,
    read: `(${skew} OR id = udx_viewer_user_id()
      OR (${cityAccount} AND city_id = ${ownCity}))`,
    write: admin,
  },
  {
    table: 'user_session',
    grants: 'SELECT, INSERT, UPDATE',
    read: `(${admin} OR user_id = udx_viewer_user_id())`,
    write: `(${admin} OR user_id = udx_viewer_user_id())`,
  },
];

const functions = [
  // The viewer settings, empty strings read as "not set".
  `CREATE FUNCTION udx_viewer_role() RETURNS text LANGUAGE sql STABLE
    AS $$ SELECT nullif(current_setting('udx.role', true), '') $$`,
  `CREATE FUNCTION udx_viewer_city_id() RETURNS integer LANGUAGE sql STABLE
    AS $$ SELECT nullif(current_setting('udx.city_id', true), '')::integer $$`,
  `CREATE FUNCTION udx_viewer_user_id() RETURNS integer LANGUAGE sql STABLE
    AS $$ SELECT nullif(current_setting('udx.user_id', true), '')::integer $$`,
  `CREATE FUNCTION udx_viewer_is_programme() RETURNS boolean LANGUAGE sql STABLE
    AS $$ SELECT coalesce(udx_viewer_role() IN ('FOREIGN_OFFICE', 'SKEW_EVALUATOR', 'SKEW_ADMIN'),
      false) $$`,
  // The partnerships of the viewer's city. SECURITY DEFINER: the policy of partnership_city
  // itself depends on this list, so it must be read without row security.
  `CREATE FUNCTION udx_viewer_partnership_ids() RETURNS integer[] LANGUAGE sql STABLE
    SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT coalesce(array_agg(partnership_id ORDER BY partnership_id), '{}')
      FROM partnership_city WHERE city_id = udx_viewer_city_id() $$`,
  // The viewer's city and its partner cities.
  `CREATE FUNCTION udx_viewer_city_ids() RETURNS integer[] LANGUAGE sql STABLE
    SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT coalesce(array_agg(DISTINCT pc.city_id), '{}') FROM partnership_city pc
      WHERE pc.partnership_id IN (
        SELECT partnership_id FROM partnership_city WHERE city_id = udx_viewer_city_id())
      OR pc.city_id = udx_viewer_city_id() $$`,
  // Programme-wide totals (docs/methodology.md, "Who sees which figure") for every signed-in
  // account, city accounts included: these counts are built for it, so that nobody needs to lift
  // row security to show them. Only aggregates leave the function. The period (by an exchange's
  // start date, an outcome's date) is optional on both ends.
  `CREATE FUNCTION udx_programme_totals(period_from date, period_to date)
    RETURNS TABLE (partnerships integer, cities integer, departments integer,
      exchanges integer, outcomes integer, participants integer)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
      SELECT
        (SELECT count(*)::integer FROM partnership),
        (SELECT count(DISTINCT city_id)::integer FROM partnership_city),
        (SELECT count(*)::integer FROM department
          WHERE city_id IN (SELECT city_id FROM partnership_city)),
        (SELECT count(*)::integer FROM exchange
          WHERE (period_from IS NULL OR starts_on >= period_from)
            AND (period_to IS NULL OR starts_on <= period_to)),
        (SELECT count(*)::integer FROM outcome WHERE status <> 'DROPPED'
          AND (period_from IS NULL OR date >= period_from)
          AND (period_to IS NULL OR date <= period_to)),
        (SELECT coalesce(sum(participant_count), 0)::integer FROM exchange
          WHERE (period_from IS NULL OR starts_on >= period_from)
            AND (period_to IS NULL OR starts_on <= period_to))
    $$`,
];

function policyStatements({ table, grants, read, ...rules }: TablePolicies): string[] {
  const insert = rules.insert ?? rules.write;
  const update = rules.update ?? (rules.write ? { using: rules.write, check: rules.write } : null);
  const remove = rules.delete ?? rules.write;
  const statements = [
    `GRANT ${grants} ON ${table} TO ${APP_ROLE}`,
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
    `CREATE POLICY ${table}_unscoped ON ${table}
      USING (current_user <> '${APP_ROLE}') WITH CHECK (current_user <> '${APP_ROLE}')`,
    `CREATE POLICY ${table}_read ON ${table} FOR SELECT TO ${APP_ROLE} USING (${read})`,
  ];
  if (insert && grants.includes('INSERT')) {
    statements.push(
      `CREATE POLICY ${table}_insert ON ${table} FOR INSERT TO ${APP_ROLE} WITH CHECK (${insert})`,
    );
  }
  if (update && grants.includes('UPDATE')) {
    statements.push(
      `CREATE POLICY ${table}_update ON ${table} FOR UPDATE TO ${APP_ROLE}
        USING (${update.using}) WITH CHECK (${update.check})`,
    );
  }
  if (remove && grants.includes('DELETE')) {
    statements.push(
      `CREATE POLICY ${table}_delete ON ${table} FOR DELETE TO ${APP_ROLE} USING (${remove})`,
    );
  }
  return statements;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  // Roles belong to the whole cluster: several databases (and test runs creating them in
  // parallel) share this one, so creating it must tolerate that it already exists.
  await sql
    .raw(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
        CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`)
    .execute(db);
  // The connecting role switches to udx_app per request, which needs membership (a superuser
  // has it implicitly).
  await sql
    .raw(`DO $$ BEGIN
      IF NOT pg_has_role(current_user, '${APP_ROLE}', 'MEMBER') THEN
        EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
      END IF;
    END $$`)
    .execute(db);
  await sql.raw(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`).execute(db);
  await sql.raw(`GRANT SELECT ON ${referenceTables.join(', ')} TO ${APP_ROLE}`).execute(db);
  await sql.raw(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE}`).execute(db);
  for (const statement of functions) {
    await sql.raw(statement).execute(db);
  }
  for (const table of cityTables) {
    for (const statement of policyStatements(table)) {
      await sql.raw(statement).execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const { table } of cityTables) {
    for (const policy of ['unscoped', 'read', 'insert', 'update', 'delete']) {
      await sql.raw(`DROP POLICY IF EXISTS ${table}_${policy} ON ${table}`).execute(db);
    }
    await sql.raw(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`).execute(db);
    await sql.raw(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`).execute(db);
  }
  for (const fn of [
    'udx_programme_totals(date, date)',
    'udx_viewer_city_ids()',
    'udx_viewer_partnership_ids()',
    'udx_viewer_is_programme()',
    'udx_viewer_user_id()',
    'udx_viewer_city_id()',
    'udx_viewer_role()',
  ]) {
    await sql.raw(`DROP FUNCTION IF EXISTS ${fn}`).execute(db);
  }
  // Rights in this database go; the role itself only when no other database still uses it.
  await sql.raw(`DROP OWNED BY ${APP_ROLE}`).execute(db);
  await sql
    .raw(`DO $$ BEGIN
      DROP ROLE IF EXISTS ${APP_ROLE};
    EXCEPTION WHEN dependent_objects_still_exist THEN NULL;
    END $$`)
    .execute(db);
}
