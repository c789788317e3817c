import type { Db } from '@udx/db/database';
import type { Database } from '@udx/db/schema';
import type { Selectable } from 'kysely';

export type SdgGoalRow = Selectable<Database['sdg_goal']>;
export type SdgTargetRow = Selectable<Database['sdg_target']>;

/** The 17 goals in their official order. */
export function findAllSdgGoals(db: Db): Promise<SdgGoalRow[]> {
  return db.selectFrom('sdg_goal').selectAll().orderBy('number').execute();
}

/** Goals by number, for dataloaders; unknown numbers are simply absent. */
export function findSdgGoalsByNumbers(db: Db, numbers: readonly number[]): Promise<SdgGoalRow[]> {
  if (numbers.length === 0) return Promise.resolve([]);
  return db.selectFrom('sdg_goal').selectAll().where('number', 'in', numbers).execute();
}

/** The targets of several goals at once, in the official order. */
export function findSdgTargetsOfGoals(db: Db, goals: readonly number[]): Promise<SdgTargetRow[]> {
  if (goals.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('sdg_target')
    .selectAll()
    .where('goal', 'in', goals)
    .orderBy('goal')
    .orderBy('position')
    .execute();
}

/** Targets by code, for dataloaders and for validating input codes. */
export function findSdgTargetsByCodes(db: Db, codes: readonly string[]): Promise<SdgTargetRow[]> {
  if (codes.length === 0) return Promise.resolve([]);
  return db.selectFrom('sdg_target').selectAll().where('code', 'in', codes).execute();
}
