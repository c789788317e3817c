import type { Db } from '@udx/db/database';
import type { Database, NewCity } from '@udx/db/schema';
import { type ExpressionBuilder, type Selectable, sql } from 'kysely';
import { countQueryRows, type Page } from '../shared/paging.ts';
import { containsPattern } from '../shared/search.ts';
import type { Executor } from '../shared/transaction.ts';
import type { Access } from './city.access.ts';

export type CityRow = Selectable<Database['city']>;

/**
 * The ids of the cities that share a partnership with `cityId` (itself included, when it has a
 * partnership), as a subquery: the partner cities a city account sees, and whose approved
 * reported values it reads.
 */
export function selectPartnerCityIds(db: Executor, cityId: number) {
  return db
    .selectFrom('partnership_city as mine')
    .innerJoin('partnership_city as both', 'both.partnership_id', 'mine.partnership_id')
    .select('both.city_id')
    .where('mine.city_id', '=', cityId);
}

/** Whether a `city` row is one a city account may see: its own or a partner city of its partnerships. */
function seenByCityAccount(db: Db, eb: ExpressionBuilder<Database, 'city'>, cityId: number) {
  return eb.or([eb('city.id', '=', cityId), eb('city.id', 'in', selectPartnerCityIds(db, cityId))]);
}

/** Cities by id, as far as `access` lets the viewer see them. */
export function findCitiesByIds(
  db: Db,
  ids: readonly number[],
  access: Access,
): Promise<CityRow[]> {
  if (ids.length === 0 || access.kind === 'none') return Promise.resolve([]);
  let query = db.selectFrom('city').selectAll().where('city.id', 'in', ids);
  if (access.kind === 'city') {
    const { cityId } = access;
    query = query.where((eb) => seenByCityAccount(db, eb, cityId));
  }
  return query.execute();
}

export interface CityFilter {
  /** ISO 3166-1 alpha-2. */
  countryCode?: string | undefined;
  /** Cities with this text in their name (any case). */
  search?: string | undefined;
}

function visibleCities(db: Db, access: Access, filter: CityFilter) {
  let query = db.selectFrom('city');
  if (access.kind === 'none') query = query.where(sql<boolean>`false`);
  if (access.kind === 'city') {
    const { cityId } = access;
    query = query.where((eb) => seenByCityAccount(db, eb, cityId));
  }
  if (filter.countryCode) query = query.where('city.country_code', '=', filter.countryCode);
  if (filter.search) query = query.where('city.name', 'ilike', containsPattern(filter.search));
  return query;
}

/** One page of the cities the viewer may see, by country and name. */
export function findCitiesPage(
  db: Db,
  access: Access,
  filter: CityFilter,
  page: Page,
): Promise<CityRow[]> {
  return visibleCities(db, access, filter)
    .selectAll()
    .orderBy('city.country_code')
    .orderBy('city.name')
    .orderBy('city.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** How many cities the viewer may see with this filter. */
export function countCities(db: Db, access: Access, filter: CityFilter): Promise<number> {
  return countQueryRows(visibleCities(db, access, filter));
}

/** Inserts a city and returns it. */
export function insertCity(db: Executor, city: NewCity): Promise<CityRow> {
  return db.insertInto('city').values(city).returningAll().executeTakeFirstOrThrow();
}

/** Which of these cities exist. */
export async function findExistingCityIds(db: Executor, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('city').select('id').where('id', 'in', ids).execute();
  return rows.map((r) => r.id);
}

/** The country of each of these cities that exists. */
export function findCountriesOfCities(
  db: Executor,
  ids: readonly number[],
): Promise<Pick<CityRow, 'id' | 'country_code'>[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('city').select(['id', 'country_code']).where('id', 'in', ids).execute();
}

/** Whether a city with this id exists. */
export async function cityExists(db: Executor, id: number): Promise<boolean> {
  const row = await db.selectFrom('city').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}
