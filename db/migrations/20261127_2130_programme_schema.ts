import { type Kysely, sql } from 'kysely';

/**
 * The data model of the programme (docs/methodology.md, "The data model"). Every rule it states is
 * a constraint here, so that no code path can store what must never be stored. Enumerations are
 * text columns with CHECK constraints: adding a value later is one ALTER, and the values read as
 * themselves.
 *
 * Frozen in time: later changes go into new migrations, never into this file.
 */
const statements = [
  // ── SDG catalogue (reference data, loaded by the reference seed) ───────────────────────────
  `CREATE TABLE sdg_goal (
    number smallint PRIMARY KEY CHECK (number BETWEEN 1 AND 17),
    code text NOT NULL UNIQUE,
    title_en text NOT NULL,
    title_de text NOT NULL,
    short_title_en text NOT NULL,
    short_title_de text NOT NULL,
    colour text NOT NULL CHECK (colour ~ '^#[0-9A-F]{6}$')
  )`,
  `CREATE TABLE sdg_target (
    code text PRIMARY KEY CHECK (code ~ '^[0-9]{1,2}\\.([0-9]{1,2}|[a-z])$'),
    goal smallint NOT NULL REFERENCES sdg_goal (number),
    position smallint NOT NULL,
    title_en text NOT NULL,
    title_de text NOT NULL
  )`,
  `CREATE INDEX sdg_target_goal_idx ON sdg_target (goal, position)`,
  `CREATE TABLE sdg_indicator (
    code text PRIMARY KEY,
    target_code text NOT NULL REFERENCES sdg_target (code),
    position smallint NOT NULL,
    title_en text NOT NULL,
    title_de text
  )`,
  `CREATE INDEX sdg_indicator_target_idx ON sdg_indicator (target_code)`,

  // ── Topics ─────────────────────────────────────────────────────────────────────────────────
  `CREATE TABLE topic (
    code text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z_]*$'),
    position smallint NOT NULL,
    name_en text NOT NULL,
    name_de text NOT NULL
  )`,
  `CREATE TABLE topic_sdg (
    topic_code text NOT NULL REFERENCES topic (code) ON DELETE CASCADE,
    goal smallint NOT NULL REFERENCES sdg_goal (number),
    PRIMARY KEY (topic_code, goal)
  )`,

  // ── Cities and partnerships ────────────────────────────────────────────────────────────────
  `CREATE TABLE city (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL CHECK (btrim(name) <> ''),
    country_code text NOT NULL CHECK (country_code ~ '^[A-Z]{2}$'),
    region text,
    population integer CHECK (population >= 0),
    latitude double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude double precision CHECK (longitude BETWEEN -180 AND 180),
    is_demo boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (country_code, name)
  )`,
  `CREATE INDEX city_country_idx ON city (country_code)`,
  `CREATE TABLE partnership (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    german_city_id integer NOT NULL REFERENCES city (id),
    partner_city_id integer NOT NULL REFERENCES city (id),
    twinned_since smallint CHECK (twinned_since BETWEEN 1900 AND 2100),
    joined_on date,
    status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'PAUSED', 'ENDED')),
    is_demo boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT partnership_two_cities CHECK (german_city_id <> partner_city_id),
    UNIQUE (german_city_id, partner_city_id)
  )`,
  `CREATE INDEX partnership_partner_city_idx ON partnership (partner_city_id)`,
  // The two cities of each partnership, kept by a trigger. Exchanges and their departments refer
  // to this table, so the database itself refuses a host city or a department from elsewhere.
  `CREATE TABLE partnership_city (
    partnership_id integer NOT NULL REFERENCES partnership (id) ON DELETE CASCADE,
    city_id integer NOT NULL REFERENCES city (id),
    side text NOT NULL CHECK (side IN ('GERMAN', 'PARTNER')),
    PRIMARY KEY (partnership_id, city_id),
    UNIQUE (partnership_id, side)
  )`,
  `CREATE INDEX partnership_city_city_idx ON partnership_city (city_id)`,
  `CREATE FUNCTION partnership_city_sync() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'UPDATE' THEN
      IF NEW.german_city_id = OLD.german_city_id AND NEW.partner_city_id = OLD.partner_city_id THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'the cities of a partnership cannot change'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'partnership_cities_fixed';
    END IF;
    INSERT INTO partnership_city (partnership_id, city_id, side)
      VALUES (NEW.id, NEW.german_city_id, 'GERMAN'), (NEW.id, NEW.partner_city_id, 'PARTNER');
    RETURN NEW;
  END $$`,
  `CREATE TRIGGER partnership_city_sync AFTER INSERT OR UPDATE ON partnership
    FOR EACH ROW EXECUTE FUNCTION partnership_city_sync()`,
  `CREATE TABLE partnership_topic (
    partnership_id integer NOT NULL REFERENCES partnership (id) ON DELETE CASCADE,
    topic_code text NOT NULL REFERENCES topic (code),
    PRIMARY KEY (partnership_id, topic_code)
  )`,
  `CREATE TABLE partnership_sdg (
    partnership_id integer NOT NULL REFERENCES partnership (id) ON DELETE CASCADE,
    goal smallint NOT NULL REFERENCES sdg_goal (number),
    PRIMARY KEY (partnership_id, goal)
  )`,

  // ── Departments ────────────────────────────────────────────────────────────────────────────
  `CREATE TABLE department (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    city_id integer NOT NULL REFERENCES city (id),
    name text NOT NULL CHECK (btrim(name) <> ''),
    type text NOT NULL CHECK (type IN ('INTERNATIONAL_OFFICE', 'MAYORS_OFFICE', 'ENVIRONMENT',
      'CLIMATE_PROTECTION', 'URBAN_PLANNING', 'MOBILITY', 'WASTE_MANAGEMENT', 'WATER',
      'SOCIAL_AFFAIRS', 'ECONOMIC_DEVELOPMENT', 'CULTURE', 'EDUCATION', 'OTHER')),
    is_demo boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (city_id, name),
    UNIQUE (id, city_id)
  )`,

  // ── Exchanges ──────────────────────────────────────────────────────────────────────────────
  `CREATE TABLE exchange (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id integer NOT NULL REFERENCES partnership (id),
    kind text NOT NULL CHECK (kind IN ('TECHNICAL', 'POLITICAL')),
    format text NOT NULL CHECK (format IN ('IN_PERSON', 'VIRTUAL', 'HYBRID')),
    title text NOT NULL CHECK (btrim(title) <> ''),
    starts_on date NOT NULL,
    ends_on date,
    host_city_id integer NOT NULL,
    participant_count integer NOT NULL CONSTRAINT exchange_participant_count_non_negative
      CHECK (participant_count >= 0),
    governance_levels text[] NOT NULL DEFAULT '{MUNICIPAL}'
      CONSTRAINT exchange_governance_levels_known CHECK (
        governance_levels <@ ARRAY['MUNICIPAL', 'SUBNATIONAL', 'NATIONAL', 'INTERNATIONAL']::text[]
        AND cardinality(governance_levels) > 0),
    is_demo boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT exchange_dates_in_order CHECK (ends_on IS NULL OR ends_on >= starts_on),
    CONSTRAINT exchange_host_city_in_partnership FOREIGN KEY (partnership_id, host_city_id)
      REFERENCES partnership_city (partnership_id, city_id),
    UNIQUE (id, partnership_id)
  )`,
  `CREATE INDEX exchange_partnership_start_idx ON exchange (partnership_id, starts_on)`,
  `CREATE INDEX exchange_start_idx ON exchange (starts_on)`,
  // A department takes part in an exchange only if its city is one of the partnership's two:
  // partnership_id and city_id are carried here so that two foreign keys can say so.
  `CREATE TABLE exchange_department (
    exchange_id integer NOT NULL,
    partnership_id integer NOT NULL,
    department_id integer NOT NULL,
    city_id integer NOT NULL,
    PRIMARY KEY (exchange_id, department_id),
    FOREIGN KEY (exchange_id, partnership_id) REFERENCES exchange (id, partnership_id)
      ON DELETE CASCADE,
    CONSTRAINT exchange_department_of_the_department FOREIGN KEY (department_id, city_id)
      REFERENCES department (id, city_id),
    CONSTRAINT exchange_department_city_in_partnership FOREIGN KEY (partnership_id, city_id)
      REFERENCES partnership_city (partnership_id, city_id)
  )`,
  `CREATE INDEX exchange_department_department_idx ON exchange_department (department_id)`,
  `CREATE INDEX exchange_department_partnership_idx ON exchange_department (partnership_id)`,
  `CREATE TABLE exchange_topic (
    exchange_id integer NOT NULL REFERENCES exchange (id) ON DELETE CASCADE,
    topic_code text NOT NULL REFERENCES topic (code),
    PRIMARY KEY (exchange_id, topic_code)
  )`,
  `CREATE TABLE exchange_sdg_target (
    exchange_id integer NOT NULL REFERENCES exchange (id) ON DELETE CASCADE,
    target_code text NOT NULL REFERENCES sdg_target (code),
    PRIMARY KEY (exchange_id, target_code)
  )`,

  // ── Outcomes ───────────────────────────────────────────────────────────────────────────────
  `CREATE TABLE outcome (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id integer NOT NULL REFERENCES partnership (id),
    exchange_id integer,
    kind text NOT NULL CHECK (kind IN ('NEW_APPROACH', 'JOINT_PROJECT', 'AGREEMENT',
      'POLICY_CHANGE', 'KNOWLEDGE_PRODUCT', 'FOLLOW_UP')),
    status text NOT NULL CHECK (status IN ('PLANNED', 'IN_PROGRESS', 'ACHIEVED', 'DROPPED')),
    title text NOT NULL CHECK (btrim(title) <> ''),
    description text,
    date date NOT NULL,
    is_demo boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- the exchange that produced an outcome belongs to the same partnership
    CONSTRAINT outcome_exchange_in_partnership FOREIGN KEY (exchange_id, partnership_id)
      REFERENCES exchange (id, partnership_id) ON DELETE SET NULL (exchange_id)
  )`,
  `CREATE INDEX outcome_partnership_date_idx ON outcome (partnership_id, date)`,
  `CREATE INDEX outcome_date_idx ON outcome (date)`,
  `CREATE INDEX outcome_exchange_idx ON outcome (exchange_id)`,
  `CREATE TABLE outcome_sdg_target (
    outcome_id integer NOT NULL REFERENCES outcome (id) ON DELETE CASCADE,
    target_code text NOT NULL REFERENCES sdg_target (code),
    PRIMARY KEY (outcome_id, target_code)
  )`,

  // ── Indicators, reported values, targets ──────────────────────────────────────────────────
  `CREATE TABLE indicator (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code text NOT NULL CONSTRAINT indicator_code_unique UNIQUE CHECK (code ~ '^[A-Z][0-9A-Z_]*$'),
    position smallint NOT NULL,
    goal text NOT NULL CHECK (goal IN ('UNDERSTAND', 'SHAPE', 'NETWORK')),
    unit text NOT NULL CHECK (unit IN ('COUNT', 'PERCENT')),
    source text NOT NULL CHECK (source IN ('COMPUTED', 'REPORTED')),
    direction text NOT NULL DEFAULT 'HIGHER_IS_BETTER'
      CHECK (direction IN ('HIGHER_IS_BETTER', 'LOWER_IS_BETTER')),
    name_en text NOT NULL,
    name_de text NOT NULL,
    description_en text NOT NULL,
    description_de text NOT NULL
  )`,
  `CREATE TABLE indicator_sdg (
    indicator_id integer NOT NULL REFERENCES indicator (id) ON DELETE CASCADE,
    goal smallint NOT NULL REFERENCES sdg_goal (number),
    PRIMARY KEY (indicator_id, goal)
  )`,

  `CREATE TABLE app_user (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL CHECK (email = lower(btrim(email)) AND email LIKE '%_@_%'),
    display_name text NOT NULL CHECK (btrim(display_name) <> ''),
    role text NOT NULL CHECK (role IN ('FOREIGN_OFFICE', 'SKEW_EVALUATOR', 'SKEW_ADMIN',
      'CITY_EDITOR', 'CITY_VIEWER')),
    city_id integer REFERENCES city (id),
    password_hash text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    is_demo boolean NOT NULL DEFAULT false,
    failed_sign_ins integer NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
    last_failed_sign_in_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT app_user_email_unique UNIQUE (email),
    -- city roles belong to exactly one city; programme roles to none
    CONSTRAINT app_user_city_matches_role CHECK (
      (role IN ('CITY_EDITOR', 'CITY_VIEWER')) = (city_id IS NOT NULL))
  )`,
  `CREATE TABLE user_session (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    CHECK (expires_at > created_at)
  )`,
  `CREATE INDEX user_session_user_idx ON user_session (user_id)`,

  `CREATE TABLE reported_value (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    indicator_id integer NOT NULL REFERENCES indicator (id),
    city_id integer NOT NULL REFERENCES city (id),
    year smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    quarter smallint CHECK (quarter BETWEEN 1 AND 4),
    value numeric CONSTRAINT reported_value_value_non_negative CHECK (value >= 0),
    numerator numeric CONSTRAINT reported_value_numerator_non_negative CHECK (numerator >= 0),
    denominator numeric CONSTRAINT reported_value_denominator_positive CHECK (denominator > 0),
    note text,
    status text NOT NULL DEFAULT 'DRAFT'
      CHECK (status IN ('DRAFT', 'SUBMITTED', 'APPROVED', 'REJECTED')),
    rejection_reason text,
    entered_by integer REFERENCES app_user (id),
    entered_at timestamptz NOT NULL DEFAULT now(),
    reviewed_by integer REFERENCES app_user (id),
    reviewed_at timestamptz,
    is_demo boolean NOT NULL DEFAULT false,
    CONSTRAINT reported_value_numerator_within_denominator CHECK (numerator <= denominator),
    -- a count has a value; a percentage has a numerator and a denominator
    CONSTRAINT reported_value_value_or_fraction CHECK (
      (value IS NOT NULL AND numerator IS NULL AND denominator IS NULL)
      OR (value IS NULL AND numerator IS NOT NULL AND denominator IS NOT NULL)),
    CONSTRAINT reported_value_rejection_has_reason CHECK (
      status <> 'REJECTED' OR coalesce(btrim(rejection_reason), '') <> ''),
    CONSTRAINT reported_value_one_per_period
      UNIQUE NULLS NOT DISTINCT (indicator_id, city_id, year, quarter)
  )`,
  `CREATE INDEX reported_value_city_year_idx ON reported_value (city_id, year)`,
  `CREATE INDEX reported_value_status_idx ON reported_value (status)`,
  // Only REPORTED indicators take reported values, and their unit decides value vs. fraction.
  `CREATE FUNCTION reported_value_matches_indicator() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    ind indicator%ROWTYPE;
  BEGIN
    SELECT * INTO ind FROM indicator WHERE id = NEW.indicator_id;
    IF ind.source <> 'REPORTED' THEN
      RAISE EXCEPTION 'indicator % is computed, not reported', ind.code
        USING ERRCODE = 'check_violation', CONSTRAINT = 'reported_value_indicator_is_reported';
    END IF;
    IF (ind.unit = 'PERCENT') <> (NEW.numerator IS NOT NULL) THEN
      RAISE EXCEPTION 'indicator % is a %: it takes %', ind.code, lower(ind.unit),
        CASE ind.unit WHEN 'PERCENT' THEN 'a numerator and a denominator' ELSE 'a value' END
        USING ERRCODE = 'check_violation', CONSTRAINT = 'reported_value_matches_unit';
    END IF;
    RETURN NEW;
  END $$`,
  `CREATE TRIGGER reported_value_matches_indicator BEFORE INSERT OR UPDATE ON reported_value
    FOR EACH ROW EXECUTE FUNCTION reported_value_matches_indicator()`,

  `CREATE TABLE target (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    indicator_id integer NOT NULL REFERENCES indicator (id),
    year smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    partnership_id integer REFERENCES partnership (id) ON DELETE CASCADE,
    baseline numeric CHECK (baseline >= 0),
    target numeric NOT NULL CHECK (target >= 0),
    is_demo boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT target_one_per_scope UNIQUE NULLS NOT DISTINCT (indicator_id, year, partnership_id)
  )`,

  // ── Audit trail (append-only) ──────────────────────────────────────────────────────────────
  `CREATE TABLE audit_entry (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    actor_id integer REFERENCES app_user (id),
    action text NOT NULL CHECK (action IN ('CREATE', 'UPDATE', 'DELETE')),
    entity text NOT NULL,
    entity_id text NOT NULL,
    city_ids integer[] NOT NULL DEFAULT '{}',
    old_values jsonb,
    new_values jsonb
  )`,
  `CREATE INDEX audit_entry_entity_idx ON audit_entry (entity, entity_id)`,
  `CREATE INDEX audit_entry_at_idx ON audit_entry (at)`,
  `CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'the audit trail is append-only'
      USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'audit_entry_append_only';
  END $$`,
  `CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()`,
  `CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()`,

  // ── Data sets loaded (the demo data set marks itself here) ────────────────────────────────
  `CREATE TABLE data_set (
    name text PRIMARY KEY,
    description text NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now()
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const tables = [
    'data_set',
    'audit_entry',
    'target',
    'reported_value',
    'user_session',
    'app_user',
    'indicator_sdg',
    'indicator',
    'outcome_sdg_target',
    'outcome',
    'exchange_sdg_target',
    'exchange_topic',
    'exchange_department',
    'exchange',
    'department',
    'partnership_sdg',
    'partnership_topic',
    'partnership_city',
    'partnership',
    'city',
    'topic_sdg',
    'topic',
    'sdg_indicator',
    'sdg_target',
    'sdg_goal',
  ];
  for (const table of tables) {
    await sql.raw(`DROP TABLE IF EXISTS ${table} CASCADE`).execute(db);
  }
  for (const fn of [
    'partnership_city_sync',
    'reported_value_matches_indicator',
    'audit_entry_append_only',
  ]) {
    await sql.raw(`DROP FUNCTION IF EXISTS ${fn}() CASCADE`).execute(db);
  }
}
