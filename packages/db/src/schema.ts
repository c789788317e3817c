import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * The database types of udx, written once from the migrations in `db/migrations`.
 * `tests/schema-types.test.ts` compares them with the migrated database, column by column, so they
 * cannot drift.
 */

/** A `date` column: read and written as `YYYY-MM-DD`. */
export type DateString = string;
/** Timestamps default in the database; they are read as `Date`. */
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** An identity column: never written by the application. */
type Id = ColumnType<number, never, never>;

export type ExchangeKind = 'TECHNICAL' | 'POLITICAL';
export type ExchangeFormat = 'IN_PERSON' | 'VIRTUAL' | 'HYBRID';
export type GovernanceLevel = 'MUNICIPAL' | 'SUBNATIONAL' | 'NATIONAL' | 'INTERNATIONAL';
export type DepartmentType =
  | 'INTERNATIONAL_OFFICE'
  | 'MAYORS_OFFICE'
  | 'ENVIRONMENT'
  | 'CLIMATE_PROTECTION'
  | 'URBAN_PLANNING'
  | 'MOBILITY'
  | 'WASTE_MANAGEMENT'
  | 'WATER'
  | 'SOCIAL_AFFAIRS'
  | 'ECONOMIC_DEVELOPMENT'
  | 'CULTURE'
  | 'EDUCATION'
  | 'OTHER';
export type OutcomeKind =
  | 'NEW_APPROACH'
  | 'JOINT_PROJECT'
  | 'AGREEMENT'
  | 'POLICY_CHANGE'
  | 'KNOWLEDGE_PRODUCT'
  | 'FOLLOW_UP';
export type OutcomeStatus = 'PLANNED' | 'IN_PROGRESS' | 'ACHIEVED' | 'DROPPED';
export type PartnershipStatus = 'ACTIVE' | 'PAUSED' | 'ENDED';
export type ProgrammeGoal = 'UNDERSTAND' | 'SHAPE' | 'NETWORK';
export type IndicatorUnit = 'COUNT' | 'PERCENT';
export type IndicatorSource = 'COMPUTED' | 'REPORTED';
export type IndicatorDirection = 'HIGHER_IS_BETTER' | 'LOWER_IS_BETTER';
export type ValueStatus = 'DRAFT' | 'SUBMITTED' | 'APPROVED' | 'REJECTED';
export type Role =
  | 'FOREIGN_OFFICE'
  | 'SKEW_EVALUATOR'
  | 'SKEW_ADMIN'
  | 'CITY_EDITOR'
  | 'CITY_VIEWER';
export type AuditAction = 'CREATE' | 'UPDATE' | 'DELETE';

export interface SdgGoalTable {
  number: number;
  code: string;
  title_en: string;
  title_de: string;
  short_title_en: string;
  short_title_de: string;
  colour: string;
}

export interface SdgTargetTable {
  code: string;
  goal: number;
  position: number;
  title_en: string;
  title_de: string;
}

export interface SdgIndicatorTable {
  code: string;
  target_code: string;
  position: number;
  title_en: string;
  title_de: string | null;
}

export interface TopicTable {
  code: string;
  position: number;
  name_en: string;
  name_de: string;
}

export interface TopicSdgTable {
  topic_code: string;
  goal: number;
}

export interface CityTable {
  id: Id;
  name: string;
  country_code: string;
  region: string | null;
  population: number | null;
  latitude: number | null;
  longitude: number | null;
  is_demo: Generated<boolean>;
  created_at: CreatedAt;
}

export interface PartnershipTable {
  id: Id;
  german_city_id: number;
  partner_city_id: number;
  twinned_since: number | null;
  joined_on: DateString | null;
  status: Generated<PartnershipStatus>;
  is_demo: Generated<boolean>;
  created_at: CreatedAt;
}

export interface PartnershipCityTable {
  partnership_id: number;
  city_id: number;
  side: 'GERMAN' | 'PARTNER';
}

export interface PartnershipTopicTable {
  partnership_id: number;
  topic_code: string;
}

export interface PartnershipSdgTable {
  partnership_id: number;
  goal: number;
}

export interface DepartmentTable {
  id: Id;
  city_id: number;
  name: string;
  type: DepartmentType;
  is_demo: Generated<boolean>;
  created_at: CreatedAt;
}

export interface ExchangeTable {
  id: Id;
  partnership_id: number;
  kind: ExchangeKind;
  format: ExchangeFormat;
  title: string;
  starts_on: DateString;
  ends_on: DateString | null;
  host_city_id: number;
  participant_count: number;
  governance_levels: ColumnType<GovernanceLevel[], GovernanceLevel[] | undefined>;
  is_demo: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface ExchangeDepartmentTable {
  exchange_id: number;
  partnership_id: number;
  department_id: number;
  city_id: number;
}

export interface ExchangeTopicTable {
  exchange_id: number;
  topic_code: string;
}

export interface ExchangeSdgTargetTable {
  exchange_id: number;
  target_code: string;
}

export interface OutcomeTable {
  id: Id;
  partnership_id: number;
  exchange_id: number | null;
  kind: OutcomeKind;
  status: OutcomeStatus;
  title: string;
  description: string | null;
  date: DateString;
  is_demo: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface OutcomeSdgTargetTable {
  outcome_id: number;
  target_code: string;
}

export interface IndicatorTable {
  id: Id;
  code: string;
  position: number;
  goal: ProgrammeGoal;
  unit: IndicatorUnit;
  source: IndicatorSource;
  direction: Generated<IndicatorDirection>;
  name_en: string;
  name_de: string;
  description_en: string;
  description_de: string;
}

export interface IndicatorSdgTable {
  indicator_id: number;
  goal: number;
}

export interface ReportedValueTable {
  id: Id;
  indicator_id: number;
  city_id: number;
  year: number;
  /**
   * 1 to 4, or null for the whole year. An indicator, city and year is reported one way only,
   * REJECTED values aside (migration `20261201_0810_one_grain_per_year`).
   */
  quarter: number | null;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  note: string | null;
  status: Generated<ValueStatus>;
  rejection_reason: string | null;
  entered_by: number | null;
  entered_at: CreatedAt;
  reviewed_by: number | null;
  reviewed_at: Date | null;
  is_demo: Generated<boolean>;
  /**
   * For a correction proposal, the APPROVED value of the same indicator, city and period it
   * would replace; null for a value itself. A proposal is never APPROVED, so no figure counts
   * it (migration `20261201_1400_correction_proposals`).
   */
  corrects_id: Generated<number | null>;
}

export interface TargetTable {
  id: Id;
  indicator_id: number;
  year: number;
  partnership_id: number | null;
  baseline: number | null;
  target: number;
  is_demo: Generated<boolean>;
  updated_at: CreatedAt;
}

export interface AppUserTable {
  id: Id;
  email: string;
  display_name: string;
  role: Role;
  city_id: number | null;
  password_hash: string;
  active: Generated<boolean>;
  is_demo: Generated<boolean>;
  created_at: CreatedAt;
}

/** Failed sign-ins per (account, client) and per client; see the sign-in throttle migration. */
export interface SignInThrottleTable {
  key: string;
  failures: number;
  last_failure_at: CreatedAt;
}

export interface UserSessionTable {
  id: Id;
  user_id: number;
  token_hash: string;
  created_at: CreatedAt;
  last_seen_at: CreatedAt;
  expires_at: Date | string;
  revoked_at: Date | null;
}

export interface AuditEntryTable {
  id: Id;
  at: CreatedAt;
  actor_id: number | null;
  action: AuditAction;
  entity: string;
  entity_id: string;
  city_ids: ColumnType<number[], number[] | undefined>;
  old_values: unknown;
  new_values: unknown;
}

export interface DataSetTable {
  name: string;
  description: string;
  loaded_at: CreatedAt;
}

/**
 * How often the programme's data (`figures`) and the accounts and sessions (`accounts`) have
 * changed: one row, raised by triggers (migration `20261201_1500_data_version`).
 */
export interface DataVersionTable {
  singleton: ColumnType<boolean, never, never>;
  figures: ColumnType<number, never, never>;
  accounts: ColumnType<number, never, never>;
  /** When `figures` was last raised: the open data's `Last-Modified`. */
  figures_changed_at: ColumnType<Date, never, never>;
  /**
   * Raised with `figures` by every write to a figure table whose records are not dated (cities,
   * partnerships, targets, the catalogues), and by emptying a dated one (migration
   * `20261202_0900_figure_years`).
   */
  undated_figures: ColumnType<number, never, never>;
}

/**
 * Per year, raised by every statement that writes a dated record of that year: an exchange, an
 * outcome, a reported value, or a row of an exchange or outcome (migration
 * `20261202_0900_figure_years`). A year no record was written in has no row.
 */
export interface FigureYearVersionTable {
  year: ColumnType<number, never, never>;
  version: ColumnType<number, never, never>;
}

export interface Database {
  sdg_goal: SdgGoalTable;
  sdg_target: SdgTargetTable;
  sdg_indicator: SdgIndicatorTable;
  topic: TopicTable;
  topic_sdg: TopicSdgTable;
  city: CityTable;
  partnership: PartnershipTable;
  partnership_city: PartnershipCityTable;
  partnership_topic: PartnershipTopicTable;
  partnership_sdg: PartnershipSdgTable;
  department: DepartmentTable;
  exchange: ExchangeTable;
  exchange_department: ExchangeDepartmentTable;
  exchange_topic: ExchangeTopicTable;
  exchange_sdg_target: ExchangeSdgTargetTable;
  outcome: OutcomeTable;
  outcome_sdg_target: OutcomeSdgTargetTable;
  indicator: IndicatorTable;
  indicator_sdg: IndicatorSdgTable;
  reported_value: ReportedValueTable;
  target: TargetTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  sign_in_throttle: SignInThrottleTable;
  audit_entry: AuditEntryTable;
  data_set: DataSetTable;
  data_version: DataVersionTable;
  figure_year_version: FigureYearVersionTable;
}

export type NewCity = Insertable<CityTable>;
export type NewPartnership = Insertable<PartnershipTable>;
export type NewExchange = Insertable<ExchangeTable>;
export type NewOutcome = Insertable<OutcomeTable>;
export type AuditEntry = Selectable<AuditEntryTable>;
