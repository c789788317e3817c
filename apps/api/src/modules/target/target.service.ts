import { type Context, SKEW_ROLES } from '../../context.ts';
import { insertAuditEntryOfWrite } from '../audit/audit.repository.ts';
import { findIndicatorKeysByCodes } from '../indicator/indicator.repository.ts';
import { findCitiesOfPartnership } from '../partnership/partnership.repository.ts';
import { decodeNodeId } from '../shared/global-id.ts';
import {
  type ConstraintErrors,
  type MutationResult,
  roleError,
  runMutation,
} from '../shared/mutation.ts';
import { type UserError, UserErrorException, userError } from '../shared/user-error.ts';
import {
  findTargetForScope,
  insertTarget,
  type TargetRow,
  updateTargetValues,
} from './target.repository.ts';

const YEAR_MIN = 2000;
const YEAR_MAX = 2100;

/** What the database refuses, said as the input field that caused it. */
const TARGET_CONSTRAINTS: ConstraintErrors = {
  target_one_per_scope: userError(
    'CONFLICT',
    null,
    'A target for this indicator, year and partnership was set at the same moment; try again.',
  ),
  target_year_check: userError(
    'VALIDATION',
    'year',
    `year must be between ${YEAR_MIN} and ${YEAR_MAX}.`,
  ),
  target_baseline_check: userError('VALIDATION', 'baseline', 'baseline must not be negative.'),
  target_target_check: userError('VALIDATION', 'target', 'target must not be negative.'),
  target_partnership_id_fkey: userError(
    'NOT_FOUND',
    'partnershipId',
    'partnershipId names no partnership.',
  ),
};

export interface SetTargetArgs {
  indicatorCode: string;
  year: number;
  partnershipId?: string | null | undefined;
  baseline?: number | null | undefined;
  target: number;
}

/**
 * Sets the target of an indicator for a year, programme-wide or for one partnership: creates
 * it, or changes the one already set for that indicator, year and partnership.
 */
export async function setTarget(
  context: Pick<Context, 'db' | 'viewer'>,
  input: SetTargetArgs,
): Promise<MutationResult<TargetRow>> {
  const viewer = context.viewer;
  const denied = roleError(viewer, SKEW_ROLES);
  if (denied || !viewer) return { ok: false, errors: denied ? [denied] : [] };
  return runMutation(context.db, TARGET_CONSTRAINTS, async (trx) => {
    const errors: UserError[] = [];
    const [indicator] = await findIndicatorKeysByCodes(trx, [input.indicatorCode.trim()]);
    if (!indicator)
      errors.push(userError('NOT_FOUND', 'indicatorCode', `No indicator ${input.indicatorCode}.`));
    if (!Number.isInteger(input.year) || input.year < YEAR_MIN || input.year > YEAR_MAX) {
      errors.push(
        userError('VALIDATION', 'year', `year must be between ${YEAR_MIN} and ${YEAR_MAX}.`),
      );
    }
    let partnershipId: number | null = null;
    let cityIds: number[] = [];
    if (input.partnershipId != null) {
      partnershipId = decodeNodeId(input.partnershipId, 'Partnership');
      if (partnershipId === null) {
        errors.push(
          userError('VALIDATION', 'partnershipId', 'partnershipId is not a partnership id.'),
        );
      } else {
        cityIds = (await findCitiesOfPartnership(trx, partnershipId)).map((c) => c.city_id);
        if (cityIds.length === 0) {
          errors.push(
            userError('NOT_FOUND', 'partnershipId', 'partnershipId names no partnership.'),
          );
        }
      }
    }
    const baseline = input.baseline ?? null;
    if (baseline !== null && baseline < 0) {
      errors.push(userError('VALIDATION', 'baseline', 'baseline must not be negative.'));
    }
    if (input.target < 0)
      errors.push(userError('VALIDATION', 'target', 'target must not be negative.'));
    if (indicator?.unit === 'PERCENT') {
      if (input.target > 100)
        errors.push(userError('VALIDATION', 'target', 'target is a percentage: 100 at most.'));
      if (baseline !== null && baseline > 100) {
        errors.push(userError('VALIDATION', 'baseline', 'baseline is a percentage: 100 at most.'));
      }
    }
    // a missing indicator has added its error above
    if (!indicator || errors.length > 0) throw new UserErrorException(errors);

    const key = { indicatorId: indicator.id, year: input.year, partnershipId };
    const old = await findTargetForScope(trx, key);
    const row = old
      ? await updateTargetValues(trx, old.id, { baseline, target: input.target })
      : await insertTarget(trx, {
          indicator_id: indicator.id,
          year: input.year,
          partnership_id: partnershipId,
          baseline,
          target: input.target,
        });
    await insertAuditEntryOfWrite(
      trx,
      viewer,
      'target',
      row.id,
      cityIds,
      old ? targetSnapshot(old) : null,
      targetSnapshot(row),
    );
    return row;
  });
}

/** The row as the audit trail keeps it, without timestamps. */
export function targetSnapshot(row: TargetRow) {
  return {
    indicator_id: row.indicator_id,
    year: row.year,
    partnership_id: row.partnership_id,
    baseline: row.baseline,
    target: row.target,
  };
}
