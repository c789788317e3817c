import type { Role } from '@udx/db/schema';
import { type Context, SKEW_ROLES, type Viewer } from '../../context.ts';
import {
  type AuditRecord,
  auditEntryOf,
  findAuditEntriesOf,
  insertAuditEntries,
} from '../audit/audit.repository.ts';
import { findExistingCityIds } from '../city/city.repository.ts';
import { findIndicatorKeysByCodes, type IndicatorKey } from '../indicator/indicator.repository.ts';
import { decodeNodeId } from '../shared/global-id.ts';
import {
  type ConstraintErrors,
  checkRoleAndId,
  constraintError,
  type MutationResult,
  prefixErrors,
  roleError,
  runMutation,
  throwIfAny,
} from '../shared/mutation.ts';
import type { Executor } from '../shared/transaction.ts';
import { type UserError, UserErrorException, userError } from '../shared/user-error.ts';
import {
  approveCorrection,
  findProposalForUpdate,
  findReportedGrains,
  findReportedValueForPeriod,
  findReportedValueForUpdate,
  findReportedValuesByIds,
  findUndoableDecision,
  insertSubmittedValue,
  type ReportedFigures,
  type ReportedValueRow,
  reopenValue,
  resubmitValue,
  reviewValueById,
  type ValueReach,
} from './reported-value.repository.ts';

/**
 * For how many minutes a reviewer may undo a decision; row-level security allows the same
 * (migration `20261201_1400_correction_proposals`).
 */
export const UNDO_MINUTES = 10;

/** Who reports values: city staff for their own city, SKEW administration for any. */
export const VALUE_REPORTERS: readonly Role[] = ['CITY_EDITOR', 'SKEW_ADMIN'];

/** At most this many values in one batch: a year of quarters for every reported indicator, many times over. */
export const BATCH_MAX = 500;
const NOTE_MAX = 2_000;
const YEAR_MIN = 2000;
const YEAR_MAX = 2100;

/** What the database refuses, said as the input field (within one element of `values`). */
const VALUE_CONSTRAINTS: ConstraintErrors = {
  reported_value_numerator_within_denominator: userError(
    'VALIDATION',
    'numerator',
    'numerator must not be greater than denominator.',
  ),
  reported_value_value_non_negative: userError(
    'VALIDATION',
    'value',
    'value must not be negative.',
  ),
  reported_value_numerator_non_negative: userError(
    'VALIDATION',
    'numerator',
    'numerator must not be negative.',
  ),
  reported_value_denominator_positive: userError(
    'VALIDATION',
    'denominator',
    'denominator must be greater than 0.',
  ),
  reported_value_value_or_fraction: userError(
    'VALIDATION',
    'value',
    'Give either a value (COUNT) or a numerator and a denominator (PERCENT).',
  ),
  reported_value_matches_unit: userError(
    'VALIDATION',
    'value',
    'The indicator takes a value (COUNT) or a numerator and a denominator (PERCENT).',
  ),
  reported_value_indicator_is_reported: userError(
    'VALIDATION',
    'indicatorCode',
    'indicatorCode is a computed indicator; its values cannot be reported.',
  ),
  reported_value_year_check: userError(
    'VALIDATION',
    'year',
    `year must be between ${YEAR_MIN} and ${YEAR_MAX}.`,
  ),
  reported_value_quarter_check: userError(
    'VALIDATION',
    'quarter',
    'quarter must be between 1 and 4.',
  ),
  // the batch was checked against the values stored, so this is a concurrent request's value
  reported_value_one_grain_per_year: userError(
    'VALIDATION',
    'quarter',
    'The city reports this indicator for this year the other way already (once for the year or ' +
      'per quarter); a year is reported either once or per quarter, never both.',
  ),
  reported_value_one_per_period: userError(
    'CONFLICT',
    null,
    'A value for this indicator, city and period was reported at the same moment; try again.',
  ),
  reported_value_rejection_has_reason: userError(
    'VALIDATION',
    'reason',
    'A rejection needs a reason.',
  ),
  reported_value_one_proposal: userError(
    'CONFLICT',
    null,
    'A correction of this value was proposed at the same moment; try again.',
  ),
  reported_value_proposal_matches: userError(
    'CONFLICT',
    null,
    'The value to correct is no longer approved; report the period again instead.',
  ),
};

export interface ReportedValueArgs {
  indicatorCode: string;
  cityId: string;
  year: number;
  quarter?: number | null | undefined;
  value?: number | null | undefined;
  numerator?: number | null | undefined;
  denominator?: number | null | undefined;
  note?: string | null | undefined;
}

export interface ReviewValueArgs {
  valueId: string;
  decision: 'APPROVE' | 'REJECT';
  reason?: string | null | undefined;
}

type Actor = Pick<Context, 'db' | 'viewer'>;

/** The reported values a viewer reads (docs/methodology.md, "Who sees which figure"). */
export function valueReachOf(viewer: Viewer | null): ValueReach {
  if (!viewer) return { kind: 'none' };
  if (SKEW_ROLES.includes(viewer.role)) return { kind: 'all' };
  if (viewer.role === 'FOREIGN_OFFICE') return { kind: 'approved' };
  if (viewer.cityId !== null) return { kind: 'city', cityId: viewer.cityId };
  return { kind: 'none' };
}

export interface CheckedValue {
  indicator: IndicatorKey;
  cityId: number;
  year: number;
  quarter: number | null;
  figures: ReportedFigures;
}

/**
 * Saves a batch of reported values, all or nothing, each SUBMITTED for review. A value reported
 * again for the same indicator, city and period replaces the earlier one unless that one was
 * approved already.
 */
export async function reportValues(
  context: Actor,
  input: { values: readonly ReportedValueArgs[] },
): Promise<MutationResult<ReportedValueRow[]>> {
  const viewer = context.viewer;
  const denied = roleError(viewer, VALUE_REPORTERS);
  if (denied || !viewer) return { ok: false, errors: denied ? [denied] : [] };
  if (input.values.length === 0) {
    return {
      ok: false,
      errors: [userError('VALIDATION', 'values', 'values must hold at least one value.')],
    };
  }
  if (input.values.length > BATCH_MAX) {
    return {
      ok: false,
      errors: [
        userError('VALIDATION', 'values', `values may hold at most ${BATCH_MAX} values at a time.`),
      ],
    };
  }
  return runMutation(context.db, VALUE_CONSTRAINTS, async (trx) => {
    const checked = await checkValues(trx, viewer, input.values);
    const saved: ReportedValueRow[] = [];
    const audit: AuditRecord[] = [];
    for (const [index, value] of checked.entries()) {
      try {
        const found = await findReportedValueForPeriod(trx, {
          indicatorId: value.indicator.id,
          cityId: value.cityId,
          year: value.year,
          quarter: value.quarter,
        });
        // Lock the value to be replaced. A city editor may not lock, change or delete an
        // approved value at all (row-level security hides it from the lock), so an approved
        // value is told from the plain read, and one approved meanwhile by the lock finding none.
        const existing =
          found && found.status !== 'APPROVED'
            ? await findReportedValueForUpdate(trx, found.id)
            : found;
        if (existing?.status === 'APPROVED' || (found && !existing)) {
          throw new UserErrorException([
            userError(
              'CONFLICT',
              `values.${index}`,
              `values.${index}: the value for ${value.indicator.code} in this period is approved ` +
                'already; propose a correction of it instead.',
            ),
          ]);
        }
        const row = existing
          ? await resubmitValue(trx, existing.id, { ...value.figures, entered_by: viewer.userId })
          : await insertSubmittedValue(trx, {
              ...value.figures,
              indicator_id: value.indicator.id,
              city_id: value.cityId,
              year: value.year,
              quarter: value.quarter,
              entered_by: viewer.userId,
            });
        saved.push(row);
        audit.push(
          auditEntryOf(
            viewer,
            'reported_value',
            row.id,
            [row.city_id],
            existing ? valueSnapshot(existing) : null,
            valueSnapshot(row),
          ),
        );
      } catch (error) {
        const mapped = constraintError(error, VALUE_CONSTRAINTS);
        if (mapped) throw new UserErrorException(prefixErrors([mapped], `values.${index}.`));
        throw error;
      }
    }
    await insertAuditEntries(trx, audit);
    return saved;
  });
}

const ONE_GRAIN = 'a year is reported either once or per quarter, never both.';

/** Whether values may be reported for this year (YEAR_MIN to YEAR_MAX). */
function isYear(year: number): boolean {
  return Number.isInteger(year) && year >= YEAR_MIN && year <= YEAR_MAX;
}

/** City staff report their own city's values, SKEW administration any city's. */
function mayReportFor(viewer: Viewer, cityId: number): boolean {
  return viewer.role === 'SKEW_ADMIN' || cityId === viewer.cityId;
}

function reportingYearKey(indicatorId: number, cityId: number, year: number): string {
  return `${indicatorId}/${cityId}/${year}`;
}

function grainOf(yearly: boolean): string {
  return yearly ? 'once for the year' : 'per quarter';
}

/** What a batch of values refers to, read before any value is checked. */
interface BatchReferences {
  indicators: IndicatorKey[];
  /** The database id of each value's city, by position; null where `cityId` is no city id. */
  cityIds: (number | null)[];
  /** Which of those cities exist. */
  knownCities: Set<number>;
  /** The grain already stored for an indicator, city and year: true for yearly. */
  heldGrains: Map<string, boolean>;
}

/** What the values checked so far in a batch claim, for the rules spanning several values. */
interface BatchClaims {
  /** The first value for each indicator, city and period. */
  periods: Map<string, number>;
  /** The first value of the batch for each indicator, city and year, and whether it is yearly. */
  grains: Map<string, { index: number; yearly: boolean }>;
}

/**
 * The rule a value breaks, for callers that word problems themselves (the spreadsheet import
 * speaks German too; README, "Import").
 */
export type ValueRule =
  | 'NOT_A_CITY_ID'
  | 'CITY_NOT_YOURS'
  | 'NO_SUCH_CITY'
  | 'YEAR_OUT_OF_RANGE'
  | 'QUARTER_OUT_OF_RANGE'
  | 'NO_SUCH_INDICATOR'
  | 'COMPUTED_INDICATOR'
  | 'NOTE_TOO_LONG'
  | 'FRACTION_EXPECTED'
  | 'VALUE_EXPECTED'
  | 'NEGATIVE'
  | 'NOT_POSITIVE'
  | 'NOT_A_COUNT'
  | 'NUMERATOR_ABOVE_DENOMINATOR'
  | 'ONE_GRAIN'
  | 'DUPLICATE';

/** A rule one value of a batch breaks. */
export interface ValueProblem extends UserError {
  /** The value's position in the batch (or in the whole file, see findValueProblems). */
  index: number;
  /** The input field concerned without the `values.<index>.` path; null for the whole value. */
  valueField: string | null;
  rule: ValueRule;
  /** The earlier value a duplicate or a second grain clashes with. */
  other?: number;
}

/** Records an error of one value's field (`values.<index>.<field>`). */
type FieldFailure = (
  code: UserError['code'],
  field: string,
  message: string,
  rule: ValueRule,
  other?: number,
) => void;

function indicatorOf(references: BatchReferences, input: ReportedValueArgs) {
  return references.indicators.find((i) => i.code === input.indicatorCode.trim());
}

/** The indicators, cities and stored grains a batch names, in three statements. */
async function readBatchReferences(
  db: Executor,
  viewer: Viewer,
  values: readonly ReportedValueArgs[],
): Promise<BatchReferences> {
  const indicators = await findIndicatorKeysByCodes(db, [
    ...new Set(values.map((v) => v.indicatorCode.trim())),
  ]);
  const cityIds = values.map((v) => decodeNodeId(v.cityId, 'City'));
  const knownCities = new Set(
    await findExistingCityIds(db, [...new Set(cityIds.filter((id) => id !== null))]),
  );
  const grains = await findReportedGrains(
    db,
    values.flatMap((v, index) => {
      const indicator = indicators.find((i) => i.code === v.indicatorCode.trim());
      const cityId = cityIds[index];
      // a city it may not report for is refused anyway, and its values are none of its business;
      // a year out of range too, and the column (smallint) could not even be compared with it
      return indicator && cityId != null && mayReportFor(viewer, cityId) && isYear(v.year)
        ? [{ indicatorId: indicator.id, cityId, year: v.year }]
        : [];
    }),
  );
  const heldGrains = new Map(
    grains.map((row) => [reportingYearKey(row.indicator_id, row.city_id, row.year), row.yearly]),
  );
  return { indicators, cityIds, knownCities, heldGrains };
}

/** The value's city: a city id, one the viewer reports for, one that exists. */
function checkCity(
  fail: FieldFailure,
  viewer: Viewer,
  cityId: number | null,
  knownCities: Set<number>,
): void {
  if (cityId === null) fail('VALIDATION', 'cityId', 'not a city id.', 'NOT_A_CITY_ID');
  else if (!mayReportFor(viewer, cityId)) {
    fail('FORBIDDEN', 'cityId', "you may only report your own city's values.", 'CITY_NOT_YOURS');
  } else if (!knownCities.has(cityId)) fail('NOT_FOUND', 'cityId', 'no such city.', 'NO_SUCH_CITY');
}

/** The value's year and quarter; the quarter, null for a yearly value. */
function checkPeriod(fail: FieldFailure, input: ReportedValueArgs): number | null {
  if (!isYear(input.year)) {
    fail('VALIDATION', 'year', `must be between ${YEAR_MIN} and ${YEAR_MAX}.`, 'YEAR_OUT_OF_RANGE');
  }
  const quarter = input.quarter ?? null;
  if (quarter !== null && (quarter < 1 || quarter > 4))
    fail('VALIDATION', 'quarter', 'must be between 1 and 4.', 'QUARTER_OUT_OF_RANGE');
  return quarter;
}

/** The value's indicator: one that exists and is reported, not computed. */
function checkIndicator(
  fail: FieldFailure,
  indicator: IndicatorKey | undefined,
  input: ReportedValueArgs,
): void {
  if (!indicator)
    fail('NOT_FOUND', 'indicatorCode', `no indicator ${input.indicatorCode}.`, 'NO_SUCH_INDICATOR');
  else if (indicator.source !== 'REPORTED') {
    fail(
      'VALIDATION',
      'indicatorCode',
      `${indicator.code} is computed from the records; it is not reported.`,
      'COMPUTED_INDICATOR',
    );
  }
}

/**
 * The figures as the indicator's unit takes them (docs/methodology.md, "Reported values"): a
 * percentage as a numerator and a denominator, a count as a whole number; and the note.
 */
function checkFigures(
  fail: FieldFailure,
  indicator: IndicatorKey | undefined,
  input: ReportedValueArgs,
): ReportedFigures {
  const figures: ReportedFigures = {
    value: input.value ?? null,
    numerator: input.numerator ?? null,
    denominator: input.denominator ?? null,
    note: input.note?.trim() || null,
  };
  if (figures.note !== null && figures.note.length > NOTE_MAX) {
    fail('VALIDATION', 'note', `must not be longer than ${NOTE_MAX} characters.`, 'NOTE_TOO_LONG');
  }
  if (indicator?.unit === 'PERCENT') checkPercentFigures(fail, figures);
  else if (indicator?.unit === 'COUNT') checkCountFigures(fail, figures);
  return figures;
}

function checkPercentFigures(fail: FieldFailure, figures: ReportedFigures): void {
  if (figures.value !== null)
    fail(
      'VALIDATION',
      'value',
      'a PERCENT indicator takes a numerator and a denominator, not a value.',
      'FRACTION_EXPECTED',
    );
  if (figures.numerator === null)
    fail('VALIDATION', 'numerator', 'a PERCENT indicator needs a numerator.', 'FRACTION_EXPECTED');
  else if (figures.numerator < 0)
    fail('VALIDATION', 'numerator', 'must not be negative.', 'NEGATIVE');
  if (figures.denominator === null)
    fail(
      'VALIDATION',
      'denominator',
      'a PERCENT indicator needs a denominator.',
      'FRACTION_EXPECTED',
    );
  else if (figures.denominator <= 0)
    fail('VALIDATION', 'denominator', 'must be greater than 0.', 'NOT_POSITIVE');
  if (
    figures.numerator !== null &&
    figures.denominator !== null &&
    figures.numerator > figures.denominator
  ) {
    fail(
      'VALIDATION',
      'numerator',
      'must not be greater than the denominator.',
      'NUMERATOR_ABOVE_DENOMINATOR',
    );
  }
}

function checkCountFigures(fail: FieldFailure, figures: ReportedFigures): void {
  if (figures.numerator !== null)
    fail(
      'VALIDATION',
      'numerator',
      'a COUNT indicator takes a value, not a numerator.',
      'VALUE_EXPECTED',
    );
  if (figures.denominator !== null) {
    fail(
      'VALIDATION',
      'denominator',
      'a COUNT indicator takes a value, not a denominator.',
      'VALUE_EXPECTED',
    );
  }
  if (figures.value === null)
    fail('VALIDATION', 'value', 'a COUNT indicator needs a value.', 'VALUE_EXPECTED');
  else if (figures.value < 0 || !Number.isInteger(figures.value)) {
    fail('VALIDATION', 'value', 'must be a whole number, 0 or more.', 'NOT_A_COUNT');
  }
}

/**
 * One grain per indicator, city and year (docs/methodology.md, "Reported values"): the values
 * stored decide it, else the batch's first value of that year.
 */
function checkOneGrain(
  fail: FieldFailure,
  value: { index: number; indicator: IndicatorKey; cityId: number; year: number },
  yearly: boolean,
  heldGrains: Map<string, boolean>,
  claims: BatchClaims,
): void {
  const { index, indicator, cityId, year } = value;
  const reportingYear = reportingYearKey(indicator.id, cityId, year);
  const held = heldGrains.get(reportingYear);
  const firstOfYear = claims.grains.get(reportingYear);
  if (held !== undefined && held !== yearly) {
    fail(
      'VALIDATION',
      'quarter',
      `the city reports ${indicator.code} for ${year} ${grainOf(held)} already; ${ONE_GRAIN}`,
      'ONE_GRAIN',
    );
  } else if (firstOfYear !== undefined && firstOfYear.yearly !== yearly) {
    fail(
      'VALIDATION',
      'quarter',
      `values.${firstOfYear.index} reports ${indicator.code} of the same city for ${year} ` +
        `${grainOf(firstOfYear.yearly)}; ${ONE_GRAIN}`,
      'ONE_GRAIN',
      firstOfYear.index,
    );
  } else if (firstOfYear === undefined) {
    claims.grains.set(reportingYear, { index, yearly });
  }
}

/** A value whose indicator, city and period an earlier value of the batch names. */
function checkDuplicatePeriod(
  value: { index: number; indicator: IndicatorKey; cityId: number; year: number },
  quarter: number | null,
  claims: BatchClaims,
): ValueProblem | null {
  const { index, indicator, cityId, year } = value;
  const period = `${indicator.id}/${cityId}/${year}/${quarter ?? '-'}`;
  const first = claims.periods.get(period);
  if (first === undefined) {
    claims.periods.set(period, index);
    return null;
  }
  return {
    ...userError(
      'CONFLICT',
      `values.${index}`,
      `values.${index} reports the same indicator, city and period as values.${first}.`,
    ),
    index,
    valueField: null,
    rule: 'DUPLICATE',
    other: first,
  };
}

/** What the rules spanning several values remember; one per batch, or per file across its chunks. */
export function newValueClaims(): BatchClaims {
  return { periods: new Map(), grains: new Map() };
}

/**
 * Checks values against every rule a reported value must meet, before anything is written:
 * the problems found, and each value checked (null where it has a problem). reportValues and
 * the spreadsheet import share these rules. A file checked in chunks passes the same `claims`
 * for each and numbers its values from `firstIndex`, so duplicates and grains are found across
 * chunks.
 */
export async function findValueProblems(
  db: Executor,
  viewer: Viewer,
  values: readonly ReportedValueArgs[],
  claims: BatchClaims = newValueClaims(),
  firstIndex = 0,
): Promise<{ checked: (CheckedValue | null)[]; problems: ValueProblem[] }> {
  const references = await readBatchReferences(db, viewer, values);
  const problems: ValueProblem[] = [];
  const checked: (CheckedValue | null)[] = [];
  for (const [position, input] of values.entries()) {
    const index = firstIndex + position;
    const at = `values.${index}.`;
    const rowProblems: ValueProblem[] = [];
    const fail: FieldFailure = (code, field, message, rule, other) =>
      rowProblems.push({
        ...userError(code, `${at}${field}`, `${at}${field}: ${message}`),
        index,
        valueField: field,
        rule,
        ...(other === undefined ? {} : { other }),
      });

    const cityId = references.cityIds[position] ?? null;
    checkCity(fail, viewer, cityId, references.knownCities);
    const quarter = checkPeriod(fail, input);
    const indicator = indicatorOf(references, input);
    checkIndicator(fail, indicator, input);
    const figures = checkFigures(fail, indicator, input);
    if (indicator && cityId !== null) {
      const value = { index, indicator, cityId, year: input.year };
      checkOneGrain(fail, value, quarter === null, references.heldGrains, claims);
      const duplicate = checkDuplicatePeriod(value, quarter, claims);
      if (duplicate) rowProblems.push(duplicate);
    }
    problems.push(...rowProblems);
    checked.push(
      rowProblems.length === 0 && indicator && cityId !== null
        ? { indicator, cityId, year: input.year, quarter, figures }
        : null,
    );
  }
  return { checked, problems };
}

/** Every rule a value must meet, checked for the whole batch before anything is written. */
async function checkValues(
  db: Executor,
  viewer: Viewer,
  values: readonly ReportedValueArgs[],
): Promise<CheckedValue[]> {
  const { checked, problems } = await findValueProblems(db, viewer, values);
  throwIfAny(problems.map(({ code, field, message }) => userError(code, field, message)));
  return checked.filter((value) => value !== null);
}

/** Approves or rejects (with a reason) a value waiting for review. */
export async function reviewValue(
  context: Actor,
  input: ReviewValueArgs,
): Promise<MutationResult<ReportedValueRow>> {
  const viewer = context.viewer;
  const denied = roleError(viewer, SKEW_ROLES);
  if (denied || !viewer) return { ok: false, errors: denied ? [denied] : [] };
  const id = decodeNodeId(input.valueId, 'ReportedValue');
  if (id === null) {
    return {
      ok: false,
      errors: [userError('VALIDATION', 'valueId', 'valueId is not a reported value id.')],
    };
  }
  const reason = input.reason?.trim() || null;
  if (input.decision === 'REJECT' && reason === null) {
    return {
      ok: false,
      errors: [userError('VALIDATION', 'reason', 'A rejection needs a reason.')],
    };
  }
  if (reason !== null && reason.length > NOTE_MAX) {
    return {
      ok: false,
      errors: [
        userError('VALIDATION', 'reason', `reason must not be longer than ${NOTE_MAX} characters.`),
      ],
    };
  }
  return runMutation(context.db, VALUE_CONSTRAINTS, async (trx) => {
    const old = await findReportedValueForUpdate(trx, id);
    if (!old)
      throw new UserErrorException([
        userError('NOT_FOUND', 'valueId', 'valueId names no reported value.'),
      ]);
    if (old.status !== 'SUBMITTED') {
      throw new UserErrorException([
        userError(
          'CONFLICT',
          'valueId',
          `Only submitted values can be reviewed; this one is ${old.status}.`,
        ),
      ]);
    }
    if (old.corrects_id !== null && input.decision === 'APPROVE') {
      return approveProposal(trx, viewer, old, old.corrects_id);
    }
    const row = await reviewValueById(trx, id, {
      status: input.decision === 'APPROVE' ? 'APPROVED' : 'REJECTED',
      rejection_reason: input.decision === 'REJECT' ? reason : null,
      reviewed_by: viewer.userId,
    });
    await auditValueChange(trx, viewer, old, row);
    return row;
  });
}

/**
 * Approves a correction proposal: the approved value takes its figures and note, the proposal
 * is gone; both changes audited. Returns the approved value as it is now.
 */
async function approveProposal(
  trx: Executor,
  viewer: Viewer,
  proposal: ReportedValueRow,
  approvedId: number,
): Promise<ReportedValueRow> {
  // read, not locked: no request role may lock an approved value; udx_approve_correction does
  const [before] = await findReportedValuesByIds(trx, [approvedId], { kind: 'all' });
  const row = await approveCorrection(trx, proposal.id);
  await insertAuditEntries(trx, [
    auditEntryOf(
      viewer,
      'reported_value',
      proposal.id,
      [proposal.city_id],
      valueSnapshot(proposal),
      null,
    ),
    auditEntryOf(
      viewer,
      'reported_value',
      row.id,
      [row.city_id],
      before ? valueSnapshot(before) : null,
      valueSnapshot(row),
    ),
  ]);
  return row;
}

/**
 * Takes back a review decision: a value the same reviewer approved or rejected within the last
 * UNDO_MINUTES minutes is SUBMITTED again, audited like any change. An approved correction
 * proposal has been merged into its value and cannot be taken back this way.
 */
export async function undoReview(
  context: Actor,
  input: { valueId: string },
): Promise<MutationResult<ReportedValueRow>> {
  const viewer = context.viewer;
  const checked = checkRoleAndId(viewer, SKEW_ROLES, input.valueId, {
    field: 'valueId',
    typename: 'ReportedValue',
    message: 'valueId is not a reported value id.',
  });
  if (!checked.ok || !viewer) return checked.ok ? { ok: false, errors: [] } : checked;
  const id = checked.value;
  return runMutation(context.db, VALUE_CONSTRAINTS, async (trx) => {
    const old = await findUndoableDecision(trx, id, viewer.userId, UNDO_MINUTES);
    if (!old || (await wasCorrectionApproval(trx, id, viewer.userId))) {
      throw new UserErrorException([
        userError(
          'CONFLICT',
          'valueId',
          `Only a decision you made in the last ${UNDO_MINUTES} minutes can be undone, and not ` +
            "the approval of a correction; this value's review stands.",
        ),
      ]);
    }
    const row = await reopenValue(trx, id);
    await auditValueChange(trx, viewer, old, row);
    return row;
  });
}

/** Whether the last change of a value was a reviewer's approval of a correction of it. */
async function wasCorrectionApproval(db: Executor, id: number, reviewerId: number) {
  const trail = await findAuditEntriesOf(db, 'reported_value', id);
  const last = trail.at(-1);
  const before = last?.old_values as { status?: string } | null | undefined;
  return last?.actor_id === reviewerId && before?.status === 'APPROVED';
}

/**
 * Proposes a corrected value for an APPROVED value of the same indicator, city and period
 * (docs/methodology.md, "Reported values"): saved as a proposal, SUBMITTED for review, while the
 * approved value keeps counting. Proposing again replaces the earlier proposal.
 */
export async function proposeCorrection(
  context: Actor,
  input: ReportedValueArgs,
): Promise<MutationResult<ReportedValueRow>> {
  const viewer = context.viewer;
  const denied = roleError(viewer, VALUE_REPORTERS);
  if (denied || !viewer) return { ok: false, errors: denied ? [denied] : [] };
  return runMutation(context.db, VALUE_CONSTRAINTS, async (trx) => {
    const [value] = await checkValues(trx, viewer, [input]).catch((error: unknown) => {
      // the checks speak of a batch (`values.0.`); this input is the one value itself
      if (error instanceof UserErrorException) {
        throw new UserErrorException(
          error.errors.map((e) => ({
            ...e,
            field: e.field?.replace(/^values\.0\.?/, '') || null,
            message: e.message.replace(/^values\.0\./, ''),
          })),
        );
      }
      throw error;
    });
    if (!value) throw new Error('checkValues returned no value');
    const approved = await findReportedValueForPeriod(trx, {
      indicatorId: value.indicator.id,
      cityId: value.cityId,
      year: value.year,
      quarter: value.quarter,
    });
    if (approved?.status !== 'APPROVED') {
      throw new UserErrorException([
        userError(
          'CONFLICT',
          'year',
          `No value of ${value.indicator.code} for this period is approved; report it instead.`,
        ),
      ]);
    }
    const existing = await findProposalForUpdate(trx, approved.id);
    const row = existing
      ? await resubmitValue(trx, existing.id, { ...value.figures, entered_by: viewer.userId })
      : await insertSubmittedValue(trx, {
          ...value.figures,
          indicator_id: value.indicator.id,
          city_id: value.cityId,
          year: value.year,
          quarter: value.quarter,
          entered_by: viewer.userId,
          corrects_id: approved.id,
        });
    await auditValueChange(trx, viewer, existing ?? null, row);
    return row;
  });
}

/** Audits one value's change from `old` (null: created) to `row`, in the name of the viewer. */
function auditValueChange(
  trx: Executor,
  viewer: Viewer,
  old: ReportedValueRow | null,
  row: ReportedValueRow,
): Promise<void> {
  return insertAuditEntries(trx, [
    auditEntryOf(
      viewer,
      'reported_value',
      row.id,
      [row.city_id],
      old ? valueSnapshot(old) : null,
      valueSnapshot(row),
    ),
  ]);
}

/** The row as the audit trail keeps it, without timestamps. */
export function valueSnapshot(row: ReportedValueRow) {
  return {
    indicator_id: row.indicator_id,
    city_id: row.city_id,
    year: row.year,
    quarter: row.quarter,
    value: row.value,
    numerator: row.numerator,
    denominator: row.denominator,
    note: row.note,
    status: row.status,
    rejection_reason: row.rejection_reason,
    entered_by: row.entered_by,
    reviewed_by: row.reviewed_by,
    corrects_id: row.corrects_id,
  };
}
