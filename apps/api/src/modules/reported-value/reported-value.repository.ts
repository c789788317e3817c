import type { Database, ValueStatus } from '@udx/db/schema';
import { type Selectable, sql } from 'kysely';
import { selectPartnerCityIds } from '../city/city.repository.ts';
import { countQueryRows, type Page } from '../shared/paging.ts';
import type { Executor } from '../shared/transaction.ts';

export type ReportedValueRow = Selectable<Database['reported_value']>;

/**
 * Which reported values a viewer reads (docs/methodology.md, "Who sees which figure"): SKEW every
 * value, drafts included; the Foreign Office approved values only; a city account every value of
 * its own city and the approved values of its partner cities (approved values are shared within a
 * partnership, so a figure does not depend on who looks). Row-level security draws the same line
 * for city accounts (migration `20261201_0800_shared_approved_values`).
 */
export type ValueReach =
  | { kind: 'all' }
  | { kind: 'approved' }
  | { kind: 'city'; cityId: number }
  | { kind: 'none' };

export interface ReportedValueFilter {
  status?: ValueStatus | undefined;
  cityId?: number | undefined;
  indicatorId?: number | undefined;
  year?: number | undefined;
}

/** The orders a list of reported values comes in; each ends with the id, so pages are stable. */
type ReportedValueOrder = 'WAITING_LONGEST' | 'NEWEST' | 'CITY' | 'INDICATOR' | 'YEAR';

function selectReportedValues(db: Executor, filter: ReportedValueFilter, reach: ValueReach) {
  let query = db.selectFrom('reported_value');
  if (reach.kind === 'none') query = query.where(sql<boolean>`false`);
  if (reach.kind === 'approved') query = query.where('status', '=', 'APPROVED');
  if (reach.kind === 'city') {
    const { cityId } = reach;
    query = query.where((eb) =>
      eb.or([
        eb('reported_value.city_id', '=', cityId),
        eb.and([
          eb('reported_value.status', '=', 'APPROVED'),
          eb('reported_value.city_id', 'in', selectPartnerCityIds(db, cityId)),
        ]),
      ]),
    );
  }
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.cityId !== undefined) query = query.where('city_id', '=', filter.cityId);
  if (filter.indicatorId !== undefined)
    query = query.where('indicator_id', '=', filter.indicatorId);
  if (filter.year !== undefined) query = query.where('year', '=', filter.year);
  return query;
}

/**
 * One page of reported values in the order asked for; by default those waiting longest first
 * (the order a review queue needs).
 */
export function findReportedValuesPage(
  db: Executor,
  filter: ReportedValueFilter,
  reach: ValueReach,
  page: Page,
  order: ReportedValueOrder = 'WAITING_LONGEST',
): Promise<ReportedValueRow[]> {
  let query = selectReportedValues(db, filter, reach).selectAll('reported_value');
  if (order === 'NEWEST') query = query.orderBy('entered_at', 'desc');
  if (order === 'CITY') {
    query = query
      .innerJoin('city', 'city.id', 'reported_value.city_id')
      .orderBy('city.name')
      .orderBy('reported_value.entered_at');
  }
  if (order === 'INDICATOR') {
    query = query
      .innerJoin('indicator', 'indicator.id', 'reported_value.indicator_id')
      .orderBy('indicator.code')
      .orderBy('reported_value.entered_at');
  }
  if (order === 'YEAR') {
    query = query
      .orderBy('reported_value.year', 'desc')
      .orderBy(sql`reported_value.quarter DESC NULLS FIRST`)
      .orderBy('reported_value.entered_at');
  }
  if (order === 'WAITING_LONGEST') query = query.orderBy('reported_value.entered_at');
  return query.orderBy('reported_value.id').limit(page.limit).offset(page.offset).execute();
}

/**
 * The values of the same indicator and city a year before each of `rows` (the same quarter of
 * it for a quarterly value), those the viewer may read, proposals left out: one query for a
 * whole page of values.
 */
export function findPreviousValues(
  db: Executor,
  rows: readonly ReportedValueRow[],
  reach: ValueReach,
): Promise<ReportedValueRow[]> {
  if (rows.length === 0) return Promise.resolve([]);
  return selectReportedValues(db, {}, reach)
    .selectAll()
    .where('corrects_id', 'is', null)
    .where((eb) =>
      eb.or(
        rows.map((row) =>
          eb.and([
            eb('indicator_id', '=', row.indicator_id),
            eb('city_id', '=', row.city_id),
            eb('year', '=', row.year - 1),
            row.quarter === null ? eb('quarter', 'is', null) : eb('quarter', '=', row.quarter),
          ]),
        ),
      ),
    )
    .execute();
}

/** The key under which a value is the previous value of another (see findPreviousValues). */
export function periodKey(
  row: Pick<ReportedValueRow, 'indicator_id' | 'city_id' | 'year' | 'quarter'>,
  yearsBack = 0,
): string {
  return `${row.indicator_id}|${row.city_id}|${row.year - yearsBack}|${row.quarter ?? ''}`;
}

/**
 * The names shown for accounts, if the viewer's database role may read them (row-level
 * security: SKEW every account, a city account those of its own city).
 */
export async function findDisplayNames(
  db: Executor,
  userIds: readonly number[],
): Promise<Map<number, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('app_user')
    .select(['id', 'display_name', 'email'])
    .where('id', 'in', userIds)
    .execute();
  return new Map(rows.map((row) => [row.id, row.display_name || row.email]));
}

/** How many reported values match. */
export function countReportedValues(
  db: Executor,
  filter: ReportedValueFilter,
  reach: ValueReach,
): Promise<number> {
  return countQueryRows(selectReportedValues(db, filter, reach));
}

/** Reported values by id, for dataloaders; those out of the viewer's reach are absent. */
export function findReportedValuesByIds(
  db: Executor,
  ids: readonly number[],
  reach: ValueReach,
): Promise<ReportedValueRow[]> {
  // anonymous requests read no value (their database role may not even ask)
  if (ids.length === 0 || reach.kind === 'none') return Promise.resolve([]);
  return selectReportedValues(db, {}, reach).selectAll().where('id', 'in', ids).execute();
}

/**
 * The value of one indicator, city and period, if one was reported before. Not locked: a city
 * editor's database role may not lock an approved value (see `findReportedValueForUpdate`).
 */
export function findReportedValueForPeriod(
  db: Executor,
  key: { indicatorId: number; cityId: number; year: number; quarter: number | null },
): Promise<ReportedValueRow | undefined> {
  return db
    .selectFrom('reported_value')
    .selectAll()
    .where('indicator_id', '=', key.indicatorId)
    .where('city_id', '=', key.cityId)
    .where('year', '=', key.year)
    .where((eb) =>
      key.quarter === null ? eb('quarter', 'is', null) : eb('quarter', '=', key.quarter),
    )
    .where('corrects_id', 'is', null)
    .executeTakeFirst();
}

/** The correction proposal of an approved value, if there is one, locked. */
export function findProposalForUpdate(
  db: Executor,
  approvedId: number,
): Promise<ReportedValueRow | undefined> {
  return db
    .selectFrom('reported_value')
    .selectAll()
    .where('corrects_id', '=', approvedId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Approves a correction proposal: its figures replace those of the approved value it names,
 * and it is removed (`udx_approve_correction`, migration `20261201_1400_correction_proposals`).
 * Returns the approved value as it is now.
 */
export async function approveCorrection(
  db: Executor,
  proposalId: number,
): Promise<ReportedValueRow> {
  const { rows } = await sql<{
    id: number;
  }>`SELECT udx_approve_correction(${proposalId}) AS id`.execute(db);
  const id = rows[0]?.id;
  if (id === undefined) throw new Error(`no approved value for proposal ${proposalId}`);
  return db.selectFrom('reported_value').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/**
 * A value decided by `reviewerId` within the undo window, locked; undefined otherwise. The
 * window is the one row-level security allows (migration `20261201_1400_correction_proposals`).
 */
export function findUndoableDecision(
  db: Executor,
  id: number,
  reviewerId: number,
  minutes: number,
): Promise<ReportedValueRow | undefined> {
  return db
    .selectFrom('reported_value')
    .selectAll()
    .where('id', '=', id)
    .where('status', 'in', ['APPROVED', 'REJECTED'])
    .where('reviewed_by', '=', reviewerId)
    .where('reviewed_at', '>', sql<Date>`now() - make_interval(mins => ${minutes})`)
    .forUpdate()
    .executeTakeFirst();
}

/** Returns a decided value to SUBMITTED, as if it had not been reviewed. */
export function reopenValue(db: Executor, id: number): Promise<ReportedValueRow> {
  return db
    .updateTable('reported_value')
    .set({ status: 'SUBMITTED', rejection_reason: null, reviewed_by: null, reviewed_at: null })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** An indicator, city and year: the unit a city reports either once or per quarter. */
export interface ReportingYear {
  indicatorId: number;
  cityId: number;
  year: number;
}

/**
 * How the given indicators, cities and years are reported so far: one row per indicator, city,
 * year and grain (`yearly` true for a value of the whole year) among the values that hold a
 * grain, i.e. all but REJECTED ones. Combinations of the ids and years beyond those asked for
 * may be among the rows.
 */
export function findReportedGrains(
  db: Executor,
  years: readonly ReportingYear[],
): Promise<{ indicator_id: number; city_id: number; year: number; yearly: boolean }[]> {
  if (years.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('reported_value')
    .select(['indicator_id', 'city_id', 'year'])
    .select(sql<boolean>`quarter IS NULL`.as('yearly'))
    .distinct()
    .where('indicator_id', 'in', [...new Set(years.map((y) => y.indicatorId))])
    .where('city_id', 'in', [...new Set(years.map((y) => y.cityId))])
    .where('year', 'in', [...new Set(years.map((y) => y.year))])
    .where('status', '<>', 'REJECTED')
    .execute();
}

/**
 * One reported value, locked for the rest of the transaction. Row-level security lets a role
 * lock only the values it may change: a city editor's approved values are not found.
 */
export function findReportedValueForUpdate(
  db: Executor,
  id: number,
): Promise<ReportedValueRow | undefined> {
  return db
    .selectFrom('reported_value')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export interface ReportedFigures {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  note: string | null;
}

/** Saves a newly reported value, submitted for review. */
export function insertSubmittedValue(
  db: Executor,
  values: ReportedFigures & {
    indicator_id: number;
    city_id: number;
    year: number;
    quarter: number | null;
    entered_by: number | null;
    corrects_id?: number | null;
  },
): Promise<ReportedValueRow> {
  return db
    .insertInto('reported_value')
    .values({ ...values, status: 'SUBMITTED' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Replaces the figures of a value reported before and submits it for review again. */
export function resubmitValue(
  db: Executor,
  id: number,
  figures: ReportedFigures & { entered_by: number | null },
): Promise<ReportedValueRow> {
  return db
    .updateTable('reported_value')
    .set({
      ...figures,
      status: 'SUBMITTED',
      rejection_reason: null,
      entered_at: sql<Date>`now()`,
      reviewed_by: null,
      reviewed_at: null,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Records a review decision on a value. */
export function reviewValueById(
  db: Executor,
  id: number,
  review: {
    status: 'APPROVED' | 'REJECTED';
    rejection_reason: string | null;
    reviewed_by: number | null;
  },
): Promise<ReportedValueRow> {
  return db
    .updateTable('reported_value')
    .set({ ...review, reviewed_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
