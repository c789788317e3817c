import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import type { DatabaseHandle, Db } from '@udx/db/database';
import type { DepartmentType, Role } from '@udx/db/schema';
import { createTestDatabase, type Engine, type TestDatabaseOptions } from '@udx/db/testing';
import { type ExecutionResult, graphql } from 'graphql';
import { afterAll, beforeAll } from 'vitest';
import type { Context, Viewer } from '../src/context.ts';
import { schema } from '../src/schema.ts';
import { insertId } from './insert-rows.ts';

/**
 * A small programme for the write-side tests: two partnerships (Bonn–La Crosse, Leipzig–Houston),
 * a few departments, and one account per role.
 */
export interface Fixture {
  handle: DatabaseHandle;
  db: Db;
  cities: Record<'bonn' | 'laCrosse' | 'leipzig' | 'houston', number>;
  partnerships: Record<'bonnLaCrosse' | 'leipzigHouston', number>;
  departments: Record<
    'bonnEnvironment' | 'bonnInternational' | 'laCrossePlanning' | 'leipzigMobility',
    number
  >;
  viewers: Record<
    'admin' | 'evaluator' | 'monitor' | 'bonnEditor' | 'bonnViewer' | 'leipzigEditor',
    Viewer
  >;
}

/** A fresh database on `engine` with the fixture programme in it. */
export async function createFixture(
  engine: Engine,
  options: TestDatabaseOptions = {},
): Promise<Fixture> {
  const handle = await createTestDatabase(engine, options);
  const db = handle.db;
  const city = (name: string, country_code: string) => insertId(db, 'city', { name, country_code });
  const cities = {
    bonn: await city('Bonn', 'DE'),
    laCrosse: await city('La Crosse', 'US'),
    leipzig: await city('Leipzig', 'DE'),
    houston: await city('Houston', 'US'),
  };
  const partnership = (german_city_id: number, partner_city_id: number) =>
    insertId(db, 'partnership', {
      german_city_id,
      partner_city_id,
      twinned_since: 1990,
      joined_on: '2024-01-01',
    });
  const partnerships = {
    bonnLaCrosse: await partnership(cities.bonn, cities.laCrosse),
    leipzigHouston: await partnership(cities.leipzig, cities.houston),
  };
  const department = (city_id: number, name: string, type: DepartmentType) =>
    insertId(db, 'department', { city_id, name, type });
  const departments = {
    bonnEnvironment: await department(cities.bonn, 'Umweltamt', 'ENVIRONMENT'),
    bonnInternational: await department(
      cities.bonn,
      'Amt für Internationales',
      'INTERNATIONAL_OFFICE',
    ),
    laCrossePlanning: await department(cities.laCrosse, 'Planning Department', 'URBAN_PLANNING'),
    leipzigMobility: await department(cities.leipzig, 'Verkehrs- und Tiefbauamt', 'MOBILITY'),
  };
  const user = async (key: string, role: Role, cityId: number | null): Promise<Viewer> => {
    const email = `${key.toLowerCase()}@test.udx`;
    const row = await db
      .insertInto('app_user')
      .values({ email, display_name: key, role, city_id: cityId, password_hash: 'not-a-hash' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { userId: row.id, sessionId: 0, email, displayName: key, role, cityId };
  };
  const viewers = {
    admin: await user('admin', 'SKEW_ADMIN', null),
    evaluator: await user('evaluator', 'SKEW_EVALUATOR', null),
    monitor: await user('monitor', 'FOREIGN_OFFICE', null),
    bonnEditor: await user('bonnEditor', 'CITY_EDITOR', cities.bonn),
    bonnViewer: await user('bonnViewer', 'CITY_VIEWER', cities.bonn),
    leipzigEditor: await user('leipzigEditor', 'CITY_EDITOR', cities.leipzig),
  };
  return { handle, db, cities, partnerships, departments, viewers };
}

/**
 * The fixture of a `describe` block: created on `engine` before its tests (and before the block's
 * own `beforeAll`), dropped after them. The object returned is filled in once it is created.
 */
export function useFixture(engine: Engine, options: TestDatabaseOptions = {}): Fixture {
  const fixture = {} as Fixture;
  beforeAll(async () => {
    Object.assign(fixture, await createFixture(engine, options));
  });
  afterAll(async () => {
    await fixture.handle?.close();
  });
  return fixture;
}

/** Runs an operation against the real schema as `viewer` would, with a fresh context. */
// biome-ignore lint/suspicious/noExplicitAny: tests read the answer as a client does
export async function run<T = Record<string, any>>(
  db: Db,
  viewer: Viewer | null,
  source: string,
  variableValues?: Record<string, unknown>,
): Promise<ExecutionResult<T>> {
  const contextValue: Context = { db, viewer, language: 'en', response: { setCookies: [] } };
  return (await graphql({ schema, source, variableValues, contextValue })) as ExecutionResult<T>;
}

/** Runs an operation and fails on GraphQL errors, returning `data`. */
export async function runOk(
  db: Db,
  viewer: Viewer | null,
  source: string,
  variableValues?: Record<string, unknown>,
  // biome-ignore lint/suspicious/noExplicitAny: tests read the answer as a client does
): Promise<any> {
  const result = await run(db, viewer, source, variableValues);
  if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.data;
}

/** The Relay global id of a row. */
export function gid(typename: string, id: number): string {
  return encodeGlobalID(typename, id);
}

/** The database id inside a Relay global id: the inverse of `gid`. */
export function idOf(globalId: string): number {
  return Number(decodeGlobalID(globalId).id);
}

const countedTables = [
  'exchange',
  'exchange_department',
  'exchange_topic',
  'exchange_sdg_target',
  'outcome',
  'outcome_sdg_target',
  'reported_value',
  'target',
  'audit_entry',
] as const;

/** How many rows the written tables hold: a failed mutation must leave these unchanged. */
export async function countRows(db: Db): Promise<Record<(typeof countedTables)[number], number>> {
  const counts = {} as Record<(typeof countedTables)[number], number>;
  for (const table of countedTables) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

export const RECORD_EXCHANGE = /* GraphQL */ `
  mutation Record($input: RecordExchangeInput!) {
    recordExchange(input: $input) {
      exchange {
        id kind format title startsOn endsOn participantCount governanceLevels
        partnership { id }
        hostCity { id name }
        departments { id name }
        topics { code }
        sdgTargets { code }
        sdgs { number }
        outcomes { id }
      }
      errors { code field message }
    }
  }
`;

/** A valid recordExchange input for the Bonn–La Crosse partnership; override what a test varies. */
export function exchangeInput(f: Fixture, overrides: Record<string, unknown> = {}) {
  return {
    partnershipId: gid('Partnership', f.partnerships.bonnLaCrosse),
    kind: 'TECHNICAL',
    format: 'IN_PERSON',
    title: 'Sponge city workshop',
    startsOn: '2025-05-12',
    endsOn: '2025-05-14',
    hostCityId: gid('City', f.cities.bonn),
    departmentIds: [
      gid('Department', f.departments.bonnEnvironment),
      gid('Department', f.departments.laCrossePlanning),
    ],
    participantCount: 18,
    governanceLevels: ['MUNICIPAL', 'SUBNATIONAL'],
    topics: ['SPONGE_CITY'],
    sdgTargets: ['11.6', '6.3'],
    ...overrides,
  };
}
