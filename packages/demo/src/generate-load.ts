import { hash } from '@node-rs/argon2';
import type { Database } from '@udx/db/schema';
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { DEMO_PASSWORD } from './accounts.ts';
import { type GeneratedPlan, generatedTargets, generatedValues } from './generate.ts';
import { DEMO_DATA_SET_NAME } from './load-demo.ts';
import { cityKey } from './twin-towns.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

/** The name under which generated data records itself in table `data_set`. */
export const GENERATED_DATA_SET_NAME = 'generated';

/** The tables of programme data, each with its `is_demo` mark. */
const MARKED_TABLES = [
  'city',
  'partnership',
  'department',
  'exchange',
  'outcome',
  'reported_value',
  'target',
  'app_user',
] as const;

/** How many rows of each table a database holds: demo ones and others. */
export interface HeldData {
  demo: number;
  other: Record<string, number>;
}

/** What the database holds of programme data and accounts, marked demo or not. */
export async function heldData(db: Db): Promise<HeldData> {
  const counts: { table: string; demo: number; other: number }[] = [];
  for (const table of MARKED_TABLES) {
    const { rows } = await sql<{ demo: string; other: string }>`
      SELECT count(*) FILTER (WHERE is_demo) AS demo, count(*) FILTER (WHERE NOT is_demo) AS other
      FROM ${sql.table(table)}`.execute(db);
    counts.push({ table, demo: Number(rows[0]?.demo ?? 0), other: Number(rows[0]?.other ?? 0) });
  }
  const { rows } = await sql<{ sets: string }>`
    SELECT count(*) AS sets FROM data_set
    WHERE name IN (${DEMO_DATA_SET_NAME}, ${GENERATED_DATA_SET_NAME})`.execute(db);
  return {
    demo: counts.reduce((sum, c) => sum + c.demo, 0) + Number(rows[0]?.sets ?? 0),
    other: Object.fromEntries(counts.filter((c) => c.other > 0).map((c) => [c.table, c.other])),
  };
}

/** The database holds something that stops the generator; the message says what. */
export class GenerateRefusal extends Error {}

/** Where the generator has got to: rows written of all, and what it does (the table it writes). */
export type GenerateProgress = (written: number, total: number, table: string) => void;

/** Rows per INSERT: its parameters stay far below PostgreSQL's 65,535 per statement. */
const PARAMETERS_PER_INSERT = 30_000;

/**
 * Writes a generated data set into the database, every row marked `is_demo`, with the demo
 * accounts. Refuses (GenerateRefusal, nothing changed) a database that holds data not marked
 * demo; one that holds demo or generated data unless `replace`, which first removes it all.
 * Removal and rows are written in one transaction (a generator stopped half-way leaves the
 * database as it was), except the values of cities beyond the first thousand at the national
 * scale: they follow in transactions of their own, and a stop among them leaves the data set
 * without some of its values (`--replace` writes it again).
 */
export async function writeGeneratedDataSet(
  db: Db,
  plan: GeneratedPlan,
  options: { replace: boolean; onProgress?: GenerateProgress },
): Promise<void> {
  const passwordHash = await hash(DEMO_PASSWORD);
  const writer = await db.transaction().execute(async (trx) => {
    const held = await heldData(trx);
    const other = Object.entries(held.other);
    if (other.length > 0) {
      throw new GenerateRefusal(
        `The database holds data that is not demo data (${other
          .map(([table, n]) => `${table}: ${n}`)
          .join(', ')}); generate writes only into a database without it, and never removes it.`,
      );
    }
    if (held.demo > 0) {
      if (!options.replace) {
        throw new GenerateRefusal(
          'The database holds demo or generated data already; add --replace to remove it first.',
        );
      }
      // half a minute at the national scale: say what is going on before the first row
      options.onProgress?.(0, rowCount(plan), 'removing the demo data there first');
      await removeDemoData(trx);
    }
    return insertPlan(trx, plan, passwordHash, options.onProgress ?? (() => {}));
  });
  // The rest of the values, if any, a thousand cities per transaction (see insertPlan).
  for (let more = writer.more; more; ) {
    more = await db.transaction().execute((trx) => writer.values(trx));
  }
  // The planner's statistics of the tables just filled. Without them (autovacuum off, or not
  // run yet) it plans the figures' statements as for empty tables: on the national data set the
  // breakdown's totals took 20 s a statement instead of well under one (README, "Caches and what
  // a figure costs"). VACUUM marks the new rows visible to all in the tables' visibility maps, as
  // autovacuum would later: until then an index-only scan reads every row's heap page as well
  // (the year's 86,000 exchange–department links at national scale).
  await sql`VACUUM (ANALYZE)`.execute(db);
}

/**
 * Cities whose values one transaction writes. PostgreSQL's trigger of one grain per year takes
 * an advisory lock per city until the transaction ends, and its lock table holds some thousands
 * (`max_locks_per_transaction` × connections): the national scale's 10,000 cities do not fit.
 */
const VALUE_CITIES_PER_TRANSACTION = 1_000;

/**
 * Removes every demo row, children before parents. The audit trail is append-only: when it
 * names a demo account, the account cannot go, and the generator says so.
 */
async function removeDemoData(trx: Trx): Promise<void> {
  const { rows } = await sql<{ named: boolean }>`
    SELECT EXISTS (
      SELECT 1 FROM audit_entry a JOIN app_user u ON u.id = a.actor_id WHERE u.is_demo
    ) AS named`.execute(trx);
  if (rows[0]?.named) {
    throw new GenerateRefusal(
      'The audit trail names demo accounts (it is append-only): their data cannot be replaced.',
    );
  }
  await sql`DELETE FROM reported_value WHERE is_demo`.execute(trx);
  await sql`DELETE FROM target WHERE is_demo`.execute(trx);
  // topics, SDG targets and departments of exchanges and outcomes go with them (ON DELETE CASCADE)
  await sql`DELETE FROM outcome WHERE is_demo`.execute(trx);
  await sql`DELETE FROM exchange WHERE is_demo`.execute(trx);
  await sql`DELETE FROM department WHERE is_demo`.execute(trx);
  await sql`DELETE FROM partnership WHERE is_demo`.execute(trx);
  await sql`DELETE FROM app_user WHERE is_demo`.execute(trx);
  await sql`DELETE FROM city WHERE is_demo`.execute(trx);
  await sql`DELETE FROM data_set WHERE name IN (${DEMO_DATA_SET_NAME}, ${GENERATED_DATA_SET_NAME})`.execute(
    trx,
  );
}

/**
 * Takes `count` ids of a table's identity in one step, so that rows can be written with their
 * ids known beforehand (OVERRIDING SYSTEM VALUE): children refer to parents by position in the
 * plan, whatever order the database returns rows in. Returns the first.
 */
async function reserveIds(trx: Trx, table: string, count: number): Promise<number> {
  if (count === 0) return 0;
  const { rows } = await sql<{ first: string }>`
    SELECT setval(pg_get_serial_sequence(${table}, 'id'),
                  nextval(pg_get_serial_sequence(${table}, 'id')) + ${count - 1}) - ${count - 1}
      AS first`.execute(trx);
  return Number(rows[0]?.first);
}

type Cell = string | number | boolean | null | readonly string[];

/**
 * Writes the plan, table after table, as multi-row INSERTs in chunks, and the values of the first
 * {@link VALUE_CITIES_PER_TRANSACTION} cities (at the tiny and programme scales all of them).
 * Returns the writer of the next cities' values, each call in a transaction of its own, which
 * answers whether more are left.
 */
async function insertPlan(
  firstTrx: Trx,
  plan: GeneratedPlan,
  passwordHash: string,
  onProgress: GenerateProgress,
): Promise<{ more: boolean; values(trx: Trx): Promise<boolean> }> {
  let trx = firstTrx;
  const total = rowCount(plan);
  let written = 0;
  const insert = async (
    table: string,
    columns: readonly string[],
    rows: Iterable<Cell[]>,
    withIds = false,
  ) => {
    const perChunk = Math.floor(PARAMETERS_PER_INSERT / columns.length);
    let chunk: Cell[][] = [];
    const flush = async () => {
      if (chunk.length === 0) return;
      const values = sql.join(chunk.map((row) => sql`(${sql.join(row.map(cellOf))})`));
      const names = sql.join(columns.map((c) => sql.id(c)));
      const overriding: RawBuilder<unknown> = withIds ? sql`OVERRIDING SYSTEM VALUE` : sql.raw('');
      await sql`INSERT INTO ${sql.table(table)} (${names}) ${overriding} VALUES ${values}`.execute(
        trx,
      );
      written += chunk.length;
      onProgress(written, total, table);
      chunk = [];
    };
    for (const row of rows) {
      chunk.push(row);
      if (chunk.length >= perChunk) await flush();
    }
    await flush();
  };

  await trx
    .insertInto('data_set')
    .values({ name: GENERATED_DATA_SET_NAME, description: generatedDescription(plan) })
    .execute();

  const firstCity = await reserveIds(trx, 'city', plan.cities.length);
  const cityIds = new Map(plan.cities.map((c, i) => [c.key, firstCity + i]));
  const cityId = (key: string) => {
    const id = cityIds.get(key);
    if (id === undefined) throw new Error(`Generated data: no city ${key}`);
    return id;
  };
  await insert(
    'city',
    ['id', 'name', 'country_code', 'region', 'latitude', 'longitude', 'is_demo'],
    plan.cities.map((c) => [
      cityId(c.key),
      c.name,
      c.countryCode,
      c.region,
      c.latitude,
      c.longitude,
      true,
    ]),
    true,
  );

  const firstPartnership = await reserveIds(trx, 'partnership', plan.partnerships.length);
  await insert(
    'partnership',
    ['id', 'german_city_id', 'partner_city_id', 'twinned_since', 'joined_on', 'status', 'is_demo'],
    plan.partnerships.map((p, i) => [
      firstPartnership + i,
      cityId(p.germanCity),
      cityId(p.partnerCity),
      p.twinnedSince,
      p.joinedOn,
      p.status,
      true,
    ]),
    true,
  );
  await insert(
    'partnership_topic',
    ['partnership_id', 'topic_code'],
    plan.partnerships.flatMap((p, i) => p.topics.map((t) => [firstPartnership + i, t])),
  );
  await insert(
    'partnership_sdg',
    ['partnership_id', 'goal'],
    plan.partnerships.flatMap((p, i) => p.sdgs.map((g) => [firstPartnership + i, g])),
  );

  const firstDepartment = await reserveIds(trx, 'department', plan.departments.length);
  await insert(
    'department',
    ['id', 'city_id', 'name', 'type', 'is_demo'],
    plan.departments.map((d, i) => [firstDepartment + i, cityId(d.city), d.name, d.type, true]),
    true,
  );

  const firstUser = await reserveIds(trx, 'app_user', plan.accounts.length);
  const userIds = new Map(plan.accounts.map((a, i) => [a.email, firstUser + i]));
  await insert(
    'app_user',
    ['id', 'email', 'display_name', 'role', 'city_id', 'password_hash', 'is_demo'],
    plan.accounts.map((a, i) => [
      firstUser + i,
      a.email,
      a.displayName,
      a.role,
      a.city ? cityId(cityKey(a.city)) : null,
      passwordHash,
      true,
    ]),
    true,
  );

  const firstExchange = await reserveIds(trx, 'exchange', plan.exchanges.length);
  await insert(
    'exchange',
    [
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
      'is_demo',
    ],
    plan.exchanges.map((e, i) => [
      firstExchange + i,
      firstPartnership + e.partnership,
      e.kind,
      e.format,
      e.title,
      e.startsOn,
      e.endsOn,
      cityId(e.hostCity),
      e.participantCount,
      e.governanceLevels,
      true,
    ]),
    true,
  );
  const departmentCity = plan.departments.map((d) => cityId(d.city));
  await insert(
    'exchange_department',
    ['exchange_id', 'partnership_id', 'department_id', 'city_id'],
    (function* () {
      for (const [i, e] of plan.exchanges.entries()) {
        for (const d of e.departments) {
          yield [
            firstExchange + i,
            firstPartnership + e.partnership,
            firstDepartment + d,
            departmentCity[d] ?? null,
          ];
        }
      }
    })(),
  );
  await insert(
    'exchange_topic',
    ['exchange_id', 'topic_code'],
    (function* () {
      for (const [i, e] of plan.exchanges.entries())
        for (const t of e.topics) yield [firstExchange + i, t];
    })(),
  );
  await insert(
    'exchange_sdg_target',
    ['exchange_id', 'target_code'],
    (function* () {
      for (const [i, e] of plan.exchanges.entries())
        for (const t of e.sdgTargets) yield [firstExchange + i, t];
    })(),
  );

  const firstOutcome = await reserveIds(trx, 'outcome', plan.outcomes.length);
  await insert(
    'outcome',
    [
      'id',
      'partnership_id',
      'exchange_id',
      'kind',
      'status',
      'title',
      'description',
      'date',
      'is_demo',
    ],
    plan.outcomes.map((o, i) => [
      firstOutcome + i,
      firstPartnership + o.partnership,
      o.exchange === null ? null : firstExchange + o.exchange,
      o.kind,
      o.status,
      o.title,
      o.description,
      o.date,
      true,
    ]),
    true,
  );
  await insert(
    'outcome_sdg_target',
    ['outcome_id', 'target_code'],
    (function* () {
      for (const [i, o] of plan.outcomes.entries())
        for (const t of o.sdgTargets) yield [firstOutcome + i, t];
    })(),
  );

  const indicatorRows = await trx.selectFrom('indicator').select(['id', 'code']).execute();
  const indicatorIds = new Map(indicatorRows.map((r) => [r.code, r.id]));
  await insert(
    'target',
    ['indicator_id', 'year', 'partnership_id', 'baseline', 'target', 'is_demo'],
    generatedTargets(plan).map((t) => [
      indicatorIds.get(t.indicatorCode) ?? null,
      t.year,
      null,
      t.baseline,
      t.target,
      true,
    ]),
  );
  const userId = (email: string | null) => (email === null ? null : (userIds.get(email) ?? null));
  const cities = generatedValues(plan);
  let citiesLeft = true;
  const values = async (next: Trx): Promise<boolean> => {
    trx = next;
    await insert(
      'reported_value',
      [
        'indicator_id',
        'city_id',
        'year',
        'quarter',
        'value',
        'numerator',
        'denominator',
        'note',
        'status',
        'rejection_reason',
        'entered_by',
        'entered_at',
        'reviewed_by',
        'reviewed_at',
        'is_demo',
      ],
      (function* () {
        for (let n = 0; n < VALUE_CITIES_PER_TRANSACTION; n++) {
          const city = cities.next();
          if (city.done) {
            citiesLeft = false;
            return;
          }
          for (const v of city.value) {
            yield [
              indicatorIds.get(v.indicatorCode) ?? null,
              cityId(v.city),
              v.year,
              v.quarter,
              v.value,
              v.numerator,
              v.denominator,
              v.note,
              v.status,
              v.rejectionReason,
              userId(v.enteredBy),
              v.enteredAt,
              userId(v.reviewedBy),
              v.reviewedAt,
              true,
            ];
          }
        }
      })(),
    );
    return citiesLeft;
  };
  const more = await values(firstTrx);
  return { more, values };
}

/** How many rows the plan writes, links included, for the progress shown. */
function rowCount(plan: GeneratedPlan): number {
  const sum = <T>(items: readonly T[], size: (item: T) => number) =>
    items.reduce((total, item) => total + size(item), 0);
  return (
    plan.cities.length +
    sum(plan.partnerships, (p) => 1 + p.topics.length + p.sdgs.length) +
    plan.departments.length +
    plan.accounts.length +
    sum(plan.exchanges, (e) => 1 + e.departments.length + e.topics.length + e.sdgTargets.length) +
    sum(plan.outcomes, (o) => 1 + o.sdgTargets.length) +
    plan.targetCount +
    plan.valueCount
  );
}

/** A cell as a query parameter; a list (governance levels) as a text array. */
function cellOf(cell: Cell): RawBuilder<unknown> {
  if (Array.isArray(cell)) return sql`${cell}::text[]`;
  return sql`${cell}`;
}

function generatedDescription(plan: GeneratedPlan): string {
  return (
    `Generated data set, scale ${plan.scale}, seed ${plan.seed}: ${plan.partnerships.length} ` +
    `partnerships of ${plan.cities.length} cities with synthetic programme figures. The first ` +
    'partnerships are real twin-town pairs; every figure is invented and describes no real activity.'
  );
}

export { planGeneratedDataSet, SCALES, type Scale } from './generate.ts';
