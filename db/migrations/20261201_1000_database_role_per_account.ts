import { type Kysely, sql } from 'kysely';

/**
 * One database role per kind of account (README, "Rights in the database"), so that PostgreSQL
 * refuses what an account may not read or change on every request, not only on those of city
 * accounts. The API runs each GraphQL request in one transaction switched to the role of its
 * viewer (its `openRequestScope`):
 *
 * - nobody signed in, `udx_anonymous`: reads the SDG catalogue, topics, indicators and data
 *   sets; nothing of cities, partnerships, exchanges, values or accounts; writes nothing.
 * - `CITY_VIEWER`, `udx_city_viewer`: reads what its city's editors read; writes nothing.
 * - `CITY_EDITOR`, `udx_app`: reads its city, its partnerships and their shared records
 *   (migrations 20261127_2300 and 20261201_0800); writes its city's departments and reported
 *   values (never an approved one), its partnerships' exchanges and outcomes, their audit
 *   entries.
 * - `FOREIGN_OFFICE`, `udx_foreign_office`: reads the whole programme, reported values only when
 *   APPROVED, and its own account; writes nothing.
 * - `SKEW_EVALUATOR`, `udx_skew_evaluator`: reads the whole programme, drafts included, the
 *   accounts and the audit trail; writes reviews of reported values, targets, its audit entries.
 * - `SKEW_ADMIN`, `udx_skew_admin`: reads everything; writes everything the API changes.
 *
 * Sign-in, sign-out and looking up the session of a request need to read accounts by address
 * and to write sessions, which no account's role may: they switch for that work alone to
 * `udx_session`, which reads accounts and keeps sessions and the sign-in throttle, nothing else.
 *
 * `udx_app` was the role of every city account; from here on it is the city editor's, and it
 * loses the rights no city editor has (cities, partnerships, targets, accounts, sessions). The
 * `unscoped` policies of migration 20261127_2300, which let every role but `udx_app` see all
 * rows, now exclude every role above: the connecting role (table owner, migrations, the command
 * line, the demo loader) stays unrestricted, and each request role sees only what a policy for
 * it allows. The programme roles' policies do not look at `udx.role`: the role is the wall; the
 * settings say only who and which city.
 *
 * Roles belong to the whole cluster, like `udx_app`: creating them tolerates that they exist.
 * Frozen in time: later changes go into new migrations, never into this file.
 */

const CITY_EDITOR = 'udx_app';
const CITY_VIEWER = 'udx_city_viewer';
const ANONYMOUS = 'udx_anonymous';
const FOREIGN_OFFICE = 'udx_foreign_office';
const SKEW_EVALUATOR = 'udx_skew_evaluator';
const SKEW_ADMIN = 'udx_skew_admin';
const SESSION = 'udx_session';

const newRoles = [CITY_VIEWER, ANONYMOUS, FOREIGN_OFFICE, SKEW_EVALUATOR, SKEW_ADMIN, SESSION];
const requestRoles = [CITY_EDITOR, ...newRoles];
const programmeRoles = [FOREIGN_OFFICE, SKEW_EVALUATOR, SKEW_ADMIN];

/** Read by everyone, signed in or not; changed only by the reference data loader. */
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

/** The programme's records, under row-level security since migration 20261127_2300. */
const programmeTables = [
  'city',
  'partnership',
  'partnership_city',
  'partnership_topic',
  'partnership_sdg',
  'department',
  'exchange',
  'exchange_department',
  'exchange_topic',
  'exchange_sdg_target',
  'outcome',
  'outcome_sdg_target',
  'reported_value',
  'target',
];
const rlsTables = [...programmeTables, 'audit_entry', 'app_user', 'user_session'];

/** What a city editor never changes: it keeps reading them. */
const notEditedByCities = [
  'city',
  'partnership',
  'partnership_city',
  'partnership_topic',
  'partnership_sdg',
  'target',
  'app_user',
];

const cityEditor = `udx_viewer_role() = 'CITY_EDITOR'`;
const ownCity = 'city_id = udx_viewer_city_id()';
const self = 'udx_viewer_user_id()';

interface Policy {
  table: string;
  name: string;
  command: 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'ALL';
  to: readonly string[];
  using?: string;
  check?: string;
}

const policies: Policy[] = [
  // The whole programme for the Foreign Office and SKEW, reported values aside.
  ...programmeTables
    .filter((table) => table !== 'reported_value')
    .map(
      (table): Policy => ({
        table,
        name: `${table}_programme_read`,
        command: 'SELECT',
        to: programmeRoles,
        using: 'true',
      }),
    ),
  // Official figures use approved values only; SKEW reviews, so it reads every state.
  {
    table: 'reported_value',
    name: 'reported_value_foreign_office_read',
    command: 'SELECT',
    to: [FOREIGN_OFFICE],
    using: `status = 'APPROVED'`,
  },
  {
    table: 'reported_value',
    name: 'reported_value_skew_read',
    command: 'SELECT',
    to: [SKEW_EVALUATOR],
    using: 'true',
  },
  // A review sets the status and who reviewed, in the reviewer's name; the figures stay the
  // city's (the column rights below say so). The API reviews submitted values only.
  {
    table: 'reported_value',
    name: 'reported_value_review',
    command: 'UPDATE',
    to: [SKEW_EVALUATOR],
    using: 'true',
    check: `status IN ('APPROVED', 'REJECTED') AND reviewed_by = ${self}`,
  },
  {
    table: 'target',
    name: 'target_skew_insert',
    command: 'INSERT',
    to: [SKEW_EVALUATOR],
    check: 'true',
  },
  {
    table: 'target',
    name: 'target_skew_update',
    command: 'UPDATE',
    to: [SKEW_EVALUATOR],
    using: 'true',
    check: 'true',
  },
  {
    table: 'audit_entry',
    name: 'audit_entry_skew_read',
    command: 'SELECT',
    to: [SKEW_EVALUATOR],
    using: 'true',
  },
  {
    table: 'audit_entry',
    name: 'audit_entry_skew_insert',
    command: 'INSERT',
    to: [SKEW_EVALUATOR],
    check: `actor_id = ${self}`,
  },
  // Accounts: the Foreign Office its own (`me`); SKEW every one (the audit trail names them).
  {
    table: 'app_user',
    name: 'app_user_foreign_office_read',
    command: 'SELECT',
    to: [FOREIGN_OFFICE],
    using: `id = ${self}`,
  },
  {
    table: 'app_user',
    name: 'app_user_skew_read',
    command: 'SELECT',
    to: [SKEW_EVALUATOR],
    using: 'true',
  },
  // SKEW administration: every row, within the rights granted below; its audit entries in its
  // own name.
  ...[...programmeTables, 'app_user', 'user_session'].map(
    (table): Policy => ({
      table,
      name: `${table}_admin`,
      command: 'ALL',
      to: [SKEW_ADMIN],
      using: 'true',
      check: 'true',
    }),
  ),
  {
    table: 'audit_entry',
    name: 'audit_entry_admin',
    command: 'ALL',
    to: [SKEW_ADMIN],
    using: 'true',
    check: `actor_id = ${self}`,
  },
  // Signing in finds an account by its address; requests find their session by its token.
  { table: 'app_user', name: 'app_user_session', command: 'SELECT', to: [SESSION], using: 'true' },
  {
    table: 'user_session',
    name: 'user_session_session',
    command: 'ALL',
    to: [SESSION],
    using: 'true',
    check: 'true',
  },
];

/** Rights per role, beyond USAGE on the schema and SELECT on the reference tables. */
const grants: string[] = [
  `GRANT SELECT ON ${[...programmeTables, 'audit_entry', 'app_user'].join(', ')} TO ${CITY_VIEWER}`,
  `GRANT SELECT ON ${programmeTables.join(', ')} TO ${programmeRoles.join(', ')}`,
  `GRANT SELECT ON app_user TO ${FOREIGN_OFFICE}, ${SKEW_EVALUATOR}`,
  `GRANT SELECT, INSERT ON audit_entry TO ${SKEW_EVALUATOR}, ${SKEW_ADMIN}`,
  `GRANT UPDATE (status, rejection_reason, reviewed_by, reviewed_at) ON reported_value
    TO ${SKEW_EVALUATOR}`,
  `GRANT INSERT, UPDATE (baseline, target, updated_at) ON target TO ${SKEW_EVALUATOR}`,
  `GRANT INSERT, UPDATE, DELETE ON ${programmeTables.join(', ')} TO ${SKEW_ADMIN}`,
  `GRANT SELECT, INSERT, UPDATE, DELETE ON app_user TO ${SKEW_ADMIN}`,
  // ending an account's sessions (deactivated, or a new password) and forgetting its failures
  `GRANT SELECT, UPDATE (revoked_at) ON user_session TO ${SKEW_ADMIN}`,
  `GRANT SELECT, DELETE ON sign_in_throttle TO ${SKEW_ADMIN}`,
  `GRANT SELECT ON app_user TO ${SESSION}`,
  `GRANT SELECT, INSERT, UPDATE (last_seen_at, revoked_at) ON user_session TO ${SESSION}`,
  `GRANT SELECT, INSERT, UPDATE, DELETE ON sign_in_throttle TO ${SESSION}`,
];

/** What city editors (`udx_app`) had and lose, given back by `down`. */
const cityEditorRevocations = [
  `REVOKE INSERT, UPDATE, DELETE ON ${notEditedByCities.join(', ')} FROM ${CITY_EDITOR}`,
  `REVOKE ALL ON user_session FROM ${CITY_EDITOR}`,
];
const cityEditorRestorations = [
  `GRANT INSERT, UPDATE, DELETE ON ${notEditedByCities.join(', ')} TO ${CITY_EDITOR}`,
  `GRANT SELECT, INSERT, UPDATE ON user_session TO ${CITY_EDITOR}`,
];

/**
 * A city editor changes its city's values until SKEW approves them; an approved value is
 * neither changed nor deleted by a city any more (the API refused it already). Only city
 * editors use these policies now; the SKEW branches of the old ones are gone with SKEW's
 * requests to roles of their own.
 */
const valueUpdateUsing = `(${cityEditor} AND ${ownCity} AND status <> 'APPROVED')`;
const valueUpdateCheck = `(${cityEditor} AND ${ownCity} AND status IN ('DRAFT', 'SUBMITTED'))`;
const valueDeleteUsing = `(${cityEditor} AND ${ownCity} AND status <> 'APPROVED')`;
/** The same policies as migration 20261127_2300 wrote them, for `down`. */
const oldSkew = `udx_viewer_role() IN ('SKEW_EVALUATOR', 'SKEW_ADMIN')`;
const oldAdmin = `udx_viewer_role() = 'SKEW_ADMIN'`;
const oldNotReviewed = `status IN ('DRAFT', 'SUBMITTED')`;
const oldValueUpdateUsing = `(${oldSkew} OR (${cityEditor} AND ${ownCity}))`;
const oldValueUpdateCheck = `(${oldSkew} OR (${cityEditor} AND ${ownCity} AND ${oldNotReviewed}))`;
const oldValueDeleteUsing = `(${oldAdmin} OR (${cityEditor} AND ${ownCity}))`;

/** Aggregates for everyone signed in; the partnership and city lists the city policies use. */
const signedInFunctions = ['udx_programme_totals(date, date)'];
const cityFunctions = ['udx_viewer_partnership_ids()', 'udx_viewer_city_ids()'];

const list = (roles: readonly string[]) => roles.map((role) => `'${role}'`).join(', ');

function createPolicy({ table, name, command, to, using, check }: Policy): string {
  return `CREATE POLICY ${name} ON ${table} FOR ${command} TO ${to.join(', ')}${
    using ? ` USING (${using})` : ''
  }${check ? ` WITH CHECK (${check})` : ''}`;
}

async function run(db: Kysely<unknown>, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const role of newRoles) {
    await sql
      .raw(`DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN
          CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`)
      .execute(db);
    // the connecting role switches to it per request (a superuser may anyway)
    await sql
      .raw(`DO $$ BEGIN
        IF NOT pg_has_role(current_user, '${role}', 'MEMBER') THEN
          EXECUTE format('GRANT ${role} TO %I', current_user);
        END IF;
      END $$`)
      .execute(db);
  }
  await run(db, [
    `GRANT USAGE ON SCHEMA public TO ${newRoles.join(', ')}`,
    `GRANT SELECT ON ${referenceTables.join(', ')} TO ${newRoles
      .filter((role) => role !== SESSION)
      .join(', ')}`,
    ...grants,
    ...cityEditorRevocations,
    ...rlsTables.map(
      (table) => `ALTER POLICY ${table}_unscoped ON ${table}
        USING (current_user NOT IN (${list(requestRoles)}))
        WITH CHECK (current_user NOT IN (${list(requestRoles)}))`,
    ),
    // city viewers read exactly what city editors read, by the same policies
    ...rlsTables
      .filter((table) => table !== 'user_session')
      .map((table) => `ALTER POLICY ${table}_read ON ${table} TO ${CITY_EDITOR}, ${CITY_VIEWER}`),
    `ALTER POLICY reported_value_update ON reported_value
      USING ${valueUpdateUsing} WITH CHECK ${valueUpdateCheck}`,
    `ALTER POLICY reported_value_delete ON reported_value USING ${valueDeleteUsing}`,
    ...policies.map(createPolicy),
    `REVOKE EXECUTE ON FUNCTION ${[...signedInFunctions, ...cityFunctions].join(', ')} FROM PUBLIC`,
    `GRANT EXECUTE ON FUNCTION ${signedInFunctions.join(', ')}
      TO ${[CITY_EDITOR, CITY_VIEWER, ...programmeRoles].join(', ')}`,
    `GRANT EXECUTE ON FUNCTION ${cityFunctions.join(', ')} TO ${CITY_EDITOR}, ${CITY_VIEWER}`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    ...policies.map(({ table, name }) => `DROP POLICY IF EXISTS ${name} ON ${table}`),
    `ALTER POLICY reported_value_update ON reported_value
      USING ${oldValueUpdateUsing} WITH CHECK ${oldValueUpdateCheck}`,
    `ALTER POLICY reported_value_delete ON reported_value USING ${oldValueDeleteUsing}`,
    ...rlsTables
      .filter((table) => table !== 'user_session')
      .map((table) => `ALTER POLICY ${table}_read ON ${table} TO ${CITY_EDITOR}`),
    ...rlsTables.map(
      (table) => `ALTER POLICY ${table}_unscoped ON ${table}
        USING (current_user <> '${CITY_EDITOR}') WITH CHECK (current_user <> '${CITY_EDITOR}')`,
    ),
    ...cityEditorRestorations,
    `GRANT EXECUTE ON FUNCTION ${[...signedInFunctions, ...cityFunctions].join(', ')} TO PUBLIC`,
  ]);
  // Rights in this database go; a role itself only when no other database still uses it.
  for (const role of newRoles) {
    await sql
      .raw(`DO $$ BEGIN
        IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN
          EXECUTE 'DROP OWNED BY ${role}';
        END IF;
      END $$`)
      .execute(db);
    await sql
      .raw(`DO $$ BEGIN
        DROP ROLE IF EXISTS ${role};
      EXCEPTION WHEN dependent_objects_still_exist THEN NULL;
      END $$`)
      .execute(db);
  }
}
