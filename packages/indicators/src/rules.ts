import type { IndicatorUnit } from '@udx/db/schema';
import { type RawBuilder, sql } from 'kysely';

/**
 * The rules of the 15 programme indicators (docs/methodology.md, "The indicators"), one aggregate
 * each. Every rule aggregates one fact table of `facts.ts`, whose rows already belong to the scope
 * and carry the key of the period they fall in; the engine groups each fact table by that key once
 * and computes all rules over it together. Distinct counts therefore run over the whole scope at
 * once and are never sums of per-partnership counts.
 */

export const INDICATOR_CODES = [
  'U1',
  'U2',
  'U3',
  'U4',
  'U5',
  'S1',
  'S2',
  'S3',
  'S4',
  'S5',
  'N1',
  'N2',
  'N3',
  'N4',
  'N5',
] as const;

export type IndicatorCode = (typeof INDICATOR_CODES)[number];

/** The fact tables a rule can aggregate (common table expressions built in `facts.ts`). */
export type FactTable =
  | 'period_exchange'
  | 'period_exchange_topic'
  | 'period_exchange_department'
  | 'period_department_link'
  | 'period_outcome'
  | 'period_sdg_target'
  | 'period_reported_value';

/**
 * What one record behind an indicator's value is (docs/methodology.md, "The records behind a
 * figure"): the exchanges or outcomes it counts or sums, the distinct things it counts over them
 * (partnerships, topics, departments, SDG targets, pairs of departments), or the reported values
 * it pools.
 */
export type RecordKind =
  | 'EXCHANGE'
  | 'OUTCOME'
  | 'PARTNERSHIP'
  | 'TOPIC'
  | 'DEPARTMENT'
  | 'SDG_TARGET'
  | 'DEPARTMENT_LINK'
  | 'REPORTED_VALUE';

export interface IndicatorRule {
  unit: IndicatorUnit;
  /** The fact table the aggregate runs over, grouped by period. */
  facts: FactTable;
  /** The rows of `facts` the rule counts, sums or pools; every row when absent. */
  filter?: RawBuilder<boolean>;
  /** What one of those rows stands for: the records listed behind the value. */
  records: RecordKind;
  /** An aggregate over `facts`; null only for a percentage without any respondents. */
  aggregate: RawBuilder<number | null>;
}

/** A reported indicator's rows of `period_reported_value`. */
function reportedRows(code: IndicatorCode): RawBuilder<boolean> {
  return sql<boolean>`indicator_code = ${sql.lit(code)}`;
}

/** Respondents pooled over every city and quarter: sum of agreeing / sum of asked, × 100. */
function pooledPercentage(code: IndicatorCode): RawBuilder<number | null> {
  return sql<number | null>`100.0 * sum(numerator) FILTER (WHERE ${reportedRows(code)})
    / nullif(sum(denominator) FILTER (WHERE ${reportedRows(code)}), 0)`;
}

function reportedSum(code: IndicatorCode): RawBuilder<number | null> {
  return sql<number | null>`sum(value) FILTER (WHERE ${reportedRows(code)})`;
}

// The rows each rule counts, named once: the aggregate filters by them and the list of records
// behind the value selects them, so that the two cannot drift apart.
const TECHNICAL = sql<boolean>`kind = 'TECHNICAL'`;
const POLITICAL = sql<boolean>`kind = 'POLITICAL'`;
const NOT_INTERNATIONAL_OFFICE = sql<boolean>`department_type <> 'INTERNATIONAL_OFFICE'`;
const NEW_APPROACH = sql<boolean>`kind = 'NEW_APPROACH' AND status <> 'DROPPED'`;
const ACHIEVED_JOINT_PROJECT = sql<boolean>`kind = 'JOINT_PROJECT' AND status = 'ACHIEVED'`;
const AGREEMENT = sql<boolean>`kind = 'AGREEMENT' AND status <> 'DROPPED'`;
const BEYOND_MUNICIPAL = sql<boolean>`NOT (governance_levels <@ ARRAY['MUNICIPAL']::text[])`;

export const indicatorRules: Readonly<Record<IndicatorCode, IndicatorRule>> = {
  // exchanges of kind TECHNICAL
  U1: {
    unit: 'COUNT',
    facts: 'period_exchange',
    filter: TECHNICAL,
    records: 'EXCHANGE',
    aggregate: sql`count(*) FILTER (WHERE ${TECHNICAL})`,
  },
  // exchanges of kind POLITICAL
  U2: {
    unit: 'COUNT',
    facts: 'period_exchange',
    filter: POLITICAL,
    records: 'EXCHANGE',
    aggregate: sql`count(*) FILTER (WHERE ${POLITICAL})`,
  },
  // sum of participant counts of exchanges
  U3: {
    unit: 'COUNT',
    facts: 'period_exchange',
    records: 'EXCHANGE',
    aggregate: sql`sum(participant_count)`,
  },
  // distinct topics over exchanges
  U4: {
    unit: 'COUNT',
    facts: 'period_exchange_topic',
    records: 'TOPIC',
    aggregate: sql`count(DISTINCT topic_code)`,
  },
  // reported: participants with a better understanding of the partner city
  U5: {
    unit: 'PERCENT',
    facts: 'period_reported_value',
    filter: reportedRows('U5'),
    records: 'REPORTED_VALUE',
    aggregate: pooledPercentage('U5'),
  },
  // distinct departments, other than international offices, in at least one exchange
  S1: {
    unit: 'COUNT',
    facts: 'period_exchange_department',
    filter: NOT_INTERNATIONAL_OFFICE,
    records: 'DEPARTMENT',
    aggregate: sql`count(DISTINCT department_id) FILTER (WHERE ${NOT_INTERNATIONAL_OFFICE})`,
  },
  // outcomes of kind NEW_APPROACH, unless dropped
  S2: {
    unit: 'COUNT',
    facts: 'period_outcome',
    filter: NEW_APPROACH,
    records: 'OUTCOME',
    aggregate: sql`count(*) FILTER (WHERE ${NEW_APPROACH})`,
  },
  // outcomes of kind JOINT_PROJECT that were achieved
  S3: {
    unit: 'COUNT',
    facts: 'period_outcome',
    filter: ACHIEVED_JOINT_PROJECT,
    records: 'OUTCOME',
    aggregate: sql`count(*) FILTER (WHERE ${ACHIEVED_JOINT_PROJECT})`,
  },
  // distinct SDG targets over exchanges and outcomes (the facts leave dropped outcomes out)
  S4: {
    unit: 'COUNT',
    facts: 'period_sdg_target',
    records: 'SDG_TARGET',
    aggregate: sql`count(DISTINCT target_code)`,
  },
  // reported: participants more aware of their role in city diplomacy
  S5: {
    unit: 'PERCENT',
    facts: 'period_reported_value',
    filter: reportedRows('S5'),
    records: 'REPORTED_VALUE',
    aggregate: pooledPercentage('S5'),
  },
  // partnerships with at least one exchange
  N1: {
    unit: 'COUNT',
    facts: 'period_exchange',
    records: 'PARTNERSHIP',
    aggregate: sql`count(DISTINCT partnership_id)`,
  },
  // outcomes of kind AGREEMENT, unless dropped
  N2: {
    unit: 'COUNT',
    facts: 'period_outcome',
    filter: AGREEMENT,
    records: 'OUTCOME',
    aggregate: sql`count(*) FILTER (WHERE ${AGREEMENT})`,
  },
  // exchanges involving any governance level other than MUNICIPAL
  N3: {
    unit: 'COUNT',
    facts: 'period_exchange',
    filter: BEYOND_MUNICIPAL,
    records: 'EXCHANGE',
    aggregate: sql`count(*) FILTER (WHERE ${BEYOND_MUNICIPAL})`,
  },
  // distinct (German city department, partner city department) pairs met in one exchange
  N4: {
    unit: 'COUNT',
    facts: 'period_department_link',
    records: 'DEPARTMENT_LINK',
    // Each pair as one bigint, the German department's id in the high 32 bits: the ids are
    // positive integers, so no two pairs share a number. Counting distinct row values instead
    // compares records field by field, which took a fifth of the statement at national scale.
    aggregate: sql`count(DISTINCT (german_department_id::bigint << 32) | partner_department_id)`,
  },
  // reported: follow-up activities started without programme funding
  N5: {
    unit: 'COUNT',
    facts: 'period_reported_value',
    filter: reportedRows('N5'),
    records: 'REPORTED_VALUE',
    aggregate: reportedSum('N5'),
  },
};

/**
 * The totals of a period's activity, beside the scope's size (docs/methodology.md, "Scopes and
 * periods", totals).
 */
export type PeriodTotal = 'exchanges' | 'outcomes' | 'participants';

export const periodTotalRules: Readonly<
  Record<PeriodTotal, { facts: FactTable; aggregate: RawBuilder<number> }>
> = {
  // exchanges that started in the period
  exchanges: { facts: 'period_exchange', aggregate: sql`count(*)` },
  // outcomes dated in the period, dropped ones left out
  outcomes: {
    facts: 'period_outcome',
    aggregate: sql`count(*) FILTER (WHERE status <> 'DROPPED')`,
  },
  // participants of the exchanges that started in the period
  participants: { facts: 'period_exchange', aggregate: sql`sum(participant_count)` },
};

export function isIndicatorCode(code: string): code is IndicatorCode {
  return (INDICATOR_CODES as readonly string[]).includes(code);
}
