import type { Db } from '@udx/db/database';
import type { Role } from '@udx/db/schema';
import type { Context, Language, Viewer } from '../../src/context.ts';

/**
 * A programme of `count` partnerships for the read-side tests: each a German city and a US
 * twin town with two departments each, two exchanges (one technical in 2025 with a department
 * of each city, one political in 2026), and one achieved joint project.
 */
export interface Programme {
  cityIds: number[];
  partnershipIds: number[];
  viewers: Record<'monitor' | 'evaluator' | 'firstCityEditor', Viewer>;
}

export async function seedProgramme(db: Db, count: number): Promise<Programme> {
  const cityIds: number[] = [];
  const partnershipIds: number[] = [];
  for (let i = 1; i <= count; i++) {
    const [german, partner] = await db
      .insertInto('city')
      .values([
        { name: `Stadt ${i}`, country_code: 'DE', region: 'NRW', population: 100_000 + i },
        { name: `Town ${i}`, country_code: 'US', region: 'Wisconsin', population: 50_000 + i },
      ])
      .returning('id')
      .execute();
    if (!german || !partner) throw new Error('cities not created');
    cityIds.push(german.id, partner.id);
    const { id: partnershipId } = await db
      .insertInto('partnership')
      .values({
        german_city_id: german.id,
        partner_city_id: partner.id,
        twinned_since: 1980 + (i % 40),
        joined_on: '2024-03-01',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    partnershipIds.push(partnershipId);
    await db
      .insertInto('partnership_topic')
      .values([
        { partnership_id: partnershipId, topic_code: 'SPONGE_CITY' },
        { partnership_id: partnershipId, topic_code: 'ZERO_WASTE' },
      ])
      .execute();
    const departments = await db
      .insertInto('department')
      .values([
        { city_id: german.id, name: 'Umweltamt', type: 'ENVIRONMENT' },
        { city_id: german.id, name: 'Amt für Internationales', type: 'INTERNATIONAL_OFFICE' },
        { city_id: partner.id, name: 'Planning Department', type: 'URBAN_PLANNING' },
        { city_id: partner.id, name: "Mayor's Office", type: 'MAYORS_OFFICE' },
      ])
      .returning(['id', 'city_id'])
      .execute();
    const [environment, , planning, mayor] = departments;
    if (!environment || !planning || !mayor) throw new Error('departments not created');
    const [technical, political] = await db
      .insertInto('exchange')
      .values([
        {
          partnership_id: partnershipId,
          kind: 'TECHNICAL',
          format: 'IN_PERSON',
          title: `Sponge city workshop ${i}`,
          starts_on: '2025-05-12',
          ends_on: '2025-05-14',
          host_city_id: german.id,
          participant_count: 12,
          governance_levels: ['MUNICIPAL', 'SUBNATIONAL'],
        },
        {
          partnership_id: partnershipId,
          kind: 'POLITICAL',
          format: 'VIRTUAL',
          title: `Mayors' dialogue ${i}`,
          starts_on: '2026-02-03',
          host_city_id: partner.id,
          participant_count: 4,
          governance_levels: ['MUNICIPAL'],
        },
      ])
      .returning('id')
      .execute();
    if (!technical || !political) throw new Error('exchanges not created');
    await db
      .insertInto('exchange_department')
      .values([
        {
          exchange_id: technical.id,
          partnership_id: partnershipId,
          department_id: environment.id,
          city_id: german.id,
        },
        {
          exchange_id: technical.id,
          partnership_id: partnershipId,
          department_id: planning.id,
          city_id: partner.id,
        },
        {
          exchange_id: political.id,
          partnership_id: partnershipId,
          department_id: mayor.id,
          city_id: partner.id,
        },
      ])
      .execute();
    await db
      .insertInto('exchange_topic')
      .values({ exchange_id: technical.id, topic_code: 'SPONGE_CITY' })
      .execute();
    await db
      .insertInto('exchange_sdg_target')
      .values({ exchange_id: technical.id, target_code: '11.6' })
      .execute();
    await db
      .insertInto('outcome')
      .values({
        partnership_id: partnershipId,
        exchange_id: technical.id,
        kind: 'JOINT_PROJECT',
        status: 'ACHIEVED',
        title: `Rain garden pilot ${i}`,
        date: '2025-10-01',
      })
      .execute();
  }
  const firstCity = cityIds[0] ?? 0;
  return {
    cityIds,
    partnershipIds,
    viewers: {
      monitor: viewer(1, 'FOREIGN_OFFICE', null),
      evaluator: viewer(2, 'SKEW_EVALUATOR', null),
      firstCityEditor: viewer(3, 'CITY_EDITOR', firstCity),
    },
  };
}

function viewer(userId: number, role: Role, cityId: number | null): Viewer {
  return {
    userId,
    sessionId: userId,
    email: `${role.toLowerCase()}@test.udx`,
    displayName: role,
    role,
    cityId,
  };
}

/** A fresh request context (dataloaders are cached per context object). */
export function contextFor(db: Db, viewer: Viewer | null, language: Language = 'en'): Context {
  return { db, viewer, language, response: { setCookies: [] } };
}
