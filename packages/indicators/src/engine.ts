import type { Database, IndicatorUnit, ProgrammeGoal, ValueStatus } from '@udx/db/schema';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import {
  type CellOptions,
  factTablesOf,
  type Granularity,
  indicatorValue,
  type PeriodRange,
  periodRanges,
  periodSeries,
  periodTotalValue,
  runStatement,
  selectCells,
  withIndicatorFacts,
  withScopePartnerships,
} from './facts.ts';
import {
  INDICATOR_CODES,
  type IndicatorCode,
  indicatorRules,
  isIndicatorCode,
  type RecordKind,
} from './rules.ts';
import type { Scope, ScopeRows } from './scope.ts';
import {
  type IndicatorStatus,
  indicatorStatus,
  progressOf,
  referenceDateOf,
  todayInBerlin,
} from './status.ts';

/**
 * The indicator engine: every figure docs/methodology.md defines, for any scope and period,
 * computed by PostgreSQL in one or two statements per call. Nothing is counted in JavaScript.
 */

export type { Granularity } from './facts.ts';
export type { IndicatorCode, RecordKind } from './rules.ts';
export { type Scope, type ScopeRows, selectPartnershipIdsInScope } from './scope.ts';
export type { IndicatorStatus } from './status.ts';

export interface ComputeOptions {
  /**
   * Which reported values count. Official figures use approved values only (the default);
   * programme evaluation may include submitted ones.
   */
  reportedStatuses?: readonly ValueStatus[];
}

export interface DatedComputeOptions extends ComputeOptions {
  /** The date that counts as today (`YYYY-MM-DD`); by default the current date in Berlin. */
  today?: string;
}

/** The value of every indicator: counts are 0 when nothing happened, a percentage null. */
export type IndicatorValues = Record<IndicatorCode, number | null>;

export interface Totals {
  partnerships: number;
  cities: number;
  departments: number;
  /** Exchanges that started in the period. */
  exchanges: number;
  /** Outcomes dated in the period, dropped ones left out. */
  outcomes: number;
  /** Participants of the exchanges that started in the period. */
  participants: number;
}

export interface SdgSummary {
  /** The SDG number, 1 to 17. */
  goal: number;
  exchangeCount: number;
  outcomeCount: number;
  /** Partnerships with an exchange or an outcome of the period that addresses the goal. */
  partnershipCount: number;
}

export interface IndicatorGoalSummary {
  code: IndicatorCode;
  /** The programme goal the indicator measures. */
  goal: ProgrammeGoal;
  unit: IndicatorUnit;
  /** The value over the whole scope and period. */
  value: number | null;
  /** The reference year: the year of `to`, else the current year. */
  year: number;
  /**
   * The day the status is judged at: `to` when it lies before today, else today (the
   * pro-rata share of a count's target runs from 1 January of `year` to this day).
   */
  referenceDate: string;
  /** The value in the reference year, within the period. */
  yearValue: number | null;
  target: number | null;
  baseline: number | null;
  /** yearValue / target; null without a target. */
  progress: number | null;
  status: IndicatorStatus;
}

export interface GoalSummary {
  goal: ProgrammeGoal;
  indicators: IndicatorGoalSummary[];
}

/** One partnership of a scope with the figures its dashboard alone would show. */
export interface PartnershipFigures {
  partnershipId: number;
  totals: Totals;
  /** The 15 indicators in display order, as in `GoalSummary.indicators`. */
  indicators: IndicatorGoalSummary[];
  /**
   * Whether any of its indicators has a target of the partnership's own for the reference
   * year. Without one, every indicator has no target: a partnership is never held against the
   * programme-wide targets (docs/methodology.md, "Targets").
   */
  hasOwnTargets: boolean;
}

export interface SeriesPoint {
  /** `2024` or `2024-Q3`. */
  period: string;
  value: number | null;
  /** Baseline and target of the year; null for quarters and years without a target. */
  baseline: number | null;
  target: number | null;
}

/** What an SDG is addressed by. */
type Activity = 'EXCHANGE' | 'OUTCOME';

const PROGRAMME_GOALS: readonly ProgrammeGoal[] = ['UNDERSTAND', 'SHAPE', 'NETWORK'];
const OFFICIAL_STATUSES: readonly ValueStatus[] = ['APPROVED'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The value of each of the 15 indicators for the scope and its period. */
export async function computeIndicatorValues(
  db: Kysely<Database>,
  scope: Scope,
  options: ComputeOptions = {},
): Promise<IndicatorValues> {
  checkScope(scope);
  const periods = periodRanges([scopePeriod(scope)]);
  const query = selectCells(
    withIndicatorFacts(db, scope, reportedStatuses(options), periods),
    factTablesOf(INDICATOR_CODES),
  ).select(INDICATOR_CODES.map((code) => indicatorValue(code).as(code)));
  const [row] = await runStatement(db, 'indicators:values', query);
  if (!row) throw new Error('the indicator statement returned no row');
  return pickValues(row);
}

/** The scope's partnerships, cities and departments, and the activity of its period. */
export async function computeTotals(db: Kysely<Database>, scope: Scope): Promise<Totals> {
  checkScope(scope);
  const [row] = await runStatement(db, 'indicators:totals', totalsQuery(db, scope));
  return totalsOf(row);
}

/**
 * Totals per cell: the whole scope, or each partnership of it. Distinct counts (cities,
 * departments) are taken within the cell, so a partnership's cities are its two.
 */
function totalsQuery(db: Kysely<Database>, scope: Scope, options: CellOptions = {}) {
  // The whole scope's counts are taken once; a partnership's cell counts its own cities through
  // the index of partnership_city, not by filtering the scope's for each of thousands of cells.
  // A partnership's cell exists only for a partnership of the scope (withCells): it counts one.
  const cellCities = sql`(SELECT partnership_city.city_id FROM partnership_city
    WHERE partnership_city.partnership_id = period.partnership_id)`;
  const perCell = <T>(scopeWide: RawBuilder<T>, ofPartnership: RawBuilder<T>) =>
    sql<T>`CASE WHEN period.partnership_id IS NULL THEN ${scopeWide} ELSE ${ofPartnership} END`;
  return selectCells(
    withIndicatorFacts(db, scope, OFFICIAL_STATUSES, periodRanges([scopePeriod(scope)]), options),
    factTablesOf([], ['exchanges', 'outcomes', 'participants']),
  ).select([
    'period.partnership_id',
    perCell(sql<number>`(SELECT count(*) FROM scope_partnership)`, sql<number>`1`).as(
      'partnerships',
    ),
    perCell(
      sql<number>`(SELECT count(*) FROM scope_city)`,
      sql<number>`(SELECT count(DISTINCT city_id) FROM ${cellCities} AS cell_city)`,
    ).as('cities'),
    perCell(
      sql<number>`(SELECT count(*) FROM department
        WHERE department.city_id IN (SELECT city_id FROM scope_city))`,
      sql<number>`(SELECT count(*) FROM department WHERE department.city_id IN ${cellCities})`,
    ).as('departments'),
    periodTotalValue('exchanges').as('exchanges'),
    periodTotalValue('outcomes').as('outcomes'),
    periodTotalValue('participants').as('participants'),
  ]);
}

function totalsOf(row: Partial<Totals> | undefined): Totals {
  return {
    partnerships: row?.partnerships ?? 0,
    cities: row?.cities ?? 0,
    departments: row?.departments ?? 0,
    exchanges: row?.exchanges ?? 0,
    outcomes: row?.outcomes ?? 0,
    participants: row?.participants ?? 0,
  };
}

/** A pair of departments, one of each side of a partnership, that took part in exchanges together. */
export interface DepartmentLink {
  germanDepartmentId: number;
  partnerDepartmentId: number;
  /** Exchanges of the period both took part in. */
  exchanges: number;
}

/**
 * The department links of the scope and period: the pairs N4 counts (a department of the German
 * city and one of the partner city in the same exchange), each with how many exchanges of the
 * period joined them; most exchanges first. Their number is N4's value for the same scope.
 */
export async function computeDepartmentLinks(
  db: Kysely<Database>,
  scope: Scope,
): Promise<DepartmentLink[]> {
  checkScope(scope);
  const query = withIndicatorFacts(db, scope, OFFICIAL_STATUSES, periodRanges([scopePeriod(scope)]))
    .selectFrom('period_department_link')
    .groupBy(['german_department_id', 'partner_department_id'])
    .select([
      'german_department_id as germanDepartmentId',
      'partner_department_id as partnerDepartmentId',
      sql<number>`count(DISTINCT exchange_id)::integer`.as('exchanges'),
    ])
    .orderBy('exchanges', 'desc')
    .orderBy('germanDepartmentId')
    .orderBy('partnerDepartmentId');
  return runStatement(db, 'indicators:department-links', query);
}

/**
 * One record behind an indicator's value: a row of the fact table its rule aggregates, as far as
 * the rule's filter keeps it, told apart by what it stands for (`kind`).
 */
export interface IndicatorRecord {
  kind: RecordKind;
  /**
   * The database id of the exchange, outcome, partnership, department or reported value; of a
   * department link, that of the German city's department. Null for topics and SDG targets.
   */
  id: number | null;
  /** The code of a topic or an SDG target; null otherwise. */
  code: string | null;
  /** The partner city's department of a department link; null otherwise. */
  partnerDepartmentId: number | null;
}

/** The columns of a fact table that name its records, as `id`, `code`, `partner_department_id`. */
const RECORD_COLUMNS: Readonly<Record<RecordKind, RawBuilder<unknown>>> = {
  EXCHANGE: sql`id, NULL::text, NULL::integer`,
  OUTCOME: sql`id, NULL::text, NULL::integer`,
  PARTNERSHIP: sql`partnership_id, NULL::text, NULL::integer`,
  TOPIC: sql`NULL::integer, topic_code, NULL::integer`,
  DEPARTMENT: sql`department_id, NULL::text, NULL::integer`,
  SDG_TARGET: sql`NULL::integer, target_code, NULL::integer`,
  DEPARTMENT_LINK: sql`german_department_id, NULL::text, partner_department_id`,
  REPORTED_VALUE: sql`id, NULL::text, NULL::integer`,
};

/**
 * The order a list of records reads in: exchanges and outcomes latest first, reported values
 * by period latest first, catalogue entries in the catalogue's order, departments by name.
 */
const RECORD_ORDER: Readonly<Record<RecordKind, RawBuilder<unknown>>> = {
  EXCHANGE: sql`(SELECT starts_on FROM exchange WHERE exchange.id = record.id) DESC, record.id DESC`,
  OUTCOME: sql`(SELECT date FROM outcome WHERE outcome.id = record.id) DESC, record.id DESC`,
  PARTNERSHIP: sql`record.id`,
  TOPIC: sql`(SELECT position FROM topic WHERE topic.code = record.code), record.code`,
  DEPARTMENT: sql`(SELECT name FROM department WHERE department.id = record.id), record.id`,
  SDG_TARGET: sql`(SELECT position FROM sdg_target WHERE sdg_target.code = record.code), record.code`,
  DEPARTMENT_LINK: sql`(SELECT name FROM department WHERE department.id = record.id),
    (SELECT name FROM department WHERE department.id = record.partner_department_id),
    record.id, record.partner_department_id`,
  REPORTED_VALUE: sql`(SELECT year * 10 + coalesce(quarter, 5) FROM reported_value
    WHERE reported_value.id = record.id) DESC, record.id`,
};

/**
 * The records behind an indicator's value for a scope and its period (docs/methodology.md,
 * "The records behind a figure"): the rows its rule aggregates, selected by the rule itself
 * (its fact table and filter), each once. For a count of records their number is the value;
 * for a sum or a pooled percentage they are the records summed or pooled.
 */
function selectIndicatorRecords(
  db: Kysely<Database>,
  code: IndicatorCode,
  scope: Scope,
  options: ComputeOptions,
) {
  checkScope(scope);
  const rule = indicatorRules[code];
  const where = rule.filter ? sql`WHERE ${rule.filter}` : sql``;
  return withIndicatorFacts(
    db,
    scope,
    reportedStatuses(options),
    periodRanges([scopePeriod(scope)]),
  ).with(
    'record(id, code, partner_department_id)',
    sql<{ id: number | null; code: string | null; partner_department_id: number | null }>`(
      SELECT DISTINCT ${RECORD_COLUMNS[rule.records]} FROM ${sql.table(rule.facts)} ${where})`,
  );
}

/** One page of the records behind an indicator's value (`selectIndicatorRecords`), in order. */
export async function findIndicatorRecords(
  db: Kysely<Database>,
  code: IndicatorCode,
  scope: Scope,
  page: { limit: number; offset: number },
  options: ComputeOptions = {},
): Promise<IndicatorRecord[]> {
  const kind = indicatorRules[code].records;
  const query = selectIndicatorRecords(db, code, scope, options)
    .selectFrom('record')
    .select(['record.id', 'record.code', 'record.partner_department_id'])
    .orderBy(RECORD_ORDER[kind])
    .limit(page.limit)
    .offset(page.offset);
  const rows = await runStatement(db, 'indicators:records', query);
  return rows.map((row) => ({
    kind,
    id: row.id,
    code: row.code,
    partnerDepartmentId: row.partner_department_id,
  }));
}

/** How many records are behind an indicator's value: for a count of records, the value. */
export async function countIndicatorRecords(
  db: Kysely<Database>,
  code: IndicatorCode,
  scope: Scope,
  options: ComputeOptions = {},
): Promise<number> {
  const query = selectIndicatorRecords(db, code, scope, options)
    .selectFrom('record')
    .select(sql<number>`count(*)::integer`.as('count'));
  const [row] = await runStatement(db, 'indicators:record-count', query);
  return row?.count ?? 0;
}

/**
 * Per SDG 1–17, the exchanges, outcomes (dropped ones left out) and partnerships of the scope
 * and period that address it. An exchange addresses the goals of its SDG targets and the
 * default goals of its topics; an outcome those of its SDG targets.
 */
export async function computeSdgSummaries(
  db: Kysely<Database>,
  scope: Scope,
): Promise<SdgSummary[]> {
  checkScope(scope);
  const query = withIndicatorFacts(db, scope, OFFICIAL_STATUSES, periodRanges([scopePeriod(scope)]))
    .with('sdg_activity', (qc) =>
      qc
        .selectFrom('period_exchange')
        .innerJoin('exchange_sdg_target', 'exchange_sdg_target.exchange_id', 'period_exchange.id')
        .innerJoin('sdg_target', 'sdg_target.code', 'exchange_sdg_target.target_code')
        .select([
          'sdg_target.goal',
          'period_exchange.partnership_id',
          sql<Activity>`'EXCHANGE'`.as('activity'),
          'period_exchange.id',
        ])
        .unionAll(
          qc
            .selectFrom('period_exchange')
            .innerJoin('exchange_topic', 'exchange_topic.exchange_id', 'period_exchange.id')
            .innerJoin('topic_sdg', 'topic_sdg.topic_code', 'exchange_topic.topic_code')
            .select([
              'topic_sdg.goal',
              'period_exchange.partnership_id',
              sql<Activity>`'EXCHANGE'`.as('activity'),
              'period_exchange.id',
            ]),
        )
        .unionAll(
          qc
            .selectFrom('period_outcome')
            .innerJoin('outcome_sdg_target', 'outcome_sdg_target.outcome_id', 'period_outcome.id')
            .innerJoin('sdg_target', 'sdg_target.code', 'outcome_sdg_target.target_code')
            .where('period_outcome.status', '<>', 'DROPPED')
            .select([
              'sdg_target.goal',
              'period_outcome.partnership_id',
              sql<Activity>`'OUTCOME'`.as('activity'),
              'period_outcome.id',
            ]),
        ),
    )
    .with('sdg_count', (qc) =>
      qc
        .selectFrom('sdg_activity')
        .groupBy('sdg_activity.goal')
        .select([
          'sdg_activity.goal',
          sql<number>`count(DISTINCT id) FILTER (WHERE activity = 'EXCHANGE')`.as('exchange_count'),
          sql<number>`count(DISTINCT id) FILTER (WHERE activity = 'OUTCOME')`.as('outcome_count'),
          sql<number>`count(DISTINCT partnership_id)`.as('partnership_count'),
        ]),
    )
    .selectFrom('sdg_goal')
    .leftJoin('sdg_count', 'sdg_count.goal', 'sdg_goal.number')
    .select([
      'sdg_goal.number as goal',
      sql<number>`coalesce(sdg_count.exchange_count, 0)`.as('exchangeCount'),
      sql<number>`coalesce(sdg_count.outcome_count, 0)`.as('outcomeCount'),
      sql<number>`coalesce(sdg_count.partnership_count, 0)`.as('partnershipCount'),
    ])
    .orderBy('sdg_goal.number');
  return runStatement(db, 'indicators:sdg-summaries', query);
}

/**
 * The indicators of the three programme goals with their value for the period and, for the
 * reference year (the year of `to`, else the current year), the value within the period, the
 * target, the progress towards it and the status at the reference date.
 */
export async function computeGoalSummaries(
  db: Kysely<Database>,
  scope: Scope,
  options: DatedComputeOptions = {},
): Promise<GoalSummary[]> {
  checkScope(scope);
  const cells = await indicatorSummariesOfCells(db, scope, options, {}, 'goal');
  const indicators = cells.get(null) ?? [];
  return PROGRAMME_GOALS.map((goal) => ({
    goal,
    indicators: indicators.filter((indicator) => indicator.goal === goal),
  }));
}

/** The order of the breakdown's rows: by German city, then partner city, then id. */
function breakdownOrderQuery(db: Kysely<Database>, scope: Scope | ScopeRows) {
  return withScopePartnerships(db, scope)
    .selectFrom('scope_partnership')
    .innerJoin('partnership', 'partnership.id', 'scope_partnership.id')
    .innerJoin('city as german', 'german.id', 'partnership.german_city_id')
    .innerJoin('city as partner', 'partner.id', 'partnership.partner_city_id')
    .select('partnership.id')
    .orderBy('german.name')
    .orderBy('partner.name')
    .orderBy('partnership.id');
}

/**
 * The partnerships of the scope in the order of their breakdown rows, without their figures: one
 * statement, for a page of the breakdown to know which rows it holds before computing them.
 */
export async function partnershipsInBreakdownOrder(
  db: Kysely<Database>,
  scope: Scope,
): Promise<number[]> {
  const rows = await runStatement(db, 'indicators:breakdown-order', breakdownOrderQuery(db, scope));
  return rows.map((row) => row.id);
}

/**
 * Each partnership of the scope with its totals and indicators, exactly as the dashboard of
 * that partnership alone (with the same period) would show them, in the German city's
 * alphabetical order. Every partnership of the scope has its row, those without activity in
 * the period too (their counts are 0): they are the ones lagging behind (docs/methodology.md,
 * "Breakdown by partnership"). The cost does not grow with the number of partnerships: four
 * statements whatever the scope. With `ScopeRows`, the rows of those partnerships alone: the
 * same rows as in the whole breakdown, for a fraction of the work at national scale.
 */
export async function computePartnershipBreakdown(
  db: Kysely<Database>,
  scope: Scope | ScopeRows,
  options: DatedComputeOptions = {},
): Promise<PartnershipFigures[]> {
  checkScope(scope);
  const byPartnership = { byPartnership: true };
  const order = breakdownOrderQuery(db, scope);
  const [partnerships, totals, indicators] = await Promise.all([
    runStatement(db, 'indicators:breakdown-partnerships', order),
    runStatement(db, 'indicators:breakdown-totals', totalsQuery(db, scope, byPartnership)),
    indicatorSummariesOfCells(db, scope, options, byPartnership, 'breakdown'),
  ]);
  const totalsById = new Map(totals.map((row) => [row.partnership_id, totalsOf(row)]));
  return partnerships.map(({ id }) => {
    const own = indicators.get(id) ?? [];
    return {
      partnershipId: id,
      totals: totalsById.get(id) ?? totalsOf(undefined),
      indicators: own,
      // A partnership's cell is held against its own targets only (`applicableTarget`), so
      // any target of the cell is one of its own.
      hasOwnTargets: own.some((indicator) => indicator.target !== null),
    };
  });
}

/**
 * The indicator summaries of each cell (the whole scope under the key null, or each
 * partnership under its id), in display order: one statement for the values of the period and
 * of the reference year, one for the targets that apply.
 */
async function indicatorSummariesOfCells(
  db: Kysely<Database>,
  scope: Scope,
  options: DatedComputeOptions,
  cells: CellOptions,
  name: 'goal' | 'breakdown',
): Promise<Map<number | null, IndicatorGoalSummary[]>> {
  const today = options.today ?? todayInBerlin();
  checkDate(today, 'today');
  const referenceDate = referenceDateOf(scope.to, today);
  const year = Number((scope.to ?? today).slice(0, 4));
  const yearRange: PeriodRange = {
    key: 'year',
    from: latest(scope.from ?? null, `${year}-01-01`),
    to: earliest(scope.to ?? null, `${year}-12-31`),
    year,
  };
  // A period of one calendar year (the overview's default) is its own reference year: its
  // values are computed once and serve as both.
  const sameYear = scope.from === yearRange.from && scope.to === yearRange.to;
  const valuesQuery = selectCells(
    withIndicatorFacts(
      db,
      scope,
      reportedStatuses(options),
      periodRanges(sameYear ? [scopePeriod(scope)] : [scopePeriod(scope), yearRange]),
      cells,
    ),
    factTablesOf(INDICATOR_CODES),
  ).select([
    'period.range_key',
    'period.partnership_id',
    ...INDICATOR_CODES.map((code) => indicatorValue(code).as(code)),
  ]);
  const targetsQuery = cells.byPartnership
    ? withScopePartnerships(db, scope)
        .selectFrom('scope_partnership')
        .innerJoin('indicator', (join) => join.on(sql<boolean>`true`))
        .leftJoin('target', (join) =>
          join
            .onRef('target.indicator_id', '=', 'indicator.id')
            .on('target.year', '=', year)
            .on(applicableTarget(scope, sql.ref('scope_partnership.id'))),
        )
        .select([
          'scope_partnership.id as partnership_id',
          'indicator.code',
          'indicator.goal',
          'indicator.position',
          'target.baseline',
          'target.target',
        ])
    : withScopePartnerships(db, scope)
        .selectFrom('indicator')
        .leftJoin('target', (join) =>
          join
            .onRef('target.indicator_id', '=', 'indicator.id')
            .on('target.year', '=', year)
            .on(applicableTarget(scope)),
        )
        .select([
          sql<number | null>`NULL::integer`.as('partnership_id'),
          'indicator.code',
          'indicator.goal',
          'indicator.position',
          'target.baseline',
          'target.target',
        ]);

  const [rows, targets] = await Promise.all([
    runStatement(db, `indicators:${name}-values`, valuesQuery),
    runStatement(
      db,
      `indicators:${name}-targets`,
      targetsQuery.orderBy('partnership_id').orderBy('indicator.position'),
    ),
  ]);
  const values = new Map(
    rows.map((row) => [`${row.range_key}/${row.partnership_id}`, pickValues(row)]),
  );
  const noValues = pickValues({});
  const valuesOf = (rangeKey: 'scope' | 'year', cell: number | null) =>
    values.get(`${sameYear ? 'scope' : rangeKey}/${cell}`) ?? noValues;
  const summaries = new Map<number | null, IndicatorGoalSummary[]>();
  for (const { partnership_id: cell, code, goal, baseline, target } of targets) {
    if (!isIndicatorCode(code)) continue;
    let list = summaries.get(cell);
    if (!list) {
      list = [];
      summaries.set(cell, list);
    }
    const { unit } = indicatorRules[code];
    const yearValue = valuesOf('year', cell)[code];
    list.push({
      code,
      goal,
      unit,
      value: valuesOf('scope', cell)[code],
      year,
      referenceDate,
      yearValue,
      target,
      baseline,
      progress: progressOf(yearValue, target),
      status: indicatorStatus({ value: yearValue, target, unit, year, referenceDate }),
    });
  }
  return summaries;
}

/**
 * The indicator per year or quarter, each period computed as `computeIndicatorValues` would
 * for it alone, with the year's baseline and target (none for quarters). From the period of
 * `from`, else the first with activity in the scope, to the period of `to`, else the current
 * one or the last with activity.
 */
export async function computeSeries(
  db: Kysely<Database>,
  indicatorCode: IndicatorCode,
  scope: Scope,
  granularity: Granularity,
  options: DatedComputeOptions = {},
): Promise<SeriesPoint[]> {
  const series = await computeSeriesOf(db, [indicatorCode], scope, granularity, options);
  return series.get(indicatorCode) ?? [];
}

/**
 * The series of several indicators for one scope and granularity, in one statement: what a
 * page showing many indicators' series costs does not grow with their number.
 */
export async function computeSeriesOf(
  db: Kysely<Database>,
  indicatorCodes: readonly IndicatorCode[],
  scope: Scope,
  granularity: Granularity,
  options: DatedComputeOptions = {},
): Promise<Map<IndicatorCode, SeriesPoint[]>> {
  for (const code of indicatorCodes) {
    if (!isIndicatorCode(code))
      throw new RangeError(`unknown indicator code ${JSON.stringify(code)}`);
  }
  checkScope(scope);
  const today = options.today ?? todayInBerlin();
  checkDate(today, 'today');
  const codes = [...new Set(indicatorCodes)];
  const series = new Map<IndicatorCode, SeriesPoint[]>(codes.map((code) => [code, []]));
  if (codes.length === 0) return series;
  const wanted = sql<{ code: string }>`(VALUES ${sql.join(codes.map((code) => sql`(${code})`))})`;
  const valueOfWanted = sql<number | null>`CASE wanted.code ${sql.join(
    codes.map((code) => sql`WHEN ${sql.lit(code)} THEN ${indicatorValue(code)}`),
    sql` `,
  )} END`;
  const query = selectCells(
    withIndicatorFacts(
      db,
      scope,
      reportedStatuses(options),
      periodSeries(granularity, scope, today),
    ).with('wanted(code)', wanted),
    factTablesOf(codes),
  )
    .innerJoin('wanted', (join) => join.on(sql<boolean>`true`))
    .innerJoin('indicator', 'indicator.code', 'wanted.code')
    .leftJoin('target', (join) =>
      granularity === 'YEAR'
        ? join
            .onRef('target.indicator_id', '=', 'indicator.id')
            .onRef('target.year', '=', 'period.year')
            .on(applicableTarget(scope))
        : join.on(sql<boolean>`false`),
    )
    .select([
      'wanted.code',
      'period.range_key as period',
      valueOfWanted.as('value'),
      'target.baseline',
      'target.target',
    ])
    .orderBy('wanted.code')
    .orderBy('period.starts_on');
  for (const { code, period, value, baseline, target } of await runStatement(
    db,
    'indicators:series',
    query,
  )) {
    if (isIndicatorCode(code)) series.get(code)?.push({ period, value, baseline, target });
  }
  return series;
}

/**
 * Which target row holds for the scope (docs/methodology.md, "Targets"): the partnership's own
 * when the scope is exactly one partnership (chosen by id; the other filters may only narrow it
 * to nothing), the programme-wide one when nothing narrows the scope. A country's or a city's
 * selection is a sum of partnerships whose targets were never set for that sum, so it gets no
 * target at all. A breakdown's cell of one partnership (`cellPartnership`) is that partnership's
 * scope alone, so the same rule gives it the partnership's own target and never another.
 */
function applicableTarget(
  scope: Scope,
  cellPartnership?: RawBuilder<unknown>,
): RawBuilder<boolean> {
  const partnership =
    cellPartnership ?? (scope.partnershipId != null ? sql`${scope.partnershipId}` : undefined);
  if (partnership !== undefined) {
    return sql<boolean>`(target.partnership_id = ${partnership}
      AND EXISTS (SELECT FROM scope_partnership))`;
  }
  if (scope.cityId == null && scope.countryCode == null) {
    return sql<boolean>`target.partnership_id IS NULL`;
  }
  return sql<boolean>`false`;
}

function scopePeriod(scope: Scope): PeriodRange {
  return { key: 'scope', from: scope.from ?? null, to: scope.to ?? null, year: null };
}

function reportedStatuses(options: ComputeOptions): readonly ValueStatus[] {
  return options.reportedStatuses ?? OFFICIAL_STATUSES;
}

function pickValues(row: Partial<Record<string, number | null | string>>): IndicatorValues {
  const values = {} as IndicatorValues;
  for (const code of INDICATOR_CODES) {
    const value = row[code];
    values[code] =
      typeof value === 'number' ? value : indicatorRules[code].unit === 'COUNT' ? 0 : null;
  }
  return values;
}

function checkScope(scope: Scope): void {
  if (scope.from != null) checkDate(scope.from, 'from');
  if (scope.to != null) checkDate(scope.to, 'to');
}

function checkDate(value: string, name: string): void {
  if (!DATE.test(value)) throw new RangeError(`${name} must be a date as YYYY-MM-DD, not ${value}`);
}

function latest(a: string | null, b: string): string {
  return a !== null && a > b ? a : b;
}

function earliest(a: string | null, b: string): string {
  return a !== null && a < b ? a : b;
}
