import type {
  ReportedFigures,
  ReportedValueRow,
} from '../reported-value/reported-value.repository.ts';
import type { Executor } from '../shared/transaction.ts';

/** The cities the viewer's database role can read (row-level security), to find one by name. */
export function findVisibleCities(
  db: Executor,
): Promise<{ id: number; name: string; country_code: string }[]> {
  return db.selectFrom('city').select(['id', 'name', 'country_code']).orderBy('name').execute();
}

/** The cities a template lists: all for SKEW administration, else the account's own. */
export function findCitiesOfTemplate(
  db: Executor,
  cityId: number | null,
): Promise<{ id: number; name: string }[]> {
  let query = db.selectFrom('city').select(['id', 'name']).orderBy('name');
  if (cityId !== null) query = query.where('id', '=', cityId);
  return query.execute();
}

/** The reported (not computed) indicators, in catalogue order. */
export function findReportedIndicators(db: Executor) {
  return db
    .selectFrom('indicator')
    .select(['code', 'unit', 'name_en', 'name_de'])
    .where('source', '=', 'REPORTED')
    .orderBy('position')
    .execute();
}

export interface PeriodKey {
  indicatorId: number;
  cityId: number;
  year: number;
  quarter: number | null;
}

export function periodKeyOf(key: PeriodKey): string {
  return `${key.indicatorId}/${key.cityId}/${key.year}/${key.quarter ?? '-'}`;
}

/**
 * The values reported before for these periods (proposals aside), by period key, in one
 * statement. Not locked: a city editor's role may not lock an approved value; the values to
 * replace are locked one by one before they are (as reportValues does).
 */
export async function findValuesOfPeriods(
  db: Executor,
  keys: readonly PeriodKey[],
): Promise<Map<string, ReportedValueRow>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .selectFrom('reported_value')
    .selectAll()
    .where('indicator_id', 'in', [...new Set(keys.map((k) => k.indicatorId))])
    .where('city_id', 'in', [...new Set(keys.map((k) => k.cityId))])
    .where('year', 'in', [...new Set(keys.map((k) => k.year))])
    .where('corrects_id', 'is', null)
    .execute();
  return new Map(
    rows.map((row) => [
      periodKeyOf({
        indicatorId: row.indicator_id,
        cityId: row.city_id,
        year: row.year,
        quarter: row.quarter,
      }),
      row,
    ]),
  );
}

/**
 * Saves newly reported values, submitted for review, in one statement (as
 * `insertSubmittedValue` does one).
 */
export function insertSubmittedValues(
  db: Executor,
  values: readonly (ReportedFigures & PeriodKey)[],
  enteredBy: number,
): Promise<ReportedValueRow[]> {
  if (values.length === 0) return Promise.resolve([]);
  return db
    .insertInto('reported_value')
    .values(
      values.map((v) => ({
        indicator_id: v.indicatorId,
        city_id: v.cityId,
        year: v.year,
        quarter: v.quarter,
        value: v.value,
        numerator: v.numerator,
        denominator: v.denominator,
        note: v.note,
        status: 'SUBMITTED' as const,
        entered_by: enteredBy,
      })),
    )
    .returningAll()
    .execute();
}
