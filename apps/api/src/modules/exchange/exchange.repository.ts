import type { Database, DepartmentTable, GovernanceLevel, NewExchange } from '@udx/db/schema';
import type { Scope } from '@udx/indicators/engine';
import { type ExpressionBuilder, type Selectable, sql } from 'kysely';
import type { Access as Reach } from '../city/city.access.ts';
import {
  selectPartnershipIdsInReach,
  selectsEveryPartnership,
} from '../partnership/partnership.repository.ts';
import { countQueryRows, type Page } from '../shared/paging.ts';
import type { Executor } from '../shared/transaction.ts';

export type ExchangeRow = Selectable<Database['exchange']>;
export type ExchangeDepartmentRow = Selectable<DepartmentTable> & { exchange_id: number };
export type ExchangeTopicRow = Selectable<Database['topic']> & { exchange_id: number };
export type ExchangeSdgTargetRow = Selectable<Database['sdg_target']> & { exchange_id: number };
export type ExchangeSdgGoalRow = Selectable<Database['sdg_goal']> & { exchange_id: number };

/** The records an exchange links to besides its own row, as they are audited. */
export interface ExchangeLinks {
  department_ids: number[];
  topics: string[];
  sdg_targets: string[];
}

/** Narrows a list of exchanges or outcomes beyond its scope. */
export interface ActivityFilter {
  /** Only those addressing this SDG (1–17). */
  sdg?: number | undefined;
}

/**
 * True for an exchange that addresses an SDG: the goals of its SDG targets and the default
 * goals of its topics (docs/methodology.md), for every list that narrows exchanges to one SDG.
 */
export function exchangeAddressesSdg(sdg: number) {
  return <TB extends 'exchange'>(eb: ExpressionBuilder<Database, TB>) => {
    // The caller's query may join more tables; the condition needs `exchange` alone.
    const on = eb as unknown as ExpressionBuilder<Database, 'exchange'>;
    return on.or([
      on.exists(
        on
          .selectFrom('exchange_sdg_target')
          .innerJoin('sdg_target', 'sdg_target.code', 'exchange_sdg_target.target_code')
          .select('sdg_target.goal')
          .whereRef('exchange_sdg_target.exchange_id', '=', 'exchange.id')
          .where('sdg_target.goal', '=', sdg),
      ),
      on.exists(
        on
          .selectFrom('exchange_topic')
          .innerJoin('topic_sdg', 'topic_sdg.topic_code', 'exchange_topic.topic_code')
          .select('topic_sdg.goal')
          .whereRef('exchange_topic.exchange_id', '=', 'exchange.id')
          .where('topic_sdg.goal', '=', sdg),
      ),
    ]);
  };
}

function selectExchangesInScope(
  db: Executor,
  scope: Scope,
  reach: Reach,
  filter: ActivityFilter = {},
) {
  let query = db.selectFrom('exchange');
  if (!selectsEveryPartnership(scope, reach)) {
    query = query.where(
      'exchange.partnership_id',
      'in',
      selectPartnershipIdsInReach(db, scope, reach),
    );
  }
  if (scope.from != null) query = query.where('exchange.starts_on', '>=', scope.from);
  if (scope.to != null) query = query.where('exchange.starts_on', '<=', scope.to);
  if (filter.sdg !== undefined) query = query.where(exchangeAddressesSdg(filter.sdg));
  return query;
}

/** One page of the exchanges in a scope, latest first. */
export function findExchangesInScope(
  db: Executor,
  scope: Scope,
  reach: Reach,
  page: Page,
  filter: ActivityFilter = {},
): Promise<ExchangeRow[]> {
  // Pages are read in the order of the list's index (migration 20261201_1600). The first page
  // and the page after a keyed cursor's row are the next rows of the index, read as they are
  // found; a page after an offset alone takes its ids from the index first (an index-only scan
  // over the rows it skips) and reads only its own rows.
  let ordered = selectExchangesInScope(db, scope, reach, filter)
    .orderBy('exchange.starts_on', 'desc')
    .orderBy('exchange.id', 'desc')
    .limit(page.limit);
  const after = page.after;
  if (after) {
    ordered = ordered.where((eb) =>
      eb(eb.refTuple('exchange.starts_on', 'exchange.id'), '<', eb.tuple(after.date, after.id)),
    );
  }
  if (page.offset === 0) return ordered.selectAll('exchange').execute();
  return db
    .selectFrom('exchange')
    .selectAll()
    .where('id', 'in', ordered.select('exchange.id').offset(page.offset))
    .orderBy('starts_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** How many exchanges a scope holds. */
export function countExchangesInScope(
  db: Executor,
  scope: Scope,
  reach: Reach,
  filter: ActivityFilter = {},
): Promise<number> {
  return countQueryRows(selectExchangesInScope(db, scope, reach, filter));
}

/** Exchanges by id, for dataloaders; those out of the viewer's reach are absent. */
export function findExchangesByIds(
  db: Executor,
  ids: readonly number[],
  reach: Reach,
): Promise<ExchangeRow[]> {
  // anonymous requests read no exchange (their database role may not even ask)
  if (ids.length === 0 || reach.kind === 'none') return Promise.resolve([]);
  return db
    .selectFrom('exchange')
    .selectAll()
    .where('id', 'in', ids)
    .where('partnership_id', 'in', selectPartnershipIdsInReach(db, {}, reach))
    .execute();
}

/** The exchanges of several partnerships, latest first, for `Partnership.exchanges`. */
export function findExchangesOfPartnerships(
  db: Executor,
  partnershipIds: readonly number[],
): Promise<ExchangeRow[]> {
  if (partnershipIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('exchange')
    .selectAll()
    .where('partnership_id', 'in', partnershipIds)
    .orderBy('starts_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** The departments taking part in several exchanges, each row tagged with its exchange. */
export function findDepartmentsOfExchanges(
  db: Executor,
  exchangeIds: readonly number[],
): Promise<ExchangeDepartmentRow[]> {
  if (exchangeIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('exchange_department as x')
    .innerJoin('department', 'department.id', 'x.department_id')
    .selectAll('department')
    .select('x.exchange_id')
    .where('x.exchange_id', 'in', exchangeIds)
    .orderBy('department.city_id')
    .orderBy('department.name')
    .execute();
}

/** The topics of several exchanges, in catalogue order. */
export function findTopicsOfExchanges(
  db: Executor,
  exchangeIds: readonly number[],
): Promise<ExchangeTopicRow[]> {
  if (exchangeIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('exchange_topic as x')
    .innerJoin('topic', 'topic.code', 'x.topic_code')
    .selectAll('topic')
    .select('x.exchange_id')
    .where('x.exchange_id', 'in', exchangeIds)
    .orderBy('topic.position')
    .execute();
}

/** The SDG targets of several exchanges, in the official order. */
export function findSdgTargetsOfExchanges(
  db: Executor,
  exchangeIds: readonly number[],
): Promise<ExchangeSdgTargetRow[]> {
  if (exchangeIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('exchange_sdg_target as x')
    .innerJoin('sdg_target', 'sdg_target.code', 'x.target_code')
    .selectAll('sdg_target')
    .select('x.exchange_id')
    .where('x.exchange_id', 'in', exchangeIds)
    .orderBy('sdg_target.goal')
    .orderBy('sdg_target.position')
    .execute();
}

/**
 * The SDGs of several exchanges: the goals of their SDG targets together with the default
 * goals of their topics (docs/methodology.md, "The data model"), each goal once per exchange.
 */
export function findSdgGoalsOfExchanges(
  db: Executor,
  exchangeIds: readonly number[],
): Promise<ExchangeSdgGoalRow[]> {
  if (exchangeIds.length === 0) return Promise.resolve([]);
  const pairs = db
    .selectFrom('exchange_sdg_target as x')
    .innerJoin('sdg_target as t', 't.code', 'x.target_code')
    .select(['x.exchange_id as exchange_id', 't.goal as goal'])
    .where('x.exchange_id', 'in', exchangeIds)
    .union(
      db
        .selectFrom('exchange_topic as x')
        .innerJoin('topic_sdg as s', 's.topic_code', 'x.topic_code')
        .select(['x.exchange_id as exchange_id', 's.goal as goal'])
        .where('x.exchange_id', 'in', exchangeIds),
    );
  return db
    .selectFrom(pairs.as('p'))
    .innerJoin('sdg_goal', 'sdg_goal.number', 'p.goal')
    .selectAll('sdg_goal')
    .select('p.exchange_id')
    .orderBy('p.exchange_id')
    .orderBy('sdg_goal.number')
    .execute();
}

/** One exchange, locked for the rest of the transaction (updates and deletes read it first). */
export function findExchangeForUpdate(db: Executor, id: number): Promise<ExchangeRow | undefined> {
  return db.selectFrom('exchange').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The departments, topics and SDG targets of one exchange, sorted, as the audit trail shows them. */
export async function findExchangeLinks(db: Executor, id: number): Promise<ExchangeLinks> {
  const [departments, topics, targets] = await Promise.all([
    db
      .selectFrom('exchange_department')
      .select('department_id')
      .where('exchange_id', '=', id)
      .execute(),
    db.selectFrom('exchange_topic').select('topic_code').where('exchange_id', '=', id).execute(),
    db
      .selectFrom('exchange_sdg_target')
      .select('target_code')
      .where('exchange_id', '=', id)
      .execute(),
  ]);
  return {
    department_ids: departments.map((r) => r.department_id).sort((a, b) => a - b),
    topics: topics.map((r) => r.topic_code).sort(),
    sdg_targets: targets.map((r) => r.target_code).sort(),
  };
}

/** Writes a new exchange row. */
export function insertExchange(db: Executor, values: NewExchange): Promise<ExchangeRow> {
  return db.insertInto('exchange').values(values).returningAll().executeTakeFirstOrThrow();
}

export interface ExchangeChanges {
  kind?: ExchangeRow['kind'];
  format?: ExchangeRow['format'];
  title?: string;
  starts_on?: string;
  ends_on?: string | null;
  host_city_id?: number;
  participant_count?: number;
  governance_levels?: GovernanceLevel[];
}

/** Changes the given columns of an exchange and stamps `updated_at`. */
export function updateExchangeById(
  db: Executor,
  id: number,
  changes: ExchangeChanges,
): Promise<ExchangeRow> {
  return db
    .updateTable('exchange')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes an exchange; its links go with it, outcomes it produced keep their partnership. */
export function deleteExchangeById(db: Executor, id: number): Promise<ExchangeRow | undefined> {
  return db.deleteFrom('exchange').where('id', '=', id).returningAll().executeTakeFirst();
}

/** Replaces the departments of an exchange. `departments` carry their city, checked by the database. */
export async function replaceExchangeDepartments(
  db: Executor,
  exchange: Pick<ExchangeRow, 'id' | 'partnership_id'>,
  departments: readonly { id: number; city_id: number }[],
): Promise<void> {
  await db.deleteFrom('exchange_department').where('exchange_id', '=', exchange.id).execute();
  if (departments.length === 0) return;
  await db
    .insertInto('exchange_department')
    .values(
      departments.map((d) => ({
        exchange_id: exchange.id,
        partnership_id: exchange.partnership_id,
        department_id: d.id,
        city_id: d.city_id,
      })),
    )
    .execute();
}

/** Replaces the topics of an exchange. */
export async function replaceExchangeTopics(
  db: Executor,
  exchangeId: number,
  topics: readonly string[],
): Promise<void> {
  await db.deleteFrom('exchange_topic').where('exchange_id', '=', exchangeId).execute();
  if (topics.length === 0) return;
  await db
    .insertInto('exchange_topic')
    .values(topics.map((topic_code) => ({ exchange_id: exchangeId, topic_code })))
    .execute();
}

/** Replaces the SDG targets of an exchange. */
export async function replaceExchangeSdgTargets(
  db: Executor,
  exchangeId: number,
  codes: readonly string[],
): Promise<void> {
  await db.deleteFrom('exchange_sdg_target').where('exchange_id', '=', exchangeId).execute();
  if (codes.length === 0) return;
  await db
    .insertInto('exchange_sdg_target')
    .values(codes.map((target_code) => ({ exchange_id: exchangeId, target_code })))
    .execute();
}

/** The cities of several partnerships, for the per-request check of who may edit their records. */
export function findCitiesOfPartnerships(
  db: Executor,
  partnershipIds: readonly number[],
): Promise<{ partnership_id: number; city_id: number }[]> {
  if (partnershipIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('partnership_city')
    .select(['partnership_id', 'city_id'])
    .where('partnership_id', 'in', partnershipIds)
    .execute();
}
