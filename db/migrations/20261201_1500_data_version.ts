import { type Kysely, sql } from 'kysely';

/**
 * The data version (docs/architecture.md, "Caches and the data version").
 *
 * One row counts the changes to the programme's data (`figures`) and to accounts and sessions
 * (`accounts`). Every statement that writes a table the figures are computed from raises
 * `figures` by one, and every statement that changes an account or ends a session raises
 * `accounts`, by statement-level triggers. Each API process keeps computed figures and checked
 * sessions in memory under the version they were read at, and reads the row at the start of
 * every request: a write through any process, committed, is seen by the next request of every
 * process, because the new version comes with the commit that made it.
 *
 * The triggers fire BEFORE each statement, so a writing transaction locks the row before it
 * locks any row of its own: writers queue on it in one order and cannot deadlock over it. They
 * are SECURITY DEFINER because no request role may change the version otherwise.
 *
 * The audit trail and the sign-in throttle raise nothing: no figure and no session depends on
 * them. A test holds every table of the schema to one of these three kinds.
 *
 * Frozen in time: later changes go into new migrations.
 */

const figureTables = [
  'data_set',
  'city',
  'department',
  'partnership',
  'partnership_city',
  'partnership_sdg',
  'partnership_topic',
  'exchange',
  'exchange_department',
  'exchange_sdg_target',
  'exchange_topic',
  'outcome',
  'outcome_sdg_target',
  'reported_value',
  'target',
  'indicator',
  'indicator_sdg',
  'sdg_goal',
  'sdg_target',
  'sdg_indicator',
  'topic',
  'topic_sdg',
];

const requestRoles = [
  'udx_anonymous',
  'udx_city_viewer',
  'udx_app',
  'udx_foreign_office',
  'udx_skew_evaluator',
  'udx_skew_admin',
  'udx_session',
];

const bump = (column: 'figures' | 'accounts') => `CREATE FUNCTION udx_bump_${column}_version()
  RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  BEGIN
    UPDATE data_version SET ${column} = ${column} + 1;
    RETURN NULL;
  END $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE data_version (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      figures bigint NOT NULL DEFAULT 0,
      accounts bigint NOT NULL DEFAULT 0
    )`,
    'INSERT INTO data_version DEFAULT VALUES',
    `GRANT SELECT ON data_version TO ${requestRoles.join(', ')}`,
    bump('figures'),
    bump('accounts'),
    ...figureTables.map(
      (table) => `CREATE TRIGGER bump_figures_version
        BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION udx_bump_figures_version()`,
    ),
    // a new account or session changes nothing a cached session stands for
    `CREATE TRIGGER bump_accounts_version BEFORE UPDATE OR DELETE OR TRUNCATE ON app_user
      FOR EACH STATEMENT EXECUTE FUNCTION udx_bump_accounts_version()`,
    // a session used again (last_seen_at) is no change either: only its end or expiry is
    `CREATE TRIGGER bump_accounts_version
      BEFORE UPDATE OF revoked_at, expires_at, user_id, token_hash OR DELETE OR TRUNCATE
      ON user_session FOR EACH STATEMENT EXECUTE FUNCTION udx_bump_accounts_version()`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [
    ...figureTables.map((table) => `DROP TRIGGER IF EXISTS bump_figures_version ON ${table}`),
    'DROP TRIGGER IF EXISTS bump_accounts_version ON app_user',
    'DROP TRIGGER IF EXISTS bump_accounts_version ON user_session',
    'DROP FUNCTION IF EXISTS udx_bump_figures_version()',
    'DROP FUNCTION IF EXISTS udx_bump_accounts_version()',
    'DROP TABLE IF EXISTS data_version',
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
