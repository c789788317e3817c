import type { Db } from '@udx/db/database';
import type { Database, ProgrammeGoal } from '@udx/db/schema';
import type { Selectable } from 'kysely';
import type { Executor } from '../shared/transaction.ts';

export type IndicatorRow = Selectable<Database['indicator']>;
/** What decides how an indicator's values are entered. */
export type IndicatorKey = Pick<
  Selectable<Database['indicator']>,
  'id' | 'code' | 'unit' | 'source'
>;
export type SdgGoalOfIndicatorRow = Selectable<Database['sdg_goal']> & { indicator_id: number };

/** The indicators of the catalogue in display order, optionally of one goal or mapped to one SDG. */
export function findIndicators(
  db: Db,
  filter: { goal?: ProgrammeGoal | null; sdg?: number | null } = {},
): Promise<IndicatorRow[]> {
  let query = db.selectFrom('indicator').selectAll();
  if (filter.goal) query = query.where('goal', '=', filter.goal);
  if (filter.sdg != null) {
    const sdg = filter.sdg;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('indicator_sdg')
          .select('indicator_sdg.goal')
          .whereRef('indicator_sdg.indicator_id', '=', 'indicator.id')
          .where('indicator_sdg.goal', '=', sdg),
      ),
    );
  }
  return query.orderBy('position').execute();
}

/** Indicators by id, for dataloaders. */
export function findIndicatorsByIds(db: Db, ids: readonly number[]): Promise<IndicatorRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('indicator').selectAll().where('id', 'in', ids).execute();
}

/** Indicators by code (stable across databases, unlike ids). */
export function findIndicatorsByCodes(db: Db, codes: readonly string[]): Promise<IndicatorRow[]> {
  if (codes.length === 0) return Promise.resolve([]);
  return db.selectFrom('indicator').selectAll().where('code', 'in', codes).execute();
}

/** The SDG goals of several indicators at once, each goal row with its indicator's id. */
export function findGoalsOfIndicators(
  db: Db,
  ids: readonly number[],
): Promise<SdgGoalOfIndicatorRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('indicator_sdg')
    .innerJoin('sdg_goal', 'sdg_goal.number', 'indicator_sdg.goal')
    .selectAll('sdg_goal')
    .select('indicator_sdg.indicator_id')
    .where('indicator_sdg.indicator_id', 'in', ids)
    .orderBy('sdg_goal.number')
    .execute();
}

/** Indicators by code, with what decides how their values are entered. */
export function findIndicatorKeysByCodes(
  db: Executor,
  codes: readonly string[],
): Promise<IndicatorKey[]> {
  if (codes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('indicator')
    .select(['id', 'code', 'unit', 'source'])
    .where('code', 'in', codes)
    .execute();
}
