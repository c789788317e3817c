import type { Db } from '@udx/db/database';
import type { Database, NewPartnership, PartnershipStatus } from '@udx/db/schema';
import { type Scope, selectPartnershipIdsInScope } from '@udx/indicators/engine';
import {
  type Expression,
  type ExpressionBuilder,
  type Selectable,
  type SqlBool,
  sql,
} from 'kysely';
import type { Access } from '../city/city.access.ts';
import { countQueryRows, type Page } from '../shared/paging.ts';
import { containsPattern } from '../shared/search.ts';
import type { Executor } from '../shared/transaction.ts';

export type PartnershipRow = Selectable<Database['partnership']>;
export type TopicOfPartnershipRow = Selectable<Database['topic']> & { partnership_id: number };
export type SdgGoalOfPartnershipRow = Selectable<Database['sdg_goal']> & {
  partnership_id: number;
};

/** Restricts `partnership` rows to those the viewer may see: a city account sees its city's. */
function restrictToAccess(
  eb: ExpressionBuilder<Database, 'partnership'>,
  access: Access,
): Expression<SqlBool> {
  if (access.kind === 'programme') return sql<SqlBool>`true`;
  if (access.kind === 'none') return sql<SqlBool>`false`;
  return eb(
    'partnership.id',
    'in',
    eb
      .selectFrom('partnership_city')
      .select('partnership_city.partnership_id')
      .where('partnership_city.city_id', '=', access.cityId),
  );
}

/** Partnerships by id, as far as `access` lets the viewer see them. */
export function findPartnershipsByIds(
  db: Db,
  ids: readonly number[],
  access: Access,
): Promise<PartnershipRow[]> {
  // anonymous requests read no partnership (their database role may not even ask)
  if (ids.length === 0 || access.kind === 'none') return Promise.resolve([]);
  return db
    .selectFrom('partnership')
    .selectAll()
    .where('partnership.id', 'in', ids)
    .where((eb) => restrictToAccess(eb, access))
    .execute();
}

/** The partnerships of several cities at once (either side), each row with the city's id. */
export function findPartnershipsOfCities(
  db: Db,
  cityIds: readonly number[],
  access: Access,
): Promise<(PartnershipRow & { city_id: number })[]> {
  if (cityIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('partnership_city')
    .innerJoin('partnership', 'partnership.id', 'partnership_city.partnership_id')
    .selectAll('partnership')
    .select('partnership_city.city_id')
    .where('partnership_city.city_id', 'in', cityIds)
    .where((eb) => restrictToAccess(eb, access))
    .orderBy('partnership.id')
    .execute();
}

export interface PartnershipFilter {
  /** Partnerships whose partner city is in this country (ISO 3166-1 alpha-2). */
  countryCode?: string | undefined;
  /** Partnerships of this city, on either side. */
  cityId?: number | undefined;
  status?: PartnershipStatus | undefined;
  /** Partnerships either of whose cities has this text in its name (any case). */
  search?: string | undefined;
}

function visiblePartnerships(db: Db, access: Access, filter: PartnershipFilter) {
  let query = db.selectFrom('partnership').where((eb) => restrictToAccess(eb, access));
  if (filter.countryCode) {
    const code = filter.countryCode;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('city')
          .select('city.id')
          .whereRef('city.id', '=', 'partnership.partner_city_id')
          .where('city.country_code', '=', code),
      ),
    );
  }
  if (filter.cityId !== undefined) {
    const cityId = filter.cityId;
    query = query.where((eb) =>
      eb.or([
        eb('partnership.german_city_id', '=', cityId),
        eb('partnership.partner_city_id', '=', cityId),
      ]),
    );
  }
  if (filter.status) query = query.where('partnership.status', '=', filter.status);
  if (filter.search) {
    const pattern = containsPattern(filter.search);
    query = query.where('partnership.id', 'in', (eb) =>
      eb
        .selectFrom('partnership_city')
        .innerJoin('city', 'city.id', 'partnership_city.city_id')
        .select('partnership_city.partnership_id')
        .where('city.name', 'ilike', pattern),
    );
  }
  return query;
}

/** One page of the partnerships the viewer may see, in the order they were created. */
export function findPartnershipsPage(
  db: Db,
  access: Access,
  filter: PartnershipFilter,
  page: Page,
): Promise<PartnershipRow[]> {
  return visiblePartnerships(db, access, filter)
    .selectAll()
    .orderBy('partnership.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** How many partnerships the viewer may see with this filter. */
export function countPartnerships(
  db: Db,
  access: Access,
  filter: PartnershipFilter,
): Promise<number> {
  return countQueryRows(visiblePartnerships(db, access, filter));
}

/** The topics of several partnerships at once, in display order. */
export function findTopicsOfPartnerships(
  db: Db,
  ids: readonly number[],
): Promise<TopicOfPartnershipRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('partnership_topic')
    .innerJoin('topic', 'topic.code', 'partnership_topic.topic_code')
    .selectAll('topic')
    .select('partnership_topic.partnership_id')
    .where('partnership_topic.partnership_id', 'in', ids)
    .orderBy('topic.position')
    .execute();
}

/** The focus SDGs of several partnerships at once, in goal order. */
export function findGoalsOfPartnerships(
  db: Db,
  ids: readonly number[],
): Promise<SdgGoalOfPartnershipRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('partnership_sdg')
    .innerJoin('sdg_goal', 'sdg_goal.number', 'partnership_sdg.goal')
    .selectAll('sdg_goal')
    .select('partnership_sdg.partnership_id')
    .where('partnership_sdg.partnership_id', 'in', ids)
    .orderBy('sdg_goal.number')
    .execute();
}

/** Inserts a partnership with its topics and focus SDGs, and returns it. */
export async function insertPartnership(
  db: Executor,
  partnership: NewPartnership,
  topicCodes: readonly string[],
  goals: readonly number[],
): Promise<PartnershipRow> {
  const row = await db
    .insertInto('partnership')
    .values(partnership)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (topicCodes.length > 0) {
    await db
      .insertInto('partnership_topic')
      .values(topicCodes.map((topic_code) => ({ partnership_id: row.id, topic_code })))
      .execute();
  }
  if (goals.length > 0) {
    await db
      .insertInto('partnership_sdg')
      .values(goals.map((goal) => ({ partnership_id: row.id, goal })))
      .execute();
  }
  return row;
}

/** The default SDG goals of topics. */
export async function findGoalsOfTopicCodes(
  db: Executor,
  codes: readonly string[],
): Promise<number[]> {
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom('topic_sdg')
    .select('goal')
    .where('topic_code', 'in', codes)
    .execute();
  return rows.map((row) => row.goal);
}

/** Whether each part a scope names may be asked for: see `findScopeReach`. */
export interface ScopeReach {
  partnership: boolean;
  city: boolean;
  country: boolean;
}

/**
 * Whether the partnership and city a scope names exist and lie within `access`, and, for a
 * city account, whether its city has a partnership in the country named, in one statement.
 * Parts the scope does not name are reachable.
 */
export async function findScopeReach(db: Db, scope: Scope, access: Access): Promise<ScopeReach> {
  const row = await db
    .selectNoFrom((eb) => [
      scope.partnershipId == null
        ? sql<boolean>`true`.as('partnership')
        : eb
            .exists(
              eb
                .selectFrom('partnership')
                .select('partnership.id')
                .where('partnership.id', '=', scope.partnershipId)
                .where((inner) => restrictToAccess(inner, access)),
            )
            .as('partnership'),
      scope.cityId == null
        ? sql<boolean>`true`.as('city')
        : eb
            .exists(
              eb
                .selectFrom('city')
                .select('city.id')
                .where('city.id', '=', scope.cityId)
                .where((inner) =>
                  access.kind === 'city'
                    ? inner('city.id', '=', access.cityId)
                    : sql<SqlBool>`true`,
                ),
            )
            .as('city'),
      scope.countryCode == null || access.kind === 'programme'
        ? sql<boolean>`true`.as('country')
        : eb
            .exists(
              eb
                .selectFrom('partnership')
                .innerJoin('city as partner', 'partner.id', 'partnership.partner_city_id')
                .select('partnership.id')
                .where('partner.country_code', '=', scope.countryCode)
                .where((inner) => restrictToAccess(inner, access)),
            )
            .as('country'),
    ])
    .executeTakeFirstOrThrow();
  return {
    partnership: Boolean(row.partnership),
    city: Boolean(row.city),
    country: Boolean(row.country),
  };
}

/**
 * The ids of the partnerships a scope selects, limited to what the viewer reaches, as a subquery:
 * the indicator engine's rule (docs/methodology.md, "Scopes and periods"), so that lists count
 * the partnerships the figures count, with the reach of the viewer's account added. Exchanges and
 * outcomes belong to a scope through their partnership.
 */
export function selectPartnershipIdsInReach(db: Executor, scope: Scope, reach: Access) {
  let query = selectPartnershipIdsInScope(db, scope);
  if (reach.kind === 'city') {
    query = query.where('partnership.id', 'in', (eb) =>
      eb
        .selectFrom('partnership_city')
        .select('partnership_id')
        .where('city_id', '=', reach.cityId),
    );
  }
  if (reach.kind === 'none') query = query.where(sql<boolean>`false`);
  return query;
}

/**
 * Whether `selectPartnershipIdsInReach` selects every partnership: a programme account's scope
 * that names no partnership, city or country. Lists of records that belong to a partnership
 * (every one does: a foreign key) leave the condition out then, so that the database reads
 * them in the order of an index instead of matching each row against every partnership.
 */
export function selectsEveryPartnership(scope: Scope, reach: Access): boolean {
  return (
    reach.kind === 'programme' &&
    scope.partnershipId == null &&
    scope.cityId == null &&
    scope.countryCode == null
  );
}

/** The two cities of a partnership (empty when there is no such partnership). */
export function findCitiesOfPartnership(db: Executor, partnershipId: number) {
  return db
    .selectFrom('partnership_city')
    .select(['city_id', 'side'])
    .where('partnership_id', '=', partnershipId)
    .execute();
}

/** A city of a scope's partnerships on its map: see `findPartnershipMap`. */
export interface MapCityRow {
  id: number;
  name: string;
  country_code: string;
  latitude: number | null;
  longitude: number | null;
  /** Whether it is the German city of any of those partnerships. */
  german: boolean;
  partnerships: number;
}

/** Two cities joined by partnerships of a scope, either way round: see `findPartnershipMap`. */
export interface MapLinkRow {
  german_city_id: number;
  partner_city_id: number;
  partnerships: number;
  /** The partnership, when the link is one. */
  partnership_id: number | null;
}

/** A partner cities' country of a scope's partnerships: see `findPartnershipMap`. */
export interface MapCountryRow {
  country_code: string;
  partnerships: number;
}

export interface PartnershipMapRows {
  cities: MapCityRow[];
  links: MapLinkRow[];
  countries: MapCountryRow[];
}

/**
 * What the map of a scope's partnerships and the choices of places draw from, in one statement
 * whatever the scope's size: every city of the scope's partnerships once, with how many of them
 * it is in; every pair of cities they join, with how many (a partnership and one the other way
 * round are one link, oriented as the first of them); and the countries of the partner cities,
 * with how many partnerships each. At national scale that is about 10,000 cities and 5,000
 * links, never a row per partnership with its cities. The scope is the engine's rule
 * (`selectPartnershipIdsInScope`); row-level security keeps a city account's statement to its
 * own partnerships as well.
 */
export async function findPartnershipMap(db: Executor, scope: Scope): Promise<PartnershipMapRows> {
  const { rows } = await sql<{
    cities: MapCityRow[] | null;
    links: MapLinkRow[] | null;
    countries: MapCountryRow[] | null;
  }>`/* partnership-map */
    WITH scope_partnership AS MATERIALIZED (
      SELECT id, german_city_id, partner_city_id FROM partnership
      WHERE id IN (${selectPartnershipIdsInScope(db, scope)})
    )
    SELECT
      (SELECT json_agg(city_row ORDER BY city_row.name, city_row.id) FROM (
        SELECT city.id, city.name, city.country_code, city.latitude, city.longitude,
          bool_or(side.german) AS german, count(*)::integer AS partnerships
        FROM scope_partnership
        CROSS JOIN LATERAL (VALUES (german_city_id, true), (partner_city_id, false))
          AS side (city_id, german)
        JOIN city ON city.id = side.city_id
        GROUP BY city.id
      ) AS city_row) AS cities,
      (SELECT json_agg(link_row ORDER BY link_row.german_city_id, link_row.partner_city_id) FROM (
        SELECT (array_agg(german_city_id ORDER BY id))[1] AS german_city_id,
          (array_agg(partner_city_id ORDER BY id))[1] AS partner_city_id,
          count(*)::integer AS partnerships,
          CASE WHEN count(*) = 1 THEN min(id) END AS partnership_id
        FROM scope_partnership
        GROUP BY least(german_city_id, partner_city_id), greatest(german_city_id, partner_city_id)
      ) AS link_row) AS links,
      (SELECT json_agg(country_row ORDER BY country_row.country_code) FROM (
        SELECT city.country_code, count(*)::integer AS partnerships
        FROM scope_partnership JOIN city ON city.id = scope_partnership.partner_city_id
        GROUP BY city.country_code
      ) AS country_row) AS countries`.execute(db);
  const row = rows[0];
  return { cities: row?.cities ?? [], links: row?.links ?? [], countries: row?.countries ?? [] };
}
