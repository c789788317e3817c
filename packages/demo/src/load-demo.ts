import { hash } from '@node-rs/argon2';
import type { Database } from '@udx/db/schema';
import { type Kysely, sql, type Transaction } from 'kysely';
import { DEMO_PASSWORD } from './accounts.ts';
import { type DemoPlan, planDemoDataSet } from './plan.ts';
import { cityKey } from './twin-towns.ts';

/** The name under which the demo data set records itself in table `data_set`. */
export const DEMO_DATA_SET_NAME = 'demo';

export const DEMO_DATA_SET_DESCRIPTION =
  'Demo data set: real twin-town pairs of German, US and UK cities with synthetic programme ' +
  'figures (departments, exchanges, outcomes, reported values, targets). The figures are ' +
  'invented for demonstration and describe no real activity of these cities.';

/** What the demo data set brought, for start-up messages. */
export interface DemoSummary {
  cities: number;
  partnerships: number;
  departments: number;
  exchanges: number;
  outcomes: number;
  reportedValues: number;
  targets: number;
  users: number;
}

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

/** Serialises concurrent loads (two servers starting on one empty database). */
const LOAD_LOCK = 2030_1127;

/** Rows per INSERT: far below PostgreSQL's 65,535 parameters per statement. */
const CHUNK = 500;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/**
 * Loads the demo data set in one transaction: cities, partnerships, departments, exchanges,
 * outcomes, reported values, targets and the demo accounts, every row marked `is_demo`, and
 * records it in `data_set`. Fails, changing nothing, if the database holds it already or its
 * cities or accounts clash with rows there.
 */
export async function loadDemoDataSet(db: Db): Promise<DemoSummary> {
  const passwordHash = await hash(DEMO_PASSWORD);
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOAD_LOCK})`.execute(trx);
    const loaded = await trx
      .selectFrom('data_set')
      .select('name')
      .where('name', '=', DEMO_DATA_SET_NAME)
      .executeTakeFirst();
    if (loaded) throw new Error('The demo data set is loaded already');
    return insertDemoDataSet(trx, planDemoDataSet(), passwordHash);
  });
}

/**
 * Loads the demo data set if the database holds no data yet (no city, no partnership and no
 * user); otherwise leaves it untouched. Safe when several processes start at once.
 */
export async function loadDemoDataSetIfEmpty(
  db: Db,
): Promise<{ loaded: boolean; summary?: DemoSummary }> {
  // Most starts find data: answer them without paying for a password hash.
  if (!(await isEmpty(db))) return { loaded: false };
  const passwordHash = await hash(DEMO_PASSWORD);
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOAD_LOCK})`.execute(trx);
    if (!(await isEmpty(trx))) return { loaded: false };
    const summary = await insertDemoDataSet(trx, planDemoDataSet(), passwordHash);
    return { loaded: true, summary };
  });
}

/**
 * Whether the database holds any of the demo data set: its `data_set` record or a demo
 * account. A production server refuses to start when it does.
 */
export async function isDemoDataPresent(db: Db): Promise<boolean> {
  const { rows } = await sql<{ present: boolean }>`
    /* demo: is demo data present */
    SELECT EXISTS (SELECT 1 FROM data_set WHERE name = ${DEMO_DATA_SET_NAME})
        OR EXISTS (SELECT 1 FROM app_user WHERE is_demo) AS present`.execute(db);
  return rows[0]?.present === true;
}

async function isEmpty(db: Db | Trx): Promise<boolean> {
  const { rows } = await sql<{ empty: boolean }>`
    /* demo: is the database empty */
    SELECT NOT EXISTS (SELECT 1 FROM city)
       AND NOT EXISTS (SELECT 1 FROM partnership)
       AND NOT EXISTS (SELECT 1 FROM app_user) AS empty`.execute(db);
  return rows[0]?.empty === true;
}

/** Looks an id up by key, failing loudly: a missing key is a bug in the plan. */
function idOf(ids: ReadonlyMap<string, number>, key: string): number {
  const id = ids.get(key);
  if (id === undefined) throw new Error(`Demo data set: nothing inserted for ${key}`);
  return id;
}

/** The database id of the plan's item at a position (`DemoPlan` refers to items by position). */
type IdAt = (position: number) => number;

/** Where the plan's departments were inserted: their ids and cities, by plan position. */
type InsertedDepartment = { id: number; cityId: number };

/**
 * Inserts the plan in dependency order, each table after the ones its rows refer to. The order
 * also fixes the ids the rows get, so that every load of the data set gives the same rows.
 * Inserted rows are matched to the plan by natural key, not by the order RETURNING gives.
 */
async function insertDemoDataSet(
  trx: Trx,
  plan: DemoPlan,
  passwordHash: string,
): Promise<DemoSummary> {
  await recordDemoDataSet(trx);
  const cityIds = await insertCities(trx, plan);
  const partnershipId = await insertPartnerships(trx, plan, cityIds);
  const departments = await insertDepartments(trx, plan, cityIds);
  const userIds = await insertAccounts(trx, plan, cityIds, passwordHash);
  const exchangeId = await insertExchanges(trx, plan, cityIds, partnershipId);
  await insertExchangeLinks(trx, plan, departments, partnershipId, exchangeId);
  await insertOutcomes(trx, plan, partnershipId, exchangeId);
  const indicatorIds = await indicatorIdsByCode(trx);
  await insertReportedValues(trx, plan, indicatorIds, cityIds, userIds);
  await insertTargets(trx, plan, indicatorIds, partnershipId);
  return summaryOf(plan);
}

/** The `data_set` record, by which a later start knows the demo data set is loaded. */
async function recordDemoDataSet(trx: Trx): Promise<void> {
  await trx
    .insertInto('data_set')
    .values({ name: DEMO_DATA_SET_NAME, description: DEMO_DATA_SET_DESCRIPTION })
    .execute();
}

/** The cities; returns their ids by `cityKey`, the key the plan refers to them by. */
async function insertCities(trx: Trx, plan: DemoPlan): Promise<Map<string, number>> {
  const cityIds = new Map<string, number>();
  const cityRows = await trx
    .insertInto('city')
    .values(
      plan.cities.map((c) => ({
        name: c.name,
        country_code: c.countryCode,
        region: c.region,
        // Left empty: the demo data set invents no population figures for real cities.
        population: null,
        latitude: c.latitude,
        longitude: c.longitude,
        is_demo: true,
      })),
    )
    .returning(['id', 'name', 'country_code'])
    .execute();
  for (const r of cityRows)
    cityIds.set(cityKey({ countryCode: r.country_code, name: r.name }), r.id);
  return cityIds;
}

/**
 * The partnerships with their topics and SDGs; returns the id of each by plan position, as the
 * plan's exchanges, outcomes and targets refer to them.
 */
async function insertPartnerships(
  trx: Trx,
  plan: DemoPlan,
  cityIds: ReadonlyMap<string, number>,
): Promise<IdAt> {
  const partnershipKey = (german: number, partner: number) => `${german}|${partner}`;
  const partnershipRows = await trx
    .insertInto('partnership')
    .values(
      plan.partnerships.map((p) => ({
        german_city_id: idOf(cityIds, p.germanCity),
        partner_city_id: idOf(cityIds, p.partnerCity),
        twinned_since: p.twinnedSince,
        joined_on: p.joinedOn,
        status: p.status,
        is_demo: true,
      })),
    )
    .returning(['id', 'german_city_id', 'partner_city_id'])
    .execute();
  const byCities = new Map(
    partnershipRows.map((r) => [partnershipKey(r.german_city_id, r.partner_city_id), r.id]),
  );
  const partnershipIds = plan.partnerships.map((p) =>
    idOf(byCities, partnershipKey(idOf(cityIds, p.germanCity), idOf(cityIds, p.partnerCity))),
  );
  const partnershipId = (position: number) => partnershipIds[position] as number;

  await trx
    .insertInto('partnership_topic')
    .values(
      plan.partnerships.flatMap((p, i) =>
        p.topics.map((topic_code) => ({ partnership_id: partnershipId(i), topic_code })),
      ),
    )
    .execute();
  await trx
    .insertInto('partnership_sdg')
    .values(
      plan.partnerships.flatMap((p, i) =>
        p.sdgs.map((goal) => ({ partnership_id: partnershipId(i), goal })),
      ),
    )
    .execute();
  return partnershipId;
}

/** The departments; returns each one's id and city by plan position, as exchanges refer to them. */
async function insertDepartments(
  trx: Trx,
  plan: DemoPlan,
  cityIds: ReadonlyMap<string, number>,
): Promise<InsertedDepartment[]> {
  const departmentKey = (city: number, name: string) => `${city}|${name}`;
  const departmentRows = await trx
    .insertInto('department')
    .values(
      plan.departments.map((d) => ({
        city_id: idOf(cityIds, d.city),
        name: d.name,
        type: d.type,
        is_demo: true,
      })),
    )
    .returning(['id', 'city_id', 'name'])
    .execute();
  const byCityAndName = new Map(
    departmentRows.map((r) => [departmentKey(r.city_id, r.name), r.id]),
  );
  return plan.departments.map((d) => {
    const cityId = idOf(cityIds, d.city);
    return { id: idOf(byCityAndName, departmentKey(cityId, d.name)), cityId };
  });
}

/**
 * The demo accounts, all with the demo password; returns their ids by e-mail address, as
 * reported values name who entered and reviewed them.
 */
async function insertAccounts(
  trx: Trx,
  plan: DemoPlan,
  cityIds: ReadonlyMap<string, number>,
  passwordHash: string,
): Promise<Map<string, number>> {
  const userRows = await trx
    .insertInto('app_user')
    .values(
      plan.accounts.map((a) => ({
        email: a.email,
        display_name: a.displayName,
        role: a.role,
        city_id: a.city ? idOf(cityIds, cityKey(a.city)) : null,
        password_hash: passwordHash,
        is_demo: true,
      })),
    )
    .returning(['id', 'email'])
    .execute();
  return new Map(userRows.map((r) => [r.email, r.id]));
}

/** The exchanges, in chunks; returns the id of each by plan position, as outcomes refer to them. */
async function insertExchanges(
  trx: Trx,
  plan: DemoPlan,
  cityIds: ReadonlyMap<string, number>,
  partnershipId: IdAt,
): Promise<IdAt> {
  const exchangeKey = (partnership: number, startsOn: string, title: string) =>
    `${partnership}|${startsOn}|${title}`;
  const exchangeIdByKey = new Map<string, number>();
  for (const rows of chunks(plan.exchanges)) {
    const inserted = await trx
      .insertInto('exchange')
      .values(
        rows.map((e) => ({
          partnership_id: partnershipId(e.partnership),
          kind: e.kind,
          format: e.format,
          title: e.title,
          starts_on: e.startsOn,
          ends_on: e.endsOn,
          host_city_id: idOf(cityIds, e.hostCity),
          participant_count: e.participantCount,
          governance_levels: e.governanceLevels,
          is_demo: true,
        })),
      )
      .returning(['id', 'partnership_id', 'starts_on', 'title'])
      .execute();
    for (const r of inserted) {
      exchangeIdByKey.set(exchangeKey(r.partnership_id, r.starts_on, r.title), r.id);
    }
  }
  const exchangeIds = plan.exchanges.map((e) =>
    idOf(exchangeIdByKey, exchangeKey(partnershipId(e.partnership), e.startsOn, e.title)),
  );
  return (position: number) => exchangeIds[position] as number;
}

/** What each exchange links to: the departments that took part, its topics and SDG targets. */
async function insertExchangeLinks(
  trx: Trx,
  plan: DemoPlan,
  departments: readonly InsertedDepartment[],
  partnershipId: IdAt,
  exchangeId: IdAt,
): Promise<void> {
  const exchangeDepartments = plan.exchanges.flatMap((e, i) =>
    e.departments.map((position) => {
      const d = departments[position];
      if (!d) throw new Error(`Demo data set: no department at ${position}`);
      return {
        exchange_id: exchangeId(i),
        partnership_id: partnershipId(e.partnership),
        department_id: d.id,
        city_id: d.cityId,
      };
    }),
  );
  for (const rows of chunks(exchangeDepartments)) {
    await trx.insertInto('exchange_department').values(rows).execute();
  }
  const exchangeTopics = plan.exchanges.flatMap((e, i) =>
    e.topics.map((topic_code) => ({ exchange_id: exchangeId(i), topic_code })),
  );
  for (const rows of chunks(exchangeTopics)) {
    await trx.insertInto('exchange_topic').values(rows).execute();
  }
  const exchangeTargets = plan.exchanges.flatMap((e, i) =>
    e.sdgTargets.map((target_code) => ({ exchange_id: exchangeId(i), target_code })),
  );
  for (const rows of chunks(exchangeTargets)) {
    await trx.insertInto('exchange_sdg_target').values(rows).execute();
  }
}

/** The outcomes, in chunks, with the SDG targets each addresses. */
async function insertOutcomes(
  trx: Trx,
  plan: DemoPlan,
  partnershipId: IdAt,
  exchangeId: IdAt,
): Promise<void> {
  const outcomeKey = (partnership: number, date: string, title: string) =>
    `${partnership}|${date}|${title}`;
  const outcomeIdByKey = new Map<string, number>();
  for (const rows of chunks(plan.outcomes)) {
    const inserted = await trx
      .insertInto('outcome')
      .values(
        rows.map((o) => ({
          partnership_id: partnershipId(o.partnership),
          exchange_id: o.exchange === null ? null : exchangeId(o.exchange),
          kind: o.kind,
          status: o.status,
          title: o.title,
          description: o.description,
          date: o.date,
          is_demo: true,
        })),
      )
      .returning(['id', 'partnership_id', 'date', 'title'])
      .execute();
    for (const r of inserted)
      outcomeIdByKey.set(outcomeKey(r.partnership_id, r.date, r.title), r.id);
  }
  const outcomeTargets = plan.outcomes.flatMap((o) => {
    const id = idOf(outcomeIdByKey, outcomeKey(partnershipId(o.partnership), o.date, o.title));
    return o.sdgTargets.map((target_code) => ({ outcome_id: id, target_code }));
  });
  for (const rows of chunks(outcomeTargets)) {
    await trx.insertInto('outcome_sdg_target').values(rows).execute();
  }
}

/** The programme indicators' ids by code: they come with the reference data, not the demo. */
async function indicatorIdsByCode(trx: Trx): Promise<Map<string, number>> {
  const indicatorRows = await trx.selectFrom('indicator').select(['id', 'code']).execute();
  return new Map(indicatorRows.map((r) => [r.code, r.id]));
}

/** The cities' reported values, yearly, with who entered and reviewed each. */
async function insertReportedValues(
  trx: Trx,
  plan: DemoPlan,
  indicatorIds: ReadonlyMap<string, number>,
  cityIds: ReadonlyMap<string, number>,
  userIds: ReadonlyMap<string, number>,
): Promise<void> {
  for (const rows of chunks(plan.reportedValues)) {
    await trx
      .insertInto('reported_value')
      .values(
        rows.map((v) => ({
          indicator_id: idOf(indicatorIds, v.indicatorCode),
          city_id: idOf(cityIds, v.city),
          year: v.year,
          quarter: null,
          value: v.value,
          numerator: v.numerator,
          denominator: v.denominator,
          note: v.note,
          status: v.status,
          rejection_reason: v.rejectionReason,
          entered_by: idOf(userIds, v.enteredBy),
          entered_at: v.enteredAt,
          reviewed_by: v.reviewedBy === null ? null : idOf(userIds, v.reviewedBy),
          reviewed_at: v.reviewedAt === null ? null : new Date(v.reviewedAt),
          is_demo: true,
        })),
      )
      .execute();
  }
}

/** The targets, programme-wide ones and a few per partnership. */
async function insertTargets(
  trx: Trx,
  plan: DemoPlan,
  indicatorIds: ReadonlyMap<string, number>,
  partnershipId: IdAt,
): Promise<void> {
  for (const rows of chunks(plan.targets)) {
    await trx
      .insertInto('target')
      .values(
        rows.map((t) => ({
          indicator_id: idOf(indicatorIds, t.indicatorCode),
          year: t.year,
          partnership_id: t.partnership === null ? null : partnershipId(t.partnership),
          baseline: t.baseline,
          target: t.target,
          is_demo: true,
        })),
      )
      .execute();
  }
}

/** How many rows of each kind the plan brought, for start-up messages. */
function summaryOf(plan: DemoPlan): DemoSummary {
  return {
    cities: plan.cities.length,
    partnerships: plan.partnerships.length,
    departments: plan.departments.length,
    exchanges: plan.exchanges.length,
    outcomes: plan.outcomes.length,
    reportedValues: plan.reportedValues.length,
    targets: plan.targets.length,
    users: plan.accounts.length,
  };
}
