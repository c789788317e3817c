import type { Database, IndicatorUnit, ProgrammeGoal, ValueStatus } from '@udx/db/schema';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import {
  type Granularity,
  indicatorValue,
  type PeriodRange,
  periodRanges,
  periodSeries,
  runStatement,
  type Scope,
  withIndicatorFacts,
  withScopePartnerships,
} from './facts.ts';
import { INDICATOR_CODES, type IndicatorCode, indicatorRules, isIndicatorCode } from './rules.ts';
import { type IndicatorStatus, indicatorStatus, progressOf } from './status.ts';

/**
 * The indicator engine: every figure of PRODUCT.md §4 for any scope and period, computed by
 * PostgreSQL in one or two statements per call. Nothing is counted in JavaScript.
 */

export type { Granularity, Scope } from './facts.ts';
export type { IndicatorCode } from './rules.ts';
export type { IndicatorStatus } from './status.ts';

export interface ComputeOptions {
  /**
   * Which reported values count. Official figures use approved values only (the default);
   * programme evaluation may include submitted ones.
   */
  reportedStatuses?: readonly ValueStatus[];
}

export interface DatedComputeOptions extends ComputeOptions {
  /** The date that counts as today (`YYYY-MM-DD`); by default the current date (UTC). */
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
  unit: IndicatorUnit;
  /** The value over the whole scope and period. */
  value: number | null;
  /** The reference year: the year of `to`, else the current year. */
  year: number;
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
  const query = withIndicatorFacts(db, scope, reportedStatuses(options), periods)
    .selectFrom('period')
    .select(INDICATOR_CODES.map((code) => indicatorValue(code).as(code)));
  const [row] = await runStatement(db, 'indicators:values', query);
  if (!row) throw new Error('the indicator statement returned no row');
  return pickValues(row);
}

/** The scope's partnerships, cities and departments, and the activity of its period. */
export async function computeTotals(db: Kysely<Database>, scope: Scope): Promise<Totals> {
  checkScope(scope);
  const count = sql<number>`count(*)`;
  const query = withIndicatorFacts(
    db,
    scope,
    OFFICIAL_STATUSES,
    periodRanges([scopePeriod(scope)]),
  ).selectNoFrom((eb) => [
    eb.selectFrom('scope_partnership').select(count.as('n')).as('partnerships'),
    eb.selectFrom('scope_city').select(count.as('n')).as('cities'),
    eb
      .selectFrom('department')
      .innerJoin('scope_city', 'scope_city.city_id', 'department.city_id')
      .select(count.as('n'))
      .as('departments'),
    eb.selectFrom('period_exchange').select(count.as('n')).as('exchanges'),
    eb
      .selectFrom('period_outcome')
      .where('period_outcome.status', '<>', 'DROPPED')
      .select(count.as('n'))
      .as('outcomes'),
    eb
      .selectFrom('period_exchange')
      .select(sql<number>`coalesce(sum(participant_count), 0)`.as('n'))
      .as('participants'),
  ]);
  const [row] = await runStatement(db, 'indicators:totals', query);
  return {
    partnerships: row?.partnerships ?? 0,
    cities: row?.cities ?? 0,
    departments: row?.departments ?? 0,
    exchanges: row?.exchanges ?? 0,
    outcomes: row?.outcomes ?? 0,
    participants: row?.participants ?? 0,
  };
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
 * target, the progress towards it and the status against the pro-rata target.
 */
export async function computeGoalSummaries(
  db: Kysely<Database>,
  scope: Scope,
  options: DatedComputeOptions = {},
): Promise<GoalSummary[]> {
  checkScope(scope);
  const today = options.today ?? currentDate();
  checkDate(today, 'today');
  const year = Number((scope.to ?? today).slice(0, 4));
  const yearRange: PeriodRange = {
    key: 'year',
    from: latest(scope.from ?? null, `${year}-01-01`),
    to: earliest(scope.to ?? null, `${year}-12-31`),
    year,
  };
  const valuesQuery = withIndicatorFacts(
    db,
    scope,
    reportedStatuses(options),
    periodRanges([scopePeriod(scope), yearRange]),
  )
    .selectFrom('period')
    .select(['period.key', ...INDICATOR_CODES.map((code) => indicatorValue(code).as(code))]);
  const targetsQuery = withScopePartnerships(db, scope)
    .selectFrom('indicator')
    .leftJoin('target', (join) =>
      join
        .onRef('target.indicator_id', '=', 'indicator.id')
        .on('target.year', '=', year)
        .on(applicableTarget(scope)),
    )
    .select(['indicator.code', 'indicator.goal', 'target.baseline', 'target.target'])
    .orderBy('indicator.position');

  const rows = await runStatement(db, 'indicators:goal-values', valuesQuery);
  const targets = await runStatement(db, 'indicators:goal-targets', targetsQuery);
  const forScope = pickValues(rows.find((row) => row.key === 'scope') ?? {});
  const forYear = pickValues(rows.find((row) => row.key === 'year') ?? {});

  return PROGRAMME_GOALS.map((goal) => ({
    goal,
    indicators: targets.flatMap(({ code, goal: indicatorGoal, baseline, target }) => {
      if (indicatorGoal !== goal || !isIndicatorCode(code)) return [];
      const { unit } = indicatorRules[code];
      const yearValue = forYear[code];
      return [
        {
          code,
          unit,
          value: forScope[code],
          year,
          yearValue,
          target,
          baseline,
          progress: progressOf(yearValue, target),
          status: indicatorStatus({ value: yearValue, target, unit, year, today }),
        },
      ];
    }),
  }));
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
  if (!isIndicatorCode(indicatorCode)) {
    throw new RangeError(`unknown indicator code ${JSON.stringify(indicatorCode)}`);
  }
  checkScope(scope);
  const today = options.today ?? currentDate();
  checkDate(today, 'today');
  const query = withIndicatorFacts(
    db,
    scope,
    reportedStatuses(options),
    periodSeries(granularity, scope, today),
  )
    .selectFrom('period')
    .leftJoin('target', (join) =>
      granularity === 'YEAR'
        ? join
            .on('target.indicator_id', '=', (eb) =>
              eb
                .selectFrom('indicator')
                .select('indicator.id')
                .where('indicator.code', '=', indicatorCode),
            )
            .onRef('target.year', '=', 'period.year')
            .on(applicableTarget(scope))
        : join.on(sql<boolean>`false`),
    )
    .select([
      'period.key as period',
      indicatorValue(indicatorCode).as('value'),
      'target.baseline',
      'target.target',
    ])
    .orderBy('period.starts_on');
  return runStatement(db, 'indicators:series', query);
}

/**
 * Which target row holds for the scope: the partnership's own when the scope is exactly one
 * partnership (chosen by id; the other filters may only narrow it to nothing), the programme-wide
 * one when nothing narrows the scope. A country's or a city's selection is a sum of
 * partnerships whose targets were never set for that sum, so it gets no target at all.
 */
function applicableTarget(scope: Scope): RawBuilder<boolean> {
  if (scope.partnershipId != null) {
    return sql<boolean>`(target.partnership_id = ${scope.partnershipId}
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

function currentDate(): string {
  return new Date().toISOString().slice(0, 10);
}

function latest(a: string | null, b: string): string {
  return a !== null && a > b ? a : b;
}

function earliest(a: string | null, b: string): string {
  return a !== null && a < b ? a : b;
}
