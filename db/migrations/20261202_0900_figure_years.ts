import { type Kysely, sql } from 'kysely';

/**
 * Figure versions by year (docs/architecture.md, "Caches and the data version").
 *
 * `data_version.figures` moves with every write to a table figures are computed from, so every
 * kept figure is computed again after any write: at national scale, the overview of last year
 * after an exchange was recorded this year. The records of seven tables are dated (an exchange
 * by its start, an outcome by its date, a reported value by its year, and the rows that belong
 * to an exchange or an outcome by their parent's date), and a figure over a period reads only
 * those dated within the period's years. So besides `figures`:
 * - `figure_year_version` holds a counter per year, raised by every statement that writes a
 *   dated record of that year: for an update, the years of the rows before and after it; for a
 *   row belonging to an exchange or outcome, the year of that parent. AFTER statement triggers
 *   read the rows a statement wrote from its transition tables, one upsert per statement.
 * - `data_version.undated_figures` is raised with `figures` by every statement that writes any
 *   other figure table (cities, partnerships, departments, targets, the catalogues), and by
 *   emptying a dated table (TRUNCATE names no rows).
 * A figure over a period is unchanged while `undated_figures` and the counters of the period's
 * years are: the API keeps it across writes to other years (`figure-cache.ts`).
 *
 * A row of an exchange or outcome deleted with its parent finds no parent to date it by: the
 * parent's own delete has raised that year. The triggers are SECURITY DEFINER, as those of
 * `data_version`, because no request role may change a version otherwise; the connecting role
 * owns the tables and sees every row through their `unscoped` policies.
 *
 * Frozen in time: later changes go into new migrations, never into this file.
 */

/** The dated tables, each with the year of one of its rows `r` and what that needs joined. */
const datedTables: Readonly<Record<string, { year: string; join?: string }>> = {
  exchange: { year: 'extract(year FROM r.starts_on)::integer' },
  exchange_department: {
    year: 'extract(year FROM parent.starts_on)::integer',
    join: 'JOIN exchange AS parent ON parent.id = r.exchange_id',
  },
  exchange_topic: {
    year: 'extract(year FROM parent.starts_on)::integer',
    join: 'JOIN exchange AS parent ON parent.id = r.exchange_id',
  },
  exchange_sdg_target: {
    year: 'extract(year FROM parent.starts_on)::integer',
    join: 'JOIN exchange AS parent ON parent.id = r.exchange_id',
  },
  outcome: { year: 'extract(year FROM r.date)::integer' },
  outcome_sdg_target: {
    year: 'extract(year FROM parent.date)::integer',
    join: 'JOIN outcome AS parent ON parent.id = r.outcome_id',
  },
  reported_value: { year: 'r.year' },
};

/** The other tables figures are computed from (migration 20261201_1500_data_version). */
const undatedTables = [
  'data_set',
  'city',
  'department',
  'partnership',
  'partnership_city',
  'partnership_sdg',
  'partnership_topic',
  'target',
  'indicator',
  'indicator_sdg',
  'sdg_goal',
  'sdg_target',
  'sdg_indicator',
  'topic',
  'topic_sdg',
];

const readingRoles = [
  'udx_anonymous',
  'udx_city_viewer',
  'udx_app',
  'udx_foreign_office',
  'udx_skew_evaluator',
  'udx_skew_admin',
  'udx_session',
  'udx_public',
];

const EVENTS = ['INSERT', 'UPDATE', 'DELETE'] as const;

const definer = 'LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp';

const bumpUndated = `CREATE FUNCTION udx_bump_undated_figures_version() RETURNS trigger ${definer} AS $$
  BEGIN
    UPDATE data_version SET figures = figures + 1, undated_figures = undated_figures + 1,
      figures_changed_at = now();
    RETURN NULL;
  END $$`;

/** The trigger function of a dated table: raises the years of the rows its statement wrote. */
function bumpYears(table: string): string {
  const { year, join = '' } = datedTables[table] as { year: string; join?: string };
  const yearsOf = (rows: 'old_rows' | 'new_rows') => `SELECT ${year} FROM ${rows} AS r ${join}`;
  const raise = (years: string) => `INSERT INTO figure_year_version AS v (year, version)
      SELECT DISTINCT touched.year, 1 FROM (${years}) AS touched (year)
      WHERE touched.year IS NOT NULL
      ON CONFLICT (year) DO UPDATE SET version = v.version + 1`;
  // Each branch names only the transition table its event has: PL/pgSQL plans a statement when
  // it first runs it.
  return `CREATE FUNCTION udx_bump_figure_years_of_${table}() RETURNS trigger ${definer} AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      ${raise(yearsOf('new_rows'))};
    ELSIF TG_OP = 'DELETE' THEN
      ${raise(yearsOf('old_rows'))};
    ELSE
      ${raise(`${yearsOf('old_rows')} UNION ${yearsOf('new_rows')}`)};
    END IF;
    RETURN NULL;
  END $$`;
}

/** A trigger with transition tables takes one event (PostgreSQL's rule): one per event. */
function yearTrigger(table: string, event: (typeof EVENTS)[number]): string {
  const rows = {
    INSERT: 'NEW TABLE AS new_rows',
    UPDATE: 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
    DELETE: 'OLD TABLE AS old_rows',
  }[event];
  return `CREATE TRIGGER figure_years_after_${event.toLowerCase()} AFTER ${event} ON ${table}
    REFERENCING ${rows} FOR EACH STATEMENT EXECUTE FUNCTION udx_bump_figure_years_of_${table}()`;
}

/** The trigger every figure table has (migration 20261201_1500), calling `fn`. */
function figuresTrigger(table: string, fn: string): string[] {
  return [
    `DROP TRIGGER bump_figures_version ON ${table}`,
    `CREATE TRIGGER bump_figures_version BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
  ];
}

async function run(db: Kysely<unknown>, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'ALTER TABLE data_version ADD COLUMN undated_figures bigint NOT NULL DEFAULT 0',
    `CREATE TABLE figure_year_version (
      year integer PRIMARY KEY,
      version bigint NOT NULL
    )`,
    `GRANT SELECT ON figure_year_version TO ${readingRoles.join(', ')}`,
    bumpUndated,
    ...undatedTables.flatMap((table) => figuresTrigger(table, 'udx_bump_undated_figures_version')),
    ...Object.keys(datedTables).flatMap((table) => [
      bumpYears(table),
      ...EVENTS.map((event) => yearTrigger(table, event)),
      `CREATE TRIGGER undated_figures_before_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION udx_bump_undated_figures_version()`,
    ]),
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    ...Object.keys(datedTables).flatMap((table) => [
      ...EVENTS.map(
        (event) => `DROP TRIGGER IF EXISTS figure_years_after_${event.toLowerCase()} ON ${table}`,
      ),
      `DROP TRIGGER IF EXISTS undated_figures_before_truncate ON ${table}`,
      `DROP FUNCTION IF EXISTS udx_bump_figure_years_of_${table}()`,
    ]),
    ...undatedTables.flatMap((table) => figuresTrigger(table, 'udx_bump_figures_version')),
    'DROP FUNCTION IF EXISTS udx_bump_undated_figures_version()',
    'DROP TABLE IF EXISTS figure_year_version',
    'ALTER TABLE data_version DROP COLUMN undated_figures',
  ]);
}
