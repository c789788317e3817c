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

/** One page of reported values, those waiting longest first (the order a review queue needs). */
export function findReportedValuesPage(
  db: Executor,
  filter: ReportedValueFilter,
  reach: ValueReach,
  page: Page,
): Promise<ReportedValueRow[]> {
  return selectReportedValues(db, filter, reach)
    .selectAll()
    .orderBy('entered_at')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
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
    .executeTakeFirst();
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
