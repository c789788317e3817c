import type { Db } from '@udx/db/database';
import { sql } from 'kysely';
import { hashPassword } from '../src/auth/password.ts';

/** The account the benchmark signs in with on the synthetic data set (FOREIGN_OFFICE). */
export const BENCH_MONITOR = { email: 'monitor@bench.udx', password: 'udx-bench-2030-monitor' };

export interface SyntheticSize {
  partnerships: number;
  exchangesPerPartnership: number;
}

export interface SyntheticSummary {
  cities: number;
  partnerships: number;
  departments: number;
  exchanges: number;
  outcomes: number;
  reportedValues: number;
}

const DEPARTMENTS_PER_CITY = 6;
const OUTCOMES_PER_PARTNERSHIP = 20;

/**
 * Fills an empty, migrated database with a large synthetic programme, generated in SQL with
 * generate_series so that it takes seconds even at 20,000 exchanges: one German and one partner
 * city per partnership (US and GB alternating), six departments per city, exchanges spread over
 * 2022-01-01 to 2026-11-30 with two departments (one per side), topics and SDG targets each,
 * outcomes, approved reported values for the three reported indicators and programme targets.
 * Every shape the indicator engine reads is present, so dashboard figures are all non-trivial.
 */
export async function insertSyntheticProgramme(
  db: Db,
  size: SyntheticSize,
): Promise<SyntheticSummary> {
  const p = size.partnerships;
  const perP = size.exchangesPerPartnership;
  // every step-th exchange of a partnership yields an outcome
  const step = Math.max(1, Math.floor(perP / OUTCOMES_PER_PARTNERSHIP));
  await db.transaction().execute(async (trx) => {
    const run = (statement: ReturnType<typeof sql>) => statement.execute(trx);
    await run(sql`
      INSERT INTO city (name, country_code, population, latitude, longitude)
      SELECT 'Bench Stadt ' || lpad(i::text, 4, '0'), 'DE', 50000 + i * 1000,
             47.5 + (i % 70) * 0.1, 6.0 + (i % 90) * 0.1
      FROM generate_series(1, ${p}::int) AS i`);
    await run(sql`
      INSERT INTO city (name, country_code, population, latitude, longitude)
      SELECT 'Bench Town ' || lpad(i::text, 4, '0'), CASE WHEN i % 2 = 0 THEN 'GB' ELSE 'US' END,
             40000 + i * 900,
             CASE WHEN i % 2 = 0 THEN 50.5 + (i % 50) * 0.1 ELSE 30.0 + (i % 150) * 0.1 END,
             CASE WHEN i % 2 = 0 THEN -4.0 + (i % 40) * 0.1 ELSE -120.0 + (i % 400) * 0.1 END
      FROM generate_series(1, ${p}::int) AS i`);
    // partnership_city is filled by the partnership trigger
    await run(sql`
      INSERT INTO partnership (german_city_id, partner_city_id, twinned_since, joined_on)
      SELECT g.id, t.id, 1950 + (g.n % 60), DATE '2021-06-01' + (g.n % 300)
      FROM (SELECT id, row_number() OVER (ORDER BY id)::int AS n FROM city WHERE name LIKE 'Bench Stadt %') g
      JOIN (SELECT id, row_number() OVER (ORDER BY id)::int AS n FROM city WHERE name LIKE 'Bench Town %') t
        USING (n)`);
    await run(sql`
      INSERT INTO partnership_topic (partnership_id, topic_code)
      SELECT p.id, t.code
      FROM partnership p
      JOIN (SELECT code, row_number() OVER (ORDER BY position)::int - 1 AS k,
                   count(*) OVER ()::int AS n FROM topic) t
        ON t.k IN (p.id % t.n, (p.id + 2) % t.n)`);
    await run(sql`
      INSERT INTO partnership_sdg (partnership_id, goal)
      SELECT id, g FROM partnership, unnest(ARRAY[11, 17]::smallint[]) AS g`);
    await run(sql`
      INSERT INTO department (city_id, name, type)
      SELECT c.id, d.name, d.type
      FROM city c
      CROSS JOIN (VALUES ('International Office', 'INTERNATIONAL_OFFICE'),
                         ('Environment', 'ENVIRONMENT'),
                         ('Mobility', 'MOBILITY'),
                         ('Urban Planning', 'URBAN_PLANNING'),
                         ('Water', 'WATER'),
                         ('Climate Protection', 'CLIMATE_PROTECTION')) AS d (name, type)
      WHERE c.name LIKE 'Bench %'`);
    // ${perP} exchanges per partnership, spread evenly over 2022-01-01 .. 2026-11-30
    await run(sql`
      INSERT INTO exchange (partnership_id, kind, format, title, starts_on, ends_on, host_city_id,
                            participant_count, governance_levels)
      SELECT p.id,
             CASE WHEN k % 3 = 0 THEN 'POLITICAL' ELSE 'TECHNICAL' END,
             (ARRAY['IN_PERSON', 'VIRTUAL', 'HYBRID'])[1 + k % 3],
             'Exchange ' || k || ' of partnership ' || p.id,
             DATE '2022-01-01' + ((k * 1794) / ${perP}::int + p.id % 17),
             DATE '2022-01-01' + ((k * 1794) / ${perP}::int + p.id % 17 + k % 4),
             CASE WHEN k % 2 = 0 THEN p.german_city_id ELSE p.partner_city_id END,
             5 + (k * 7 + p.id) % 56,
             CASE k % 5 WHEN 0 THEN ARRAY['MUNICIPAL', 'NATIONAL']
                        WHEN 1 THEN ARRAY['SUBNATIONAL']
                        ELSE ARRAY['MUNICIPAL'] END
      FROM partnership p, generate_series(0, ${perP - 1}::int) AS k`);
    // one department of each side per exchange, rotating through the six
    await run(sql`
      WITH numbered AS (
        SELECT e.id, e.partnership_id, row_number() OVER (PARTITION BY e.partnership_id ORDER BY e.id)::int AS k
        FROM exchange e
      ), ranked_department AS (
        SELECT d.id, d.city_id,
               row_number() OVER (PARTITION BY d.city_id ORDER BY d.id)::int - 1 AS r
        FROM department d
      )
      INSERT INTO exchange_department (exchange_id, partnership_id, department_id, city_id)
      SELECT n.id, n.partnership_id, d.id, d.city_id
      FROM numbered n
      JOIN partnership_city pc ON pc.partnership_id = n.partnership_id
      JOIN ranked_department d ON d.city_id = pc.city_id
       AND d.r = (n.k + CASE pc.side WHEN 'GERMAN' THEN 0 ELSE 1 END) % ${DEPARTMENTS_PER_CITY}::int`);
    await run(sql`
      INSERT INTO exchange_topic (exchange_id, topic_code)
      SELECT e.id, t.code
      FROM exchange e
      JOIN (SELECT code, row_number() OVER (ORDER BY position)::int - 1 AS k,
                   count(*) OVER ()::int AS n FROM topic) t
        ON t.k = e.id % t.n OR (e.id % 4 = 0 AND t.k = (e.id + 1) % t.n)`);
    await run(sql`
      INSERT INTO exchange_sdg_target (exchange_id, target_code)
      SELECT e.id, (ARRAY['11.2', '11.6', '13.2', '16.7', '17.17'])[1 + e.id % 5]
      FROM exchange e
      UNION ALL
      SELECT e.id, '17.17' FROM exchange e WHERE e.id % 5 <> 4 AND e.id % 3 = 0`);
    await run(sql`
      WITH numbered AS (
        SELECT e.id, e.partnership_id, e.starts_on,
               row_number() OVER (PARTITION BY e.partnership_id ORDER BY e.id)::int AS k
        FROM exchange e
      )
      INSERT INTO outcome (partnership_id, exchange_id, kind, status, title, date)
      SELECT partnership_id, id,
             (ARRAY['NEW_APPROACH', 'JOINT_PROJECT', 'AGREEMENT', 'POLICY_CHANGE',
                    'KNOWLEDGE_PRODUCT', 'FOLLOW_UP'])[1 + (k / ${step}::int + partnership_id) % 6],
             (ARRAY['PLANNED', 'IN_PROGRESS', 'ACHIEVED', 'ACHIEVED', 'DROPPED'])[1 + (k / ${step}::int) % 5],
             'Outcome of exchange ' || id,
             LEAST(starts_on + 30, DATE '2026-11-30')
      FROM numbered
      WHERE k % ${step}::int = 0`);
    await run(sql`
      INSERT INTO outcome_sdg_target (outcome_id, target_code)
      SELECT id, (ARRAY['11.6', '13.2', '17.17'])[1 + id % 3] FROM outcome`);
    await run(sql`
      INSERT INTO reported_value (indicator_id, city_id, year, value, numerator, denominator, status)
      SELECT i.id, c.id, y,
             CASE WHEN i.unit = 'COUNT' THEN (c.id + y) % 7 END,
             CASE WHEN i.unit = 'PERCENT' THEN 10 + (c.id * 3 + y) % 30 END,
             CASE WHEN i.unit = 'PERCENT' THEN 40 END,
             'APPROVED'
      FROM indicator i
      CROSS JOIN city c
      CROSS JOIN generate_series(2022, 2026) AS y
      WHERE i.source = 'REPORTED' AND c.name LIKE 'Bench %'`);
    await run(sql`
      INSERT INTO target (indicator_id, year, baseline, target)
      SELECT i.id, y, 10 * i.position, 10 * i.position + 5 * (y - 2021)
      FROM indicator i CROSS JOIN generate_series(2022, 2026) AS y`);
    await trx
      .insertInto('app_user')
      .values({
        email: BENCH_MONITOR.email,
        display_name: 'Benchmark monitor',
        role: 'FOREIGN_OFFICE',
        password_hash: await hashPassword(BENCH_MONITOR.password),
      })
      .execute();
  });
  // fresh statistics, as autovacuum would gather them after a bulk load
  await sql`ANALYZE`.execute(db);
  const { rows } = await sql<SyntheticSummary>`
    SELECT (SELECT count(*) FROM city)::int AS cities,
           (SELECT count(*) FROM partnership)::int AS partnerships,
           (SELECT count(*) FROM department)::int AS departments,
           (SELECT count(*) FROM exchange)::int AS exchanges,
           (SELECT count(*) FROM outcome)::int AS outcomes,
           (SELECT count(*) FROM reported_value)::int AS "reportedValues"`.execute(db);
  const summary = rows[0];
  if (!summary) throw new Error('the synthetic data set could not be counted');
  return summary;
}
