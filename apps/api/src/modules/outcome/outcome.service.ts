import type { OutcomeKind, OutcomeStatus } from '@udx/db/schema';
import type { Context } from '../../context.ts';
import { insertAuditEntryOfWrite } from '../audit/audit.repository.ts';
import { checkSdgTargets, checkTitle } from '../exchange/exchange.service.ts';
import {
  editablePartnershipRecord,
  isPartnershipOfViewer,
  runNewPartnershipRecordMutation,
  runPartnershipRecordMutation,
} from '../partnership/partnership.rights.ts';
import { decodeNodeId } from '../shared/global-id.ts';
import {
  type ConstraintErrors,
  type MutationResult,
  type NodeIdField,
  refuseNulls,
  throwIfAny,
} from '../shared/mutation.ts';
import type { Executor } from '../shared/transaction.ts';
import { type UserError, userError } from '../shared/user-error.ts';
import {
  deleteOutcomeById,
  findExchangePartnership,
  findOutcomeForUpdate,
  findOutcomeSdgTargetCodes,
  insertOutcome,
  type OutcomeChanges,
  type OutcomeRow,
  replaceOutcomeSdgTargets,
  updateOutcomeById,
} from './outcome.repository.ts';

const DESCRIPTION_MAX = 10_000;

const OUTCOME_ID: NodeIdField = {
  field: 'id',
  typename: 'Outcome',
  message: 'id is not an outcome id.',
};

/** What the database refuses, said as the input field that caused it. */
export const OUTCOME_CONSTRAINTS: ConstraintErrors = {
  outcome_exchange_in_partnership: userError(
    'VALIDATION',
    'exchangeId',
    'exchangeId must be an exchange of the same partnership.',
  ),
  outcome_title_check: userError('VALIDATION', 'title', 'title must not be empty.'),
};

export interface RecordOutcomeArgs {
  partnershipId: string;
  exchangeId?: string | null | undefined;
  kind: OutcomeKind;
  status: OutcomeStatus;
  title: string;
  description?: string | null | undefined;
  date: string;
  sdgTargets: readonly string[];
}

/** Fields of an update; `undefined` leaves a field as it is, `null` clears an optional one. */
export interface UpdateOutcomeArgs {
  id: string;
  kind?: OutcomeKind | null | undefined;
  status?: OutcomeStatus | null | undefined;
  title?: string | null | undefined;
  description?: string | null | undefined;
  date?: string | null | undefined;
  sdgTargets?: readonly string[] | null | undefined;
}

type Actor = Pick<Context, 'db' | 'viewer'>;

/** Records an outcome of a partnership, optionally produced by one of its exchanges. */
export async function recordOutcome(
  context: Actor,
  input: RecordOutcomeArgs,
): Promise<MutationResult<OutcomeRow>> {
  return runNewPartnershipRecordMutation(
    context,
    input.partnershipId,
    OUTCOME_CONSTRAINTS,
    async (trx, { id: partnershipId, cityIds }) => {
      const errors: UserError[] = [];
      const title = checkTitle(input.title, errors);
      const description = checkDescription(input.description, errors);
      const exchangeId = await checkExchange(
        trx,
        input.exchangeId,
        partnershipId,
        context.viewer,
        errors,
      );
      const sdgTargets = await checkSdgTargets(trx, input.sdgTargets, errors);
      throwIfAny(errors);

      const row = await insertOutcome(trx, {
        partnership_id: partnershipId,
        exchange_id: exchangeId,
        kind: input.kind,
        status: input.status,
        title,
        description,
        date: input.date,
      });
      await replaceOutcomeSdgTargets(trx, row.id, sdgTargets);
      await insertAuditEntryOfWrite(
        trx,
        context.viewer,
        'outcome',
        row.id,
        cityIds,
        null,
        outcomeSnapshot(row, await findOutcomeSdgTargetCodes(trx, row.id)),
      );
      return row;
    },
  );
}

/** Changes the given fields of an outcome; the others keep their values. */
export async function updateOutcome(
  context: Actor,
  input: UpdateOutcomeArgs,
): Promise<MutationResult<OutcomeRow>> {
  return runPartnershipRecordMutation(
    context,
    input.id,
    OUTCOME_ID,
    OUTCOME_CONSTRAINTS,
    async (trx, id) => {
      const { old, cityIds } = await editableOutcome(trx, context, id);
      const oldTargets = await findOutcomeSdgTargetCodes(trx, id);
      const errors: UserError[] = [];
      refuseNulls(input, ['kind', 'status', 'title', 'date'], ['sdgTargets'], errors);
      const changes: OutcomeChanges = {};
      if (input.kind) changes.kind = input.kind;
      if (input.status) changes.status = input.status;
      if (input.title != null) changes.title = checkTitle(input.title, errors);
      if (input.description !== undefined)
        changes.description = checkDescription(input.description, errors);
      if (input.date != null) changes.date = input.date;
      const sdgTargets =
        input.sdgTargets != null ? await checkSdgTargets(trx, input.sdgTargets, errors) : undefined;
      throwIfAny(errors);

      const row = await updateOutcomeById(trx, id, changes);
      if (sdgTargets) await replaceOutcomeSdgTargets(trx, id, sdgTargets);
      await insertAuditEntryOfWrite(
        trx,
        context.viewer,
        'outcome',
        id,
        cityIds,
        outcomeSnapshot(old, oldTargets),
        outcomeSnapshot(row, await findOutcomeSdgTargetCodes(trx, id)),
      );
      return row;
    },
  );
}

/**
 * Deletes an outcome, e.g. one recorded twice or by mistake; the audit trail keeps what it was.
 * Same rights as updateOutcome: editors of the partnership's cities and SKEW administration.
 */
export async function deleteOutcome(
  context: Actor,
  input: { id: string },
): Promise<MutationResult<OutcomeRow>> {
  return runPartnershipRecordMutation(
    context,
    input.id,
    OUTCOME_ID,
    OUTCOME_CONSTRAINTS,
    async (trx, id) => {
      const { old, cityIds } = await editableOutcome(trx, context, id);
      const sdgTargets = await findOutcomeSdgTargetCodes(trx, id);
      await deleteOutcomeById(trx, id);
      await insertAuditEntryOfWrite(
        trx,
        context.viewer,
        'outcome',
        id,
        cityIds,
        outcomeSnapshot(old, sdgTargets),
        null,
      );
      return old;
    },
  );
}

/** The outcome, locked for a change, if the viewer may change it (else the refusal is thrown). */
async function editableOutcome(trx: Executor, context: Actor, id: number) {
  return editablePartnershipRecord(trx, context, await findOutcomeForUpdate(trx, id), 'outcome');
}

/** The row as the audit trail keeps it: its own columns and its SDG targets, without timestamps. */
export function outcomeSnapshot(row: OutcomeRow, sdgTargets: readonly string[]) {
  return {
    partnership_id: row.partnership_id,
    exchange_id: row.exchange_id,
    kind: row.kind,
    status: row.status,
    title: row.title,
    description: row.description,
    date: row.date,
    sdg_targets: [...sdgTargets],
  };
}

function checkDescription(
  description: string | null | undefined,
  errors: UserError[],
): string | null {
  const trimmed = description?.trim() ?? '';
  if (trimmed.length > DESCRIPTION_MAX) {
    errors.push(
      userError(
        'VALIDATION',
        'description',
        `description must not be longer than ${DESCRIPTION_MAX} characters.`,
      ),
    );
  }
  return trimmed === '' ? null : trimmed;
}

async function checkExchange(
  db: Executor,
  exchangeId: string | null | undefined,
  partnershipId: number,
  viewer: Actor['viewer'],
  errors: UserError[],
): Promise<number | null> {
  if (exchangeId == null) return null;
  const id = decodeNodeId(exchangeId, 'Exchange');
  if (id === null) {
    errors.push(userError('VALIDATION', 'exchangeId', 'exchangeId is not an exchange id.'));
    return null;
  }
  const exchange = await findExchangePartnership(db, id);
  if (exchange && exchange.partnership_id === partnershipId) return id;
  // An exchange the viewer may not see is reported exactly like a missing one.
  const visible =
    exchange !== undefined && (await isPartnershipOfViewer(db, viewer, exchange.partnership_id));
  errors.push(
    visible
      ? userError(
          'VALIDATION',
          'exchangeId',
          'exchangeId must be an exchange of the same partnership.',
        )
      : userError('NOT_FOUND', 'exchangeId', 'exchangeId names no exchange.'),
  );
  return null;
}
