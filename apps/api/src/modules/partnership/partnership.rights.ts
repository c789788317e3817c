import type { Role } from '@udx/db/schema';
import type { Context } from '../../context.ts';
import {
  type ConstraintErrors,
  checkRoleAndId,
  type MutationResult,
  type NodeIdField,
  runMutation,
} from '../shared/mutation.ts';
import type { Executor } from '../shared/transaction.ts';
import { UserErrorException, userError } from '../shared/user-error.ts';
import { findCitiesOfPartnership } from './partnership.repository.ts';

// Who may write to a partnership's records (exchanges, outcomes): city staff of either of its
// two cities, and SKEW administration.

type Actor = Pick<Context, 'db' | 'viewer'>;

/** Who records exchanges and outcomes: city staff for their partnerships, SKEW administration. */
export const PARTNERSHIP_EDITORS: readonly Role[] = ['CITY_EDITOR', 'SKEW_ADMIN'];

/** The partnership a new exchange or outcome belongs to. */
export const PARTNERSHIP_ID: NodeIdField = {
  field: 'partnershipId',
  typename: 'Partnership',
  message: 'partnershipId is not a partnership id.',
};

/** Why a city account may not change a record: said alike whether the record exists or not. */
const NOT_YOUR_PARTNERSHIP = 'You may only change records of partnerships your city is part of.';

/**
 * The two cities of a partnership the viewer may edit. A city account answers FORBIDDEN for
 * any partnership its city is not part of, existing or not, so that ids reveal nothing.
 */
export async function partnershipCitiesFor(
  db: Executor,
  context: Actor,
  partnershipId: number,
  field: string,
): Promise<number[]> {
  const cities = await findCitiesOfPartnership(db, partnershipId);
  const cityIds = cities.map((c) => c.city_id);
  const viewer = context.viewer;
  if (
    viewer &&
    viewer.role !== 'SKEW_ADMIN' &&
    (viewer.cityId === null || !cityIds.includes(viewer.cityId))
  ) {
    throw new UserErrorException([userError('FORBIDDEN', field, NOT_YOUR_PARTNERSHIP)]);
  }
  if (cityIds.length === 0) {
    throw new UserErrorException([userError('NOT_FOUND', field, `${field} names no partnership.`)]);
  }
  return cityIds;
}

/**
 * A record of a partnership to change, as read (locked) by its repository, with the two cities
 * of its partnership. A city account is told FORBIDDEN for a record that does not exist just as
 * for another partnership's, so that ids reveal nothing; `noun` names the record for SKEW.
 */
export async function editablePartnershipRecord<Row extends { partnership_id: number }>(
  db: Executor,
  context: Actor,
  row: Row | undefined,
  noun: string,
): Promise<{ old: Row; cityIds: number[] }> {
  if (!row) {
    throw new UserErrorException([
      context.viewer?.role === 'SKEW_ADMIN'
        ? userError('NOT_FOUND', 'id', `id names no ${noun}.`)
        : userError('FORBIDDEN', 'id', NOT_YOUR_PARTNERSHIP),
    ]);
  }
  return { old: row, cityIds: await partnershipCitiesFor(db, context, row.partnership_id, 'id') };
}

/**
 * Whether the viewer may see and change the records of a partnership: SKEW administration any,
 * a city account those of its city's partnerships.
 */
export async function isPartnershipOfViewer(
  db: Executor,
  viewer: Actor['viewer'],
  partnershipId: number,
): Promise<boolean> {
  if (viewer?.role === 'SKEW_ADMIN') return true;
  const cities = await findCitiesOfPartnership(db, partnershipId);
  return cities.some((c) => c.city_id === viewer?.cityId);
}

/**
 * Runs a mutation that adds a record (an exchange, an outcome) to the partnership named by
 * `partnershipId`: before the transaction, whether the viewer may write partnerships' records at
 * all and whether the id is a partnership's; inside it, whether the viewer may write to this
 * partnership (partnershipCitiesFor). Every such record is checked in this one order, so that
 * the same input is refused with the same error whatever the record (docs/architecture.md, "The
 * request path", service). `fn` gets the partnership's database id and its two cities.
 */
export async function runNewPartnershipRecordMutation<T>(
  context: Actor,
  partnershipId: string,
  constraints: ConstraintErrors,
  fn: (trx: Executor, partnership: { id: number; cityIds: number[] }) => Promise<T>,
): Promise<MutationResult<T>> {
  const checked = checkRoleAndId(
    context.viewer,
    PARTNERSHIP_EDITORS,
    partnershipId,
    PARTNERSHIP_ID,
  );
  if (!checked.ok) return checked;
  const id = checked.value;
  return runMutation(context.db, constraints, async (trx) =>
    fn(trx, { id, cityIds: await partnershipCitiesFor(trx, context, id, 'partnershipId') }),
  );
}

/**
 * Runs a mutation that changes or deletes a partnership's record named by the Relay id
 * `globalId` (of the type `idField` names): the same checks before the transaction as
 * runNewPartnershipRecordMutation, then `fn` with the record's database id; `fn` reads the record
 * with editablePartnershipRecord, which checks the viewer's right to its partnership.
 */
export async function runPartnershipRecordMutation<T>(
  context: Actor,
  globalId: string,
  idField: NodeIdField,
  constraints: ConstraintErrors,
  fn: (trx: Executor, id: number) => Promise<T>,
): Promise<MutationResult<T>> {
  const checked = checkRoleAndId(context.viewer, PARTNERSHIP_EDITORS, globalId, idField);
  if (!checked.ok) return checked;
  const id = checked.value;
  return runMutation(context.db, constraints, (trx) => fn(trx, id));
}
