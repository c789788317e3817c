import type { Database, NewOutcome } from '@udx/db/schema';
import type { Scope } from '@udx/indicators/engine';
import { type ExpressionBuilder, type Selectable, sql } from 'kysely';
import type { Access as Reach } from '../city/city.access.ts';
import type { ActivityFilter } from '../exchange/exchange.repository.ts';
import {
  selectPartnershipIdsInReach,
  selectsEveryPartnership,
} from '../partnership/partnership.repository.ts';
import { countQueryRows, type Page } from '../shared/paging.ts';
import type { Executor } from '../shared/transaction.ts';

export type OutcomeRow = Selectable<Database['outcome']>;
export type OutcomeSdgTargetRow = Selectable<Database['sdg_target']> & { outcome_id: number };
export type OutcomeSdgGoalRow = Selectable<Database['sdg_goal']> & { outcome_id: number };

/** True for an outcome that addresses an SDG: the goals of its SDG targets. */
export function outcomeAddressesSdg(sdg: number) {
  return <TB extends 'outcome'>(eb: ExpressionBuilder<Database, TB>) => {
    // The caller's query may join more tables; the condition needs `outcome` alone.
    const on = eb as unknown as ExpressionBuilder<Database, 'outcome'>;
    return on.exists(
      on
        .selectFrom('outcome_sdg_target')
        .innerJoin('sdg_target', 'sdg_target.code', 'outcome_sdg_target.target_code')
        .select('sdg_target.goal')
        .whereRef('outcome_sdg_target.outcome_id', '=', 'outcome.id')
        .where('sdg_target.goal', '=', sdg),
    );
  };
}

function selectOutcomesInScope(
  db: Executor,
  scope: Scope,
  reach: Reach,
  filter: ActivityFilter = {},
) {
  let query = db.selectFrom('outcome');
  if (!selectsEveryPartnership(scope, reach)) {
    query = query.where(
      'outcome.partnership_id',
      'in',
      selectPartnershipIdsInReach(db, scope, reach),
    );
  }
  if (scope.from != null) query = query.where('outcome.date', '>=', scope.from);
  if (scope.to != null) query = query.where('outcome.date', '<=', scope.to);
  if (filter.sdg !== undefined) query = query.where(outcomeAddressesSdg(filter.sdg));
  return query;
}

/** One page of the outcomes in a scope, latest first. */
export function findOutcomesInScope(
  db: Executor,
  scope: Scope,
  reach: Reach,
  page: Page,
  filter: ActivityFilter = {},
): Promise<OutcomeRow[]> {
  // Pages are read in the order of the list's index (migration 20261201_1600). The first page
  // and the page after a keyed cursor's row are the next rows of the index, read as they are
  // found; a page after an offset alone takes its ids from the index first (an index-only scan
  // over the rows it skips) and reads only its own rows.
  let ordered = selectOutcomesInScope(db, scope, reach, filter)
    .orderBy('outcome.date', 'desc')
    .orderBy('outcome.id', 'desc')
    .limit(page.limit);
  const after = page.after;
  if (after) {
    ordered = ordered.where((eb) =>
      eb(eb.refTuple('outcome.date', 'outcome.id'), '<', eb.tuple(after.date, after.id)),
    );
  }
  if (page.offset === 0) return ordered.selectAll('outcome').execute();
  return db
    .selectFrom('outcome')
    .selectAll()
    .where('id', 'in', ordered.select('outcome.id').offset(page.offset))
    .orderBy('date', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** How many outcomes a scope holds. */
export function countOutcomesInScope(
  db: Executor,
  scope: Scope,
  reach: Reach,
  filter: ActivityFilter = {},
): Promise<number> {
  return countQueryRows(selectOutcomesInScope(db, scope, reach, filter));
}

/**
 * How many outcomes of a scope count in the figures: all but the dropped ones, as the totals'
 * outcomes count them (docs/methodology.md, "The records behind a figure").
 */
export function countOutcomesCountedInScope(
  db: Executor,
  scope: Scope,
  reach: Reach,
  filter: ActivityFilter = {},
): Promise<number> {
  return countQueryRows(
    selectOutcomesInScope(db, scope, reach, filter).where('outcome.status', '<>', 'DROPPED'),
  );
}

/** Outcomes by id, for dataloaders; those out of the viewer's reach are absent. */
export function findOutcomesByIds(
  db: Executor,
  ids: readonly number[],
  reach: Reach,
): Promise<OutcomeRow[]> {
  // anonymous requests read no outcome (their database role may not even ask)
  if (ids.length === 0 || reach.kind === 'none') return Promise.resolve([]);
  return db
    .selectFrom('outcome')
    .selectAll()
    .where('id', 'in', ids)
    .where('partnership_id', 'in', selectPartnershipIdsInReach(db, {}, reach))
    .execute();
}

/** The outcomes several exchanges produced, latest first. */
export function findOutcomesOfExchanges(
  db: Executor,
  exchangeIds: readonly number[],
): Promise<OutcomeRow[]> {
  if (exchangeIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('outcome')
    .selectAll()
    .where('exchange_id', 'in', exchangeIds)
    .orderBy('date', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** The outcomes of several partnerships, latest first. */
export function findOutcomesOfPartnerships(
  db: Executor,
  partnershipIds: readonly number[],
): Promise<OutcomeRow[]> {
  if (partnershipIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('outcome')
    .selectAll()
    .where('partnership_id', 'in', partnershipIds)
    .orderBy('date', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** The SDG targets of several outcomes, in the official order. */
export function findSdgTargetsOfOutcomes(
  db: Executor,
  outcomeIds: readonly number[],
): Promise<OutcomeSdgTargetRow[]> {
  if (outcomeIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('outcome_sdg_target as x')
    .innerJoin('sdg_target', 'sdg_target.code', 'x.target_code')
    .selectAll('sdg_target')
    .select('x.outcome_id')
    .where('x.outcome_id', 'in', outcomeIds)
    .orderBy('sdg_target.goal')
    .orderBy('sdg_target.position')
    .execute();
}

/** The SDGs of several outcomes: the goals of their SDG targets, each once. */
export function findSdgGoalsOfOutcomes(
  db: Executor,
  outcomeIds: readonly number[],
): Promise<OutcomeSdgGoalRow[]> {
  if (outcomeIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('sdg_goal')
    .selectAll('sdg_goal')
    .innerJoin(
      (eb) =>
        eb
          .selectFrom('outcome_sdg_target as x')
          .innerJoin('sdg_target as t', 't.code', 'x.target_code')
          .select(['x.outcome_id as outcome_id', 't.goal as goal'])
          .distinct()
          .where('x.outcome_id', 'in', outcomeIds)
          .as('p'),
      (join) => join.onRef('p.goal', '=', 'sdg_goal.number'),
    )
    .select('p.outcome_id')
    .orderBy('p.outcome_id')
    .orderBy('sdg_goal.number')
    .execute();
}

/** One outcome, locked for the rest of the transaction. */
export function findOutcomeForUpdate(db: Executor, id: number): Promise<OutcomeRow | undefined> {
  return db.selectFrom('outcome').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The outcomes an exchange produced, locked: deleting the exchange unlinks them. */
export function findOutcomesOfExchangeForUpdate(
  db: Executor,
  exchangeId: number,
): Promise<OutcomeRow[]> {
  return db
    .selectFrom('outcome')
    .selectAll()
    .where('exchange_id', '=', exchangeId)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** The SDG target codes of one outcome, sorted, as the audit trail shows them. */
export async function findOutcomeSdgTargetCodes(db: Executor, id: number): Promise<string[]> {
  const rows = await db
    .selectFrom('outcome_sdg_target')
    .select('target_code')
    .where('outcome_id', '=', id)
    .execute();
  return rows.map((r) => r.target_code).sort();
}

/** Writes a new outcome row. */
export function insertOutcome(db: Executor, values: NewOutcome): Promise<OutcomeRow> {
  return db.insertInto('outcome').values(values).returningAll().executeTakeFirstOrThrow();
}

export interface OutcomeChanges {
  kind?: OutcomeRow['kind'];
  status?: OutcomeRow['status'];
  title?: string;
  description?: string | null;
  date?: string;
}

/** Changes the given columns of an outcome and stamps `updated_at`. */
export function updateOutcomeById(
  db: Executor,
  id: number,
  changes: OutcomeChanges,
): Promise<OutcomeRow> {
  return db
    .updateTable('outcome')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes an outcome; its SDG targets go with it. */
export function deleteOutcomeById(db: Executor, id: number): Promise<OutcomeRow | undefined> {
  return db.deleteFrom('outcome').where('id', '=', id).returningAll().executeTakeFirst();
}

/** Replaces the SDG targets of an outcome. */
export async function replaceOutcomeSdgTargets(
  db: Executor,
  outcomeId: number,
  codes: readonly string[],
): Promise<void> {
  await db.deleteFrom('outcome_sdg_target').where('outcome_id', '=', outcomeId).execute();
  if (codes.length === 0) return;
  await db
    .insertInto('outcome_sdg_target')
    .values(codes.map((target_code) => ({ outcome_id: outcomeId, target_code })))
    .execute();
}

/** The exchange of an outcome, to check it belongs to the outcome's partnership. */
export function findExchangePartnership(db: Executor, exchangeId: number) {
  return db
    .selectFrom('exchange')
    .select(['id', 'partnership_id'])
    .where('id', '=', exchangeId)
    .executeTakeFirst();
}
