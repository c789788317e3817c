import { type Kysely, sql } from 'kysely';

/**
 * A city reports an indicator for a year either once for the year (quarter NULL) or per quarter
 * (1 to 4), never both: a year's figure is its yearly value or the aggregate of its quarters,
 * and with both there would be two answers. A REJECTED value holds no grain: a rejected yearly
 * value does not stop the city from reporting that year per quarter, and a rejected row is not
 * checked itself (it is only ever corrected by being submitted again, which is checked).
 *
 * The rule compares rows with each other. An exclusion constraint could say it, but only with
 * the btree_gist extension, which the embedded database does not load; so a trigger checks it
 * on INSERT and UPDATE. It first takes a transaction-level advisory lock on the city: two
 * transactions reporting the two grains at once would otherwise each check before the other's
 * row exists. The second one waits until the first ends and then sees its row: at READ
 * COMMITTED, the isolation udx runs at, each statement of the function reads what was committed
 * before it started. The lock key is the city's id under a first key of its own, so it never
 * meets another advisory lock of udx (the demo loader's). One lock per city, not per indicator
 * and year: a transaction holds its locks until it ends, PostgreSQL's lock table
 * (`max_locks_per_transaction`) bounds how many, and a bulk import of many years of values
 * touches far fewer cities than indicator, city and year keys. Two writers of one city's values
 * wait for each other, which costs nothing at the pace cities report.
 *
 * SECURITY DEFINER so that the rule sees every row of the indicator, city and year, whatever the
 * writer may read. Frozen in time: later changes go into new migrations.
 */

const CONSTRAINT = 'reported_value_one_grain_per_year';

const checkFunction = `CREATE FUNCTION reported_value_one_grain_per_year() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  BEGIN
    IF NEW.status = 'REJECTED' THEN
      RETURN NEW;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('${CONSTRAINT}'), NEW.city_id);
    IF EXISTS (
      SELECT 1 FROM reported_value other
      WHERE other.indicator_id = NEW.indicator_id
        AND other.city_id = NEW.city_id
        AND other.year = NEW.year
        AND other.id IS DISTINCT FROM NEW.id
        AND other.status <> 'REJECTED'
        AND (other.quarter IS NULL) <> (NEW.quarter IS NULL)
    ) THEN
      RAISE EXCEPTION 'city % reports indicator % for % % already', NEW.city_id,
          NEW.indicator_id, NEW.year,
          CASE WHEN NEW.quarter IS NULL THEN 'per quarter' ELSE 'once for the year' END
        USING ERRCODE = 'check_violation', CONSTRAINT = '${CONSTRAINT}',
          HINT = 'A year is reported either once or per quarter, never both.';
    END IF;
    RETURN NEW;
  END $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  // Rows stored before the rule must already keep it: which of two grains is right is a
  // question for the city and SKEW, not for a migration.
  await sql
    .raw(`DO $$
    DECLARE
      broken text;
    BEGIN
      SELECT string_agg(format('%s of %s in %s', i.code, c.name, v.year), '; '
          ORDER BY i.code, c.name, v.year)
        INTO broken
        FROM (SELECT indicator_id, city_id, year FROM reported_value
          WHERE status <> 'REJECTED'
          GROUP BY indicator_id, city_id, year
          HAVING bool_or(quarter IS NULL) AND bool_or(quarter IS NOT NULL)) v
        JOIN indicator i ON i.id = v.indicator_id
        JOIN city c ON c.id = v.city_id;
      IF broken IS NOT NULL THEN
        RAISE EXCEPTION 'reported values mix a yearly value with quarterly ones: %', broken
          USING ERRCODE = 'check_violation', CONSTRAINT = '${CONSTRAINT}',
            HINT = 'Reject or delete the values of one grain (yearly or quarterly) of each, then migrate again.';
      END IF;
    END $$`)
    .execute(db);
  await sql.raw(checkFunction).execute(db);
  await sql
    .raw(`CREATE TRIGGER reported_value_one_grain_per_year
      BEFORE INSERT OR UPDATE ON reported_value
      FOR EACH ROW EXECUTE FUNCTION reported_value_one_grain_per_year()`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw('DROP TRIGGER IF EXISTS reported_value_one_grain_per_year ON reported_value')
    .execute(db);
  await sql.raw('DROP FUNCTION IF EXISTS reported_value_one_grain_per_year()').execute(db);
}
