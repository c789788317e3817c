import { type Selectable, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/database.ts';
import type { Database } from '../src/schema.ts';
import { createTestDatabase, testEngines } from '../src/testing.ts';

type Nullability<Table> = {
  [Column in keyof Selectable<Table>]-?: null extends Selectable<Table>[Column]
    ? 'nullable'
    : 'not null';
};

/**
 * Every table and column of the hand-written `Database` types, with its nullability. The
 * compiler checks this object against the types (a missing, extra or wrongly nullable column
 * fails `typecheck`); the test below checks it against the migrated database.
 */
const expectedColumns: { [Table in keyof Database]: Nullability<Database[Table]> } = {
  app_user: {
    id: 'not null',
    email: 'not null',
    display_name: 'not null',
    role: 'not null',
    city_id: 'nullable',
    password_hash: 'not null',
    active: 'not null',
    is_demo: 'not null',
    created_at: 'not null',
  },
  audit_entry: {
    id: 'not null',
    at: 'not null',
    actor_id: 'nullable',
    action: 'not null',
    entity: 'not null',
    entity_id: 'not null',
    city_ids: 'not null',
    old_values: 'nullable',
    new_values: 'nullable',
  },
  city: {
    id: 'not null',
    name: 'not null',
    country_code: 'not null',
    region: 'nullable',
    population: 'nullable',
    latitude: 'nullable',
    longitude: 'nullable',
    is_demo: 'not null',
    created_at: 'not null',
  },
  data_set: {
    name: 'not null',
    description: 'not null',
    loaded_at: 'not null',
  },
  data_version: {
    singleton: 'not null',
    figures: 'not null',
    accounts: 'not null',
    figures_changed_at: 'not null',
    undated_figures: 'not null',
  },
  figure_year_version: {
    year: 'not null',
    version: 'not null',
  },
  department: {
    id: 'not null',
    city_id: 'not null',
    name: 'not null',
    type: 'not null',
    is_demo: 'not null',
    created_at: 'not null',
  },
  exchange: {
    id: 'not null',
    partnership_id: 'not null',
    kind: 'not null',
    format: 'not null',
    title: 'not null',
    starts_on: 'not null',
    ends_on: 'nullable',
    host_city_id: 'not null',
    participant_count: 'not null',
    governance_levels: 'not null',
    is_demo: 'not null',
    created_at: 'not null',
    updated_at: 'not null',
  },
  exchange_department: {
    exchange_id: 'not null',
    partnership_id: 'not null',
    department_id: 'not null',
    city_id: 'not null',
  },
  exchange_sdg_target: {
    exchange_id: 'not null',
    target_code: 'not null',
  },
  exchange_topic: {
    exchange_id: 'not null',
    topic_code: 'not null',
  },
  indicator: {
    id: 'not null',
    code: 'not null',
    position: 'not null',
    goal: 'not null',
    unit: 'not null',
    source: 'not null',
    direction: 'not null',
    name_en: 'not null',
    name_de: 'not null',
    description_en: 'not null',
    description_de: 'not null',
  },
  indicator_sdg: {
    indicator_id: 'not null',
    goal: 'not null',
  },
  outcome: {
    id: 'not null',
    partnership_id: 'not null',
    exchange_id: 'nullable',
    kind: 'not null',
    status: 'not null',
    title: 'not null',
    description: 'nullable',
    date: 'not null',
    is_demo: 'not null',
    created_at: 'not null',
    updated_at: 'not null',
  },
  outcome_sdg_target: {
    outcome_id: 'not null',
    target_code: 'not null',
  },
  partnership: {
    id: 'not null',
    german_city_id: 'not null',
    partner_city_id: 'not null',
    twinned_since: 'nullable',
    joined_on: 'nullable',
    status: 'not null',
    is_demo: 'not null',
    created_at: 'not null',
  },
  partnership_city: {
    partnership_id: 'not null',
    city_id: 'not null',
    side: 'not null',
  },
  partnership_sdg: {
    partnership_id: 'not null',
    goal: 'not null',
  },
  partnership_topic: {
    partnership_id: 'not null',
    topic_code: 'not null',
  },
  reported_value: {
    id: 'not null',
    indicator_id: 'not null',
    city_id: 'not null',
    year: 'not null',
    quarter: 'nullable',
    value: 'nullable',
    numerator: 'nullable',
    denominator: 'nullable',
    note: 'nullable',
    status: 'not null',
    rejection_reason: 'nullable',
    entered_by: 'nullable',
    entered_at: 'not null',
    reviewed_by: 'nullable',
    reviewed_at: 'nullable',
    is_demo: 'not null',
    corrects_id: 'nullable',
  },
  sdg_goal: {
    number: 'not null',
    code: 'not null',
    title_en: 'not null',
    title_de: 'not null',
    short_title_en: 'not null',
    short_title_de: 'not null',
    colour: 'not null',
  },
  sdg_indicator: {
    code: 'not null',
    target_code: 'not null',
    position: 'not null',
    title_en: 'not null',
    title_de: 'nullable',
  },
  sdg_target: {
    code: 'not null',
    goal: 'not null',
    position: 'not null',
    title_en: 'not null',
    title_de: 'not null',
  },
  sign_in_throttle: {
    key: 'not null',
    failures: 'not null',
    last_failure_at: 'not null',
  },
  target: {
    id: 'not null',
    indicator_id: 'not null',
    year: 'not null',
    partnership_id: 'nullable',
    baseline: 'nullable',
    target: 'not null',
    is_demo: 'not null',
    updated_at: 'not null',
  },
  topic: {
    code: 'not null',
    position: 'not null',
    name_en: 'not null',
    name_de: 'not null',
  },
  topic_sdg: {
    topic_code: 'not null',
    goal: 'not null',
  },
  user_session: {
    id: 'not null',
    user_id: 'not null',
    token_hash: 'not null',
    created_at: 'not null',
    last_seen_at: 'not null',
    expires_at: 'not null',
    revoked_at: 'nullable',
  },
};

describe.each(testEngines())('database types on %s', (engine) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('match the migrated schema column by column', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string; is_nullable: string }>`
      SELECT table_name, column_name, is_nullable
      FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_migration%'
      ORDER BY table_name, ordinal_position`.execute(handle.db);
    const actual: Record<string, Record<string, string>> = {};
    for (const row of rows) {
      actual[row.table_name] = {
        ...actual[row.table_name],
        [row.column_name]: row.is_nullable === 'YES' ? 'nullable' : 'not null',
      };
    }
    expect(actual).toEqual(expectedColumns);
  });
});
