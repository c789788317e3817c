import type {
  Database,
  DepartmentType,
  ExchangeKind,
  GovernanceLevel,
  OutcomeKind,
  OutcomeStatus,
  ValueStatus,
} from '@udx/db/schema';
import { type Compilable, type Kysely, type QueryCreator, type RawBuilder, sql } from 'kysely';
import {
  type FactTable,
  type IndicatorCode,
  indicatorRules,
  type PeriodTotal,
  periodTotalRules,
} from './rules.ts';
import { type Scope, type ScopeRows, selectPartnershipIdsInScope } from './scope.ts';

/**
 * The facts every figure is computed from, as common table expressions of one SQL statement:
 * first the scope (partnerships, their cities, and the exchanges, outcomes and reported values
 * that belong to them), then those facts joined to the periods asked for, each row carrying the
 * key of its period. A statement groups by that key, so a whole series costs one statement.
 */

/** A period a statement computes figures for; open ends are null. */
export interface PeriodRange {
  key: string;
  from: string | null;
  to: string | null;
  /** The calendar year the period lies in, when it lies in one (targets are per year). */
  year: number | null;
}

interface PeriodRow {
  key: string;
  starts_on: string;
  ends_on: string;
  year: number | null;
}

/**
 * What one row of figures covers: a period, over the whole scope or over one partnership of
 * it (`CellOptions.byPartnership`). `key` tells the cells apart, `range_key` is the period's.
 */
interface CellRow extends PeriodRow {
  range_key: string;
  /** The partnership the cell covers; null when it covers the whole scope. */
  partnership_id: number | null;
}

export interface CellOptions {
  /**
   * One cell per period and partnership of the scope instead of one per period, so that a
   * breakdown by partnership costs the same statements as the scope's own figures. Each
   * partnership's cell counts what its dashboard alone would: its exchanges and outcomes, and
   * the reported values of its two cities.
   */
  byPartnership?: boolean;
}

/** The common table expressions below, so that each can be written with the typed builder. */
type FactTables = {
  scope_partnership: { id: number };
  scope_city: { city_id: number };
  scope_exchange: {
    id: number;
    partnership_id: number;
    kind: ExchangeKind;
    starts_on: string;
    participant_count: number;
    governance_levels: GovernanceLevel[];
  };
  scope_outcome: {
    id: number;
    partnership_id: number;
    kind: OutcomeKind;
    status: OutcomeStatus;
    date: string;
  };
  scope_reported_value: {
    id: number;
    city_id: number;
    indicator_code: string;
    value: number | null;
    numerator: number | null;
    denominator: number | null;
    /** The first day of the value's quarter, or of its year when it has no quarter. */
    first_day: string;
    /** The last day of the value's quarter, or of its year when it has no quarter. */
    last_day: string;
  };
  data_bounds: { first_day: string | null; last_day: string | null };
  period_range: PeriodRow;
  period: CellRow;
  period_exchange: Omit<FactTables['scope_exchange'], 'starts_on'> & { period_key: string };
  period_exchange_topic: { period_key: string; topic_code: string };
  period_exchange_department: {
    period_key: string;
    department_id: number;
    department_type: DepartmentType;
  };
  period_department_link: {
    period_key: string;
    /** The exchange both departments took part in. */
    exchange_id: number;
    german_department_id: number;
    partner_department_id: number;
  };
  period_outcome: Omit<FactTables['scope_outcome'], 'date'> & { period_key: string };
  period_sdg_target: { period_key: string; target_code: string };
  period_reported_value: Omit<
    FactTables['scope_reported_value'],
    'city_id' | 'first_day' | 'last_day'
  > & {
    period_key: string;
  };
};

/** The aggregates of each fact table per cell (`withAggregates`), read through `cellValue`. */
type AggregateTables = { [Name in ComputedTable<FactTable>]: Record<string, unknown> };

type FactDatabase = Kysely<Database & FactTables & AggregateTables>;

/** Periods given as date ranges, e.g. the scope's own `from`/`to`. */
export function periodRanges(ranges: readonly PeriodRange[]): RawBuilder<PeriodRow> {
  const rows = ranges.map(
    (range) => sql`(${range.key}::text,
      coalesce(${range.from}::date, '-infinity'::date),
      coalesce(${range.to}::date, 'infinity'::date),
      ${range.year}::int)`,
  );
  return sql<PeriodRow>`(VALUES ${sql.join(rows)})`;
}

export type Granularity = 'YEAR' | 'QUARTER';

/**
 * Consecutive years or quarters, from the period of `from` (else the first with any activity in
 * the scope) to the period of `to` (else the current one, or the last with activity when that
 * is later). The first and last periods are cut to `from`/`to`. No activity and no `from`: none.
 */
export function periodSeries(
  granularity: Granularity,
  scope: Scope,
  today: string,
): RawBuilder<PeriodRow> {
  const unit = granularity === 'YEAR' ? 'year' : 'quarter';
  const step = granularity === 'YEAR' ? '1 year' : '3 months';
  const label = granularity === 'YEAR' ? 'YYYY' : 'YYYY-"Q"Q';
  const from = scope.from ?? null;
  const to = scope.to ?? null;
  // The periods go through an array because PostgreSQL assumes 1000 rows for a set-returning
  // function whose bounds it cannot see, and would plan (and JIT-compile) the statement for
  // thousands of periods; for an unnested array it assumes a handful, which is what a series is.
  return sql<PeriodRow>`(SELECT
      to_char(series.start, ${label}::text) AS key,
      greatest(series.start::date, ${from}::date) AS starts_on,
      least((series.start + ${step}::interval - interval '1 day')::date, ${to}::date) AS ends_on,
      extract(year FROM series.start)::int AS year
    FROM unnest(ARRAY(SELECT generate_series(
      date_trunc(${unit}::text,
        coalesce(${from}::date, (SELECT first_day FROM data_bounds))::timestamp),
      date_trunc(${unit}::text,
        coalesce(${to}::date, greatest(${today}::date, (SELECT last_day FROM data_bounds)))::timestamp),
      ${step}::interval))) AS series (start))`;
}

/**
 * The scope's partnerships alone: the first step of every statement's facts, and all that
 * statements looking up targets need.
 */
export function withScopePartnerships(db: Kysely<Database>, scope: Scope | ScopeRows) {
  const fdb: FactDatabase = db.withTables<FactTables & AggregateTables>();
  return fdb.with('scope_partnership', selectPartnershipIdsInScope(db, scope));
}

type ComputedTable<Facts extends FactTable> = Facts extends `period_${infer Name}`
  ? `computed_${Name}`
  : never;

/** The CTE that holds the aggregates of one fact table, one row per period. */
function valueTable<Facts extends FactTable>(facts: Facts): ComputedTable<Facts> {
  return facts.replace(/^period_/, 'computed_') as ComputedTable<Facts>;
}

/** Every rule over one fact table, grouped by cell: one pass over the facts for all of them. */
function aggregateFacts(facts: FactTable): RawBuilder<Record<string, unknown>> {
  const rules: [string, { facts: FactTable; aggregate: RawBuilder<number | null> }][] = [
    ...Object.entries(indicatorRules),
    ...Object.entries(periodTotalRules),
  ];
  const columns = rules
    .filter(([, rule]) => rule.facts === facts)
    .map(([name, rule]) => sql`${rule.aggregate} AS ${sql.id(name)}`);
  return sql`(SELECT period_key, ${sql.join(columns)} FROM ${sql.table(facts)} GROUP BY period_key)`;
}

/**
 * The aggregate `name` of `facts` for the current row of `period`, null for an empty cell: a
 * column of the aggregate table that `selectCells` joins to `period`.
 */
function cellValue(facts: FactTable, name: string): RawBuilder<number | null> {
  return sql<number | null>`${sql.ref(`${valueTable(facts)}.${name}`)}`;
}

/** The fact tables the values of these indicators and period totals are aggregated from. */
export function factTablesOf(
  codes: readonly IndicatorCode[],
  totals: readonly PeriodTotal[] = [],
): FactTable[] {
  return [
    ...new Set([
      ...codes.map((code) => indicatorRules[code].facts),
      ...totals.map((name) => periodTotalRules[name].facts),
    ]),
  ];
}

/**
 * The cells (`period`) of a statement with the aggregates of `tables` joined by the cell's key,
 * for `indicatorValue` and `periodTotalValue` to read: each aggregate table is read once for
 * all cells. (A lookup per cell and figure scans the aggregate table again every time: for a
 * breakdown of 5,000 partnerships over two periods, 10,000 cells times 15 figures times as many
 * aggregate rows.) Each aggregate table holds one row per cell, so the join adds no rows.
 */
export function selectCells<DB extends Database & FactTables & AggregateTables>(
  facts: QueryCreator<DB>,
  tables: readonly FactTable[],
) {
  const query = facts.selectFrom('period');
  // The aggregates are read through `cellValue` as raw references, so the row type stays
  // `period`'s; the aggregate tables' columns are not typed (AggregateTables).
  type Joining = { leftJoin(table: string, column: string, key: string): Joining };
  let joined = query as unknown as Joining;
  for (const table of new Set(tables)) {
    const computed = valueTable(table);
    joined = joined.leftJoin(computed, `${computed}.period_key`, 'period.key');
  }
  return joined as unknown as typeof query;
}

/**
 * The value of an indicator for the current row of `period`. Counts of an empty period are 0;
 * a percentage without respondents stays null.
 */
export function indicatorValue(code: IndicatorCode): RawBuilder<number | null> {
  const rule = indicatorRules[code];
  const lookup = cellValue(rule.facts, code);
  return rule.unit === 'COUNT' ? sql<number>`coalesce(${lookup}, 0)` : lookup;
}

/** A total of the period's activity for the current row of `period`; 0 for an empty one. */
export function periodTotalValue(name: PeriodTotal): RawBuilder<number> {
  return sql<number>`coalesce(${cellValue(periodTotalRules[name].facts, name)}, 0)`;
}

/** Builds the common table expressions below with the typed builder, one step at a time. */
type FactCreator = QueryCreator<Database & FactTables & AggregateTables>;

/**
 * A statement's common table expressions: the scope, the periods and the facts per period, and
 * the aggregated indicator values per fact table. PostgreSQL plans only the ones a statement
 * refers to, so each statement pays only for what it reads.
 */
export function withIndicatorFacts(
  db: Kysely<Database>,
  scope: Scope,
  reportedStatuses: readonly ValueStatus[],
  periods: RawBuilder<PeriodRow>,
  options: CellOptions = {},
) {
  const byPartnership = options.byPartnership ?? false;
  let facts = withScope(db, scope);
  facts = withScopeActivity(facts, scope, reportedStatuses);
  facts = withDataBounds(facts);
  facts = withCells(facts, periods, byPartnership);
  facts = withPeriodExchanges(facts, byPartnership);
  facts = withPeriodOutcomes(facts, byPartnership);
  facts = withPeriodReportedValues(facts, byPartnership);
  return withAggregates(facts);
}

/**
 * The scope's partnerships and their cities, both sides: everything else belongs to the scope
 * through one or the other (docs/methodology.md, "Scopes and periods").
 */
function withScope(db: Kysely<Database>, scope: Scope): FactCreator {
  return withScopePartnerships(db, scope).with('scope_city', (qc) =>
    qc
      .selectFrom('partnership_city')
      .innerJoin('scope_partnership', 'scope_partnership.id', 'partnership_city.partnership_id')
      .select('partnership_city.city_id')
      .distinct(),
  );
}

/**
 * What happened in the scope: exchanges and outcomes through their partnership, reported values
 * (of the statuses that count) through their city, each value with the first and last day of its
 * year or quarter so that periods can take it only whole (docs/methodology.md, "Scopes and
 * periods"). Every period a statement computes lies within the scope's `from` and `to`, so
 * nothing outside them is read: a year of a national programme reads a year's activity, not
 * all of it (reported values by their year, which the periods then take whole or not at all).
 */
function withScopeActivity(
  facts: FactCreator,
  scope: Scope,
  reportedStatuses: readonly ValueStatus[],
): FactCreator {
  const from = scope.from ?? null;
  const to = scope.to ?? null;
  return facts
    .with('scope_exchange', (qc) =>
      qc
        .selectFrom('exchange')
        .innerJoin('scope_partnership', 'scope_partnership.id', 'exchange.partnership_id')
        .$if(from !== null, (q) => q.where('exchange.starts_on', '>=', from as string))
        .$if(to !== null, (q) => q.where('exchange.starts_on', '<=', to as string))
        .select([
          'exchange.id',
          'exchange.partnership_id',
          'exchange.kind',
          'exchange.starts_on',
          'exchange.participant_count',
          'exchange.governance_levels',
        ]),
    )
    .with('scope_outcome', (qc) =>
      qc
        .selectFrom('outcome')
        .innerJoin('scope_partnership', 'scope_partnership.id', 'outcome.partnership_id')
        .$if(from !== null, (q) => q.where('outcome.date', '>=', from as string))
        .$if(to !== null, (q) => q.where('outcome.date', '<=', to as string))
        .select([
          'outcome.id',
          'outcome.partnership_id',
          'outcome.kind',
          'outcome.status',
          'outcome.date',
        ]),
    )
    .with('scope_reported_value', (qc) =>
      qc
        .selectFrom('reported_value')
        .innerJoin('scope_city', 'scope_city.city_id', 'reported_value.city_id')
        .innerJoin('indicator', 'indicator.id', 'reported_value.indicator_id')
        .where((eb) =>
          reportedStatuses.length === 0
            ? eb.lit(false)
            : eb('reported_value.status', 'in', reportedStatuses),
        )
        // a correction proposal never counts, not even in SKEW's preview of submitted values:
        // its approved value does until the proposal is approved (docs/methodology.md)
        .where('reported_value.corrects_id', 'is', null)
        .$if(from !== null, (q) => q.where('reported_value.year', '>=', yearOf(from as string)))
        .$if(to !== null, (q) => q.where('reported_value.year', '<=', yearOf(to as string)))
        .select([
          'reported_value.id',
          'reported_value.city_id',
          'indicator.code as indicator_code',
          'reported_value.value',
          'reported_value.numerator',
          'reported_value.denominator',
          sql<string>`make_date(reported_value.year, coalesce(reported_value.quarter * 3 - 2, 1), 1)`.as(
            'first_day',
          ),
          sql<string>`(make_date(reported_value.year, coalesce(reported_value.quarter * 3, 12), 1)
              + interval '1 month' - interval '1 day')::date`.as('last_day'),
        ]),
    );
}

function yearOf(day: string): number {
  return Number(day.slice(0, 4));
}

/**
 * The first and last day of any activity in the scope: where a series has no `from` or `to`,
 * it runs from the first activity and at least to the last (`periodSeries`).
 */
function withDataBounds(facts: FactCreator): FactCreator {
  return facts.with('data_bounds', (qc) =>
    qc
      .selectFrom(
        qc
          .selectFrom('scope_exchange')
          .select('scope_exchange.starts_on as day')
          .unionAll(qc.selectFrom('scope_outcome').select('scope_outcome.date as day'))
          .unionAll(
            qc.selectFrom('scope_reported_value').select('scope_reported_value.first_day as day'),
          )
          .as('activity'),
      )
      .select((eb) => [
        eb.fn.min<string | null>('activity.day').as('first_day'),
        eb.fn.max<string | null>('activity.day').as('last_day'),
      ]),
  );
}

/**
 * The cells a statement computes figures for: one per period asked for, or with
 * `byPartnership` one per period and partnership of the scope, so that a breakdown by
 * partnership costs the same statements as the scope's own figures (docs/methodology.md,
 * "Breakdown by partnership").
 */
function withCells(
  facts: FactCreator,
  periods: RawBuilder<PeriodRow>,
  byPartnership: boolean,
): FactCreator {
  return facts.with('period_range(key, starts_on, ends_on, year)', periods).with(
    'period',
    byPartnership
      ? sql<CellRow>`(SELECT period_range.key || '/' || scope_partnership.id AS key,
              period_range.key AS range_key, scope_partnership.id AS partnership_id,
              period_range.starts_on, period_range.ends_on, period_range.year
            FROM period_range CROSS JOIN scope_partnership)`
      : sql<CellRow>`(SELECT key, key AS range_key, NULL::integer AS partnership_id,
              starts_on, ends_on, year FROM period_range)`,
  );
}

/**
 * Whether an exchange or outcome counts in the current cell: exchanges count in the period they
 * start in, outcomes in that of their date; in a cell of one partnership, only that
 * partnership's (docs/methodology.md, "Scopes and periods").
 */
function activityInCell(
  table: 'scope_exchange' | 'scope_outcome',
  day: 'starts_on' | 'date',
  byPartnership: boolean,
): RawBuilder<boolean> {
  return byPartnership
    ? sql<boolean>`${sql.ref(`${table}.${day}`)} BETWEEN period.starts_on AND period.ends_on
          AND ${sql.ref(`${table}.partnership_id`)} = period.partnership_id`
    : sql<boolean>`${sql.ref(`${table}.${day}`)} BETWEEN period.starts_on AND period.ends_on`;
}

/**
 * Whether a reported value counts in the current cell: only when its whole year or quarter lies
 * inside the period (docs/methodology.md, "Reported values"); in a partnership's cell, when it
 * is a value of one of the partnership's two cities.
 */
function reportedValueInCell(byPartnership: boolean): RawBuilder<boolean> {
  return byPartnership
    ? sql<boolean>`scope_reported_value.first_day >= period.starts_on
        AND scope_reported_value.last_day <= period.ends_on
        AND EXISTS (SELECT FROM partnership_city
          WHERE partnership_city.partnership_id = period.partnership_id
            AND partnership_city.city_id = scope_reported_value.city_id)`
    : sql<boolean>`scope_reported_value.first_day >= period.starts_on
        AND scope_reported_value.last_day <= period.ends_on`;
}

/**
 * The exchanges of each cell, and what the exchange rules count over them: their topics, their
 * departments and the pairs of departments of the two cities that met in one exchange. The rules
 * count each distinct per cell, so that a department counts once however many exchanges it took
 * part in (docs/methodology.md, "Aggregation"). Topics are made distinct here already: a
 * handful per cell, from tens of thousands of rows at national scale. Departments are not: their
 * rule counts them distinct in any case, and a second pass over the rows only cost time.
 */
function withPeriodExchanges(facts: FactCreator, byPartnership: boolean): FactCreator {
  return (
    facts
      .with('period_exchange', (qc) =>
        qc
          .selectFrom('scope_exchange')
          .innerJoin('period', (join) =>
            join.on(activityInCell('scope_exchange', 'starts_on', byPartnership)),
          )
          .select([
            'period.key as period_key',
            'scope_exchange.id',
            'scope_exchange.partnership_id',
            'scope_exchange.kind',
            'scope_exchange.participant_count',
            'scope_exchange.governance_levels',
          ]),
      )
      .with('period_exchange_topic', (qc) =>
        qc
          .selectFrom('period_exchange')
          .innerJoin('exchange_topic', 'exchange_topic.exchange_id', 'period_exchange.id')
          .select(['period_exchange.period_key', 'exchange_topic.topic_code'])
          .distinct(),
      )
      .with('period_exchange_department', (qc) =>
        qc
          .selectFrom('period_exchange')
          .innerJoin('exchange_department', 'exchange_department.exchange_id', 'period_exchange.id')
          .innerJoin('department', 'department.id', 'exchange_department.department_id')
          .select([
            'period_exchange.period_key',
            'department.id as department_id',
            'department.type as department_type',
          ]),
      )
      // Joined from the tables themselves, not from the CTE above: their indexes keep the pairing
      // of departments per exchange cheap whatever the planner guesses about a CTE's size.
      .with('period_department_link', (qc) =>
        qc
          .selectFrom('period_exchange')
          .innerJoin('partnership', 'partnership.id', 'period_exchange.partnership_id')
          .innerJoin('exchange_department as german', (join) =>
            join
              .onRef('german.exchange_id', '=', 'period_exchange.id')
              .onRef('german.city_id', '=', 'partnership.german_city_id'),
          )
          .innerJoin('exchange_department as partner', (join) =>
            join
              .onRef('partner.exchange_id', '=', 'period_exchange.id')
              .onRef('partner.city_id', '=', 'partnership.partner_city_id'),
          )
          .select([
            'period_exchange.period_key',
            'period_exchange.id as exchange_id',
            'german.department_id as german_department_id',
            'partner.department_id as partner_department_id',
          ]),
      )
  );
}

/**
 * The outcomes of each cell, and the SDG targets its exchanges and its outcomes not dropped
 * address, distinct per cell: an SDG target counts once however often it is addressed
 * (docs/methodology.md, "The indicators", S4).
 */
function withPeriodOutcomes(facts: FactCreator, byPartnership: boolean): FactCreator {
  return facts
    .with('period_outcome', (qc) =>
      qc
        .selectFrom('scope_outcome')
        .innerJoin('period', (join) =>
          join.on(activityInCell('scope_outcome', 'date', byPartnership)),
        )
        .select([
          'period.key as period_key',
          'scope_outcome.id',
          'scope_outcome.partnership_id',
          'scope_outcome.kind',
          'scope_outcome.status',
        ]),
    )
    .with('period_sdg_target', (qc) =>
      qc
        .selectFrom('period_exchange')
        .innerJoin('exchange_sdg_target', 'exchange_sdg_target.exchange_id', 'period_exchange.id')
        .select(['period_exchange.period_key', 'exchange_sdg_target.target_code'])
        .union(
          qc
            .selectFrom('period_outcome')
            .innerJoin('outcome_sdg_target', 'outcome_sdg_target.outcome_id', 'period_outcome.id')
            .where('period_outcome.status', '<>', 'DROPPED')
            .select(['period_outcome.period_key', 'outcome_sdg_target.target_code']),
        ),
    );
}

/** The reported values of each cell, for the reported indicators' pooled rules. */
function withPeriodReportedValues(facts: FactCreator, byPartnership: boolean): FactCreator {
  return facts.with('period_reported_value', (qc) =>
    qc
      .selectFrom('scope_reported_value')
      .innerJoin('period', (join) => join.on(reportedValueInCell(byPartnership)))
      .select([
        'period.key as period_key',
        'scope_reported_value.id',
        'scope_reported_value.indicator_code',
        'scope_reported_value.value',
        'scope_reported_value.numerator',
        'scope_reported_value.denominator',
      ]),
  );
}

/** The fact tables in the order their aggregates are written into a statement. */
const AGGREGATED_FACTS: readonly FactTable[] = [
  'period_exchange',
  'period_exchange_topic',
  'period_exchange_department',
  'period_department_link',
  'period_outcome',
  'period_sdg_target',
  'period_reported_value',
];

/**
 * Every rule's aggregate per cell, one materialized CTE per fact table: each fact table is read
 * once for all the rules over it, and `indicatorValue` looks the results up per cell.
 */
function withAggregates(facts: FactCreator): FactCreator {
  let result = facts;
  for (const table of AGGREGATED_FACTS) {
    result = result.with((cte) => cte(valueTable(table)).materialized(), aggregateFacts(table));
  }
  return result;
}

/**
 * Runs one statement with a leading comment naming it, so that it can be told apart in
 * `pg_stat_statements`, slow-query logs and statement counts.
 */
export async function runStatement<Row>(
  db: Kysely<Database>,
  name: string,
  query: Compilable<Row>,
): Promise<Row[]> {
  const compiled = query.compile();
  const result = await db.executeQuery<Row>({ ...compiled, sql: `/* ${name} */\n${compiled.sql}` });
  return result.rows;
}
