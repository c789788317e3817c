import type { Db } from '@udx/db/database';
import type { Role, ValueStatus } from '@udx/db/schema';
import type { Viewer } from '../src/context.ts';
import { insertIds } from './insert-rows.ts';

/**
 * Two partnerships of four different cities, with a little of everything each side records:
 * Bonn–Minneapolis (A–B) and Köln–Liverpool (C–D). Written by the owner of the tables, as the
 * demo loader and SKEW's tools do.
 */
export interface RlsFixture {
  city: { a: number; b: number; c: number; d: number };
  partnership: { ab: number; cd: number };
  department: { a: number; b: number; c: number; d: number };
  exchange: { ab: number; cd: number };
  outcome: { ab: number; cd: number };
  /** U5 for one year each: both partners' values in every review state, Köln's in two. */
  value: {
    aApproved: number;
    aSubmitted: number;
    aDraft: number;
    aRejected: number;
    bApproved: number;
    bSubmitted: number;
    bDraft: number;
    bRejected: number;
    cApproved: number;
    cSubmitted: number;
  };
  user: {
    editorA: number;
    viewerA: number;
    viewerB: number;
    editorC: number;
    monitor: number;
    evaluator: number;
  };
  indicatorU5: number;
}

export async function insertRlsFixture(db: Db): Promise<RlsFixture> {
  const [a, b, c, d] = (await insertIds(db, 'city', [
    { name: 'Bonn', country_code: 'DE' },
    { name: 'Minneapolis', country_code: 'US' },
    { name: 'Köln', country_code: 'DE' },
    { name: 'Liverpool', country_code: 'GB' },
  ])) as [number, number, number, number];
  const [ab, cd] = (await insertIds(db, 'partnership', [
    { german_city_id: a, partner_city_id: b },
    { german_city_id: c, partner_city_id: d },
  ])) as [number, number];
  await db
    .insertInto('partnership_topic')
    .values([
      { partnership_id: ab, topic_code: 'ZERO_WASTE' },
      { partnership_id: cd, topic_code: 'SPONGE_CITY' },
    ])
    .execute();
  const [depA, depB, depC, depD] = (await insertIds(db, 'department', [
    { city_id: a, name: 'Amt für Umwelt', type: 'ENVIRONMENT' },
    { city_id: b, name: 'Public Works', type: 'WATER' },
    { city_id: c, name: 'Stadtplanungsamt', type: 'URBAN_PLANNING' },
    { city_id: d, name: 'Climate Office', type: 'CLIMATE_PROTECTION' },
  ])) as [number, number, number, number];
  const [exAb, exCd] = (await insertIds(db, 'exchange', [
    {
      partnership_id: ab,
      kind: 'TECHNICAL',
      format: 'IN_PERSON',
      title: 'Zero waste workshop',
      starts_on: '2025-03-01',
      host_city_id: a,
      participant_count: 12,
    },
    {
      partnership_id: cd,
      kind: 'POLITICAL',
      format: 'VIRTUAL',
      title: 'Mayors on sponge cities',
      starts_on: '2025-04-01',
      host_city_id: d,
      participant_count: 30,
    },
  ])) as [number, number];
  await db
    .insertInto('exchange_department')
    .values([
      { exchange_id: exAb, partnership_id: ab, department_id: depA, city_id: a },
      { exchange_id: exAb, partnership_id: ab, department_id: depB, city_id: b },
      { exchange_id: exCd, partnership_id: cd, department_id: depC, city_id: c },
      { exchange_id: exCd, partnership_id: cd, department_id: depD, city_id: d },
    ])
    .execute();
  await db
    .insertInto('exchange_topic')
    .values([
      { exchange_id: exAb, topic_code: 'ZERO_WASTE' },
      { exchange_id: exCd, topic_code: 'SPONGE_CITY' },
    ])
    .execute();
  await db
    .insertInto('exchange_sdg_target')
    .values([
      { exchange_id: exAb, target_code: '12.5' },
      { exchange_id: exCd, target_code: '11.6' },
    ])
    .execute();
  const [outAb, outCd] = (await insertIds(db, 'outcome', [
    {
      partnership_id: ab,
      exchange_id: exAb,
      kind: 'NEW_APPROACH',
      status: 'PLANNED',
      title: 'Repair cafés',
      date: '2025-05-01',
    },
    {
      partnership_id: cd,
      exchange_id: exCd,
      kind: 'AGREEMENT',
      status: 'ACHIEVED',
      title: 'Sponge city charter',
      date: '2025-06-01',
    },
  ])) as [number, number];
  await db
    .insertInto('outcome_sdg_target')
    .values([
      { outcome_id: outAb, target_code: '12.5' },
      { outcome_id: outCd, target_code: '11.6' },
    ])
    .execute();
  const indicator = await db
    .selectFrom('indicator')
    .select('id')
    .where('code', '=', 'U5')
    .executeTakeFirstOrThrow();
  const percent = (cityId: number, year: number, status: ValueStatus) => ({
    indicator_id: indicator.id,
    city_id: cityId,
    year,
    numerator: 10,
    denominator: 20,
    status,
    rejection_reason: status === 'REJECTED' ? 'Survey of another year' : null,
  });
  const [
    aApproved,
    aSubmitted,
    aDraft,
    aRejected,
    bApproved,
    bSubmitted,
    bDraft,
    bRejected,
    cApproved,
    cSubmitted,
  ] = (await insertIds(db, 'reported_value', [
    percent(a, 2024, 'APPROVED'),
    percent(a, 2025, 'SUBMITTED'),
    percent(a, 2023, 'DRAFT'),
    percent(a, 2022, 'REJECTED'),
    percent(b, 2024, 'APPROVED'),
    percent(b, 2025, 'SUBMITTED'),
    percent(b, 2023, 'DRAFT'),
    percent(b, 2022, 'REJECTED'),
    percent(c, 2024, 'APPROVED'),
    percent(c, 2025, 'SUBMITTED'),
  ])) as [number, number, number, number, number, number, number, number, number, number];
  await db
    .insertInto('target')
    .values([
      { indicator_id: indicator.id, year: 2025, partnership_id: null, target: 50 },
      { indicator_id: indicator.id, year: 2025, partnership_id: ab, target: 60 },
      { indicator_id: indicator.id, year: 2025, partnership_id: cd, target: 70 },
    ])
    .execute();
  const account = (email: string, role: Role, cityId: number | null) => ({
    email,
    display_name: email.split('@')[0] ?? email,
    role,
    city_id: cityId,
    password_hash: 'not a real hash',
  });
  const [editorA, viewerA, viewerB, editorC, monitor, evaluator] = (await insertIds(
    db,
    'app_user',
    [
      account('editor.a@example.org', 'CITY_EDITOR', a),
      account('viewer.a@example.org', 'CITY_VIEWER', a),
      account('viewer.b@example.org', 'CITY_VIEWER', b),
      account('editor.c@example.org', 'CITY_EDITOR', c),
      account('monitor@example.org', 'FOREIGN_OFFICE', null),
      account('evaluator@example.org', 'SKEW_EVALUATOR', null),
    ],
  )) as [number, number, number, number, number, number];
  await db
    .insertInto('audit_entry')
    .values([
      {
        actor_id: editorA,
        action: 'CREATE',
        entity: 'exchange',
        entity_id: String(exAb),
        city_ids: [a, b],
        new_values: JSON.stringify({ title: 'Zero waste workshop' }),
      },
      {
        actor_id: editorC,
        action: 'CREATE',
        entity: 'exchange',
        entity_id: String(exCd),
        city_ids: [c, d],
        new_values: JSON.stringify({ title: 'Mayors on sponge cities' }),
      },
    ])
    .execute();
  return {
    city: { a, b, c, d },
    partnership: { ab, cd },
    department: { a: depA, b: depB, c: depC, d: depD },
    exchange: { ab: exAb, cd: exCd },
    outcome: { ab: outAb, cd: outCd },
    value: {
      aApproved,
      aSubmitted,
      aDraft,
      aRejected,
      bApproved,
      bSubmitted,
      bDraft,
      bRejected,
      cApproved,
      cSubmitted,
    },
    user: { editorA, viewerA, viewerB, editorC, monitor, evaluator },
    indicatorU5: indicator.id,
  };
}

/** A viewer as `authenticate` would return it, for running code in a viewer scope. */
export function viewerOf(userId: number, role: Role, cityId: number | null): Viewer {
  return {
    userId,
    sessionId: 0,
    email: `user${userId}@example.org`,
    displayName: `User ${userId}`,
    role,
    cityId,
  };
}
