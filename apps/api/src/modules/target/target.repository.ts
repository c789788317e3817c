import type { Database } from '@udx/db/schema';
import { type Selectable, sql } from 'kysely';
import type { Access as Reach } from '../city/city.access.ts';
import { selectPartnershipIdsInReach } from '../partnership/partnership.repository.ts';
import type { Executor } from '../shared/transaction.ts';

export type TargetRow = Selectable<Database['target']>;

/**
 * Targets by id, for dataloaders. Programme-wide targets are open to every signed-in viewer;
 * a partnership's target only to those who see the partnership.
 */
export function findTargetsByIds(
  db: Executor,
  ids: readonly number[],
  reach: Reach,
): Promise<TargetRow[]> {
  if (ids.length === 0 || reach.kind === 'none') return Promise.resolve([]);
  return db
    .selectFrom('target')
    .selectAll()
    .where('id', 'in', ids)
    .where((eb) =>
      eb.or([
        eb('partnership_id', 'is', null),
        eb('partnership_id', 'in', selectPartnershipIdsInReach(db, {}, reach)),
      ]),
    )
    .execute();
}

/** The targets of some indicators, programme-wide or of the partnerships the viewer sees. */
export function findTargets(
  db: Executor,
  filter: {
    indicatorId?: number | undefined;
    year?: number | undefined;
    partnershipId?: number | null | undefined;
  },
  reach: Reach,
): Promise<TargetRow[]> {
  if (reach.kind === 'none') return Promise.resolve([]);
  let query = db
    .selectFrom('target')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('partnership_id', 'is', null),
        eb('partnership_id', 'in', selectPartnershipIdsInReach(db, {}, reach)),
      ]),
    );
  if (filter.indicatorId !== undefined)
    query = query.where('indicator_id', '=', filter.indicatorId);
  if (filter.year !== undefined) query = query.where('year', '=', filter.year);
  if (filter.partnershipId === null) query = query.where('partnership_id', 'is', null);
  else if (filter.partnershipId !== undefined)
    query = query.where('partnership_id', '=', filter.partnershipId);
  return query.orderBy('indicator_id').orderBy('year').orderBy('partnership_id').execute();
}

/** The target of one indicator, year and partnership (or programme-wide), locked, if it exists. */
export function findTargetForScope(
  db: Executor,
  key: { indicatorId: number; year: number; partnershipId: number | null },
): Promise<TargetRow | undefined> {
  return db
    .selectFrom('target')
    .selectAll()
    .where('indicator_id', '=', key.indicatorId)
    .where('year', '=', key.year)
    .where((eb) =>
      key.partnershipId === null
        ? eb('partnership_id', 'is', null)
        : eb('partnership_id', '=', key.partnershipId),
    )
    .forUpdate()
    .executeTakeFirst();
}

/** Writes a new target. */
export function insertTarget(
  db: Executor,
  values: {
    indicator_id: number;
    year: number;
    partnership_id: number | null;
    baseline: number | null;
    target: number;
  },
): Promise<TargetRow> {
  return db.insertInto('target').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Changes the baseline and target of an existing target and stamps `updated_at`. */
export function updateTargetValues(
  db: Executor,
  id: number,
  values: { baseline: number | null; target: number },
): Promise<TargetRow> {
  return db
    .updateTable('target')
    .set({ ...values, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
