import type { Database } from '@udx/db/schema';
import type { Kysely } from 'kysely';

/**
 * Which part of the programme a figure or a list covers: every given filter applies. Ids are
 * database ids. `from`/`to` are inclusive `YYYY-MM-DD` dates; without them, all time
 * (docs/methodology.md, "Scopes and periods").
 */
export interface Scope {
  partnershipId?: number | null;
  /** Partnerships with this city on either side. */
  cityId?: number | null;
  /** Partnerships whose partner city lies in this country (ISO 3166-1 alpha-2). */
  countryCode?: string | null;
  /** First day covered. */
  from?: string | null;
  /** Last day covered. */
  to?: string | null;
}

/**
 * A scope narrowed to some of its partnerships, for some rows of its breakdown by partnership
 * (`computePartnershipBreakdown`): each row counts its own partnership's facts alone, so it comes
 * out the same whichever other partnerships are computed with it. Not a scope of its own: its
 * whole-scope figures would count only these partnerships.
 */
export interface ScopeRows extends Scope {
  partnershipIds: readonly number[];
}

/**
 * The ids of the partnerships a scope selects, as a subquery: one partnership, those with a city
 * on either side, those whose partner city lies in a country; every given filter applies. The
 * one rule by which the engine's figures and the API's lists select partnerships, so that both
 * count the same ones (docs/methodology.md, "Scopes and periods"). The period plays no part:
 * a partnership belongs to a scope whatever its status.
 */
export function selectPartnershipIdsInScope(db: Kysely<Database>, scope: Scope | ScopeRows) {
  let query = db.selectFrom('partnership').select('partnership.id');
  const { partnershipId, cityId, countryCode } = scope;
  if ('partnershipIds' in scope) {
    const ids = scope.partnershipIds.length > 0 ? [...scope.partnershipIds] : [-1];
    query = query.where('partnership.id', 'in', ids);
  }
  if (partnershipId != null) {
    query = query.where('partnership.id', '=', partnershipId);
  }
  if (cityId != null) {
    query = query.where((eb) =>
      eb.or([
        eb('partnership.german_city_id', '=', cityId),
        eb('partnership.partner_city_id', '=', cityId),
      ]),
    );
  }
  if (countryCode != null) {
    query = query.where(
      'partnership.partner_city_id',
      'in',
      db.selectFrom('city').select('city.id').where('city.country_code', '=', countryCode),
    );
  }
  return query;
}
