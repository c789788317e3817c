import type { Context } from '../../context.ts';
import { insertAuditEntryOfWrite } from '../audit/audit.repository.ts';
import {
  type ConstraintErrors,
  type MutationResult,
  roleError,
  runMutation,
} from '../shared/mutation.ts';
import { type UserError, userError } from '../shared/user-error.ts';
import { type CityRow, insertCity } from './city.repository.ts';

const CITY_CONSTRAINTS: ConstraintErrors = {
  city_country_code_name_key: userError(
    'CONFLICT',
    'name',
    'A city of this name exists already in this country.',
  ),
};

export interface CreateCityArgs {
  name: string;
  countryCode: string;
  region?: string | null | undefined;
  population?: number | null | undefined;
  latitude?: number | null | undefined;
  longitude?: number | null | undefined;
}

/** Adds a city to the programme (SKEW administration only), with its audit entry. */
export async function createCity(
  context: Context,
  input: CreateCityArgs,
): Promise<MutationResult<CityRow>> {
  const denied = roleError(context.viewer, ['SKEW_ADMIN']);
  if (denied) return { ok: false, errors: [denied] };
  const errors: UserError[] = [];
  const name = input.name.trim();
  // checked as typed: 'ß' and 'ﬀ' upper-case to the letter pairs SS and FF
  const typedCountryCode = input.countryCode.trim();
  const countryCode = typedCountryCode.toUpperCase();
  const region = input.region?.trim() || null;
  if (name === '' || name.length > 200) {
    errors.push(userError('VALIDATION', 'name', 'name must have 1 to 200 characters.'));
  }
  if (region !== null && region.length > 200) {
    errors.push(userError('VALIDATION', 'region', 'region must have at most 200 characters.'));
  }
  if (!/^[A-Za-z]{2}$/.test(typedCountryCode)) {
    errors.push(
      userError('VALIDATION', 'countryCode', 'countryCode must be two letters (ISO 3166-1).'),
    );
  }
  const { population, latitude, longitude } = input;
  if (population != null && (!Number.isInteger(population) || population < 0)) {
    errors.push(userError('VALIDATION', 'population', 'population must not be negative.'));
  }
  if (latitude != null && !(latitude >= -90 && latitude <= 90)) {
    errors.push(userError('VALIDATION', 'latitude', 'latitude must be between -90 and 90.'));
  }
  if (longitude != null && !(longitude >= -180 && longitude <= 180)) {
    errors.push(userError('VALIDATION', 'longitude', 'longitude must be between -180 and 180.'));
  }
  if (errors.length > 0) return { ok: false, errors };
  return runMutation(context.db, CITY_CONSTRAINTS, async (trx) => {
    const city = await insertCity(trx, {
      name,
      country_code: countryCode,
      region,
      population: population ?? null,
      latitude: latitude ?? null,
      longitude: longitude ?? null,
    });
    await insertAuditEntryOfWrite(trx, context.viewer, 'city', city.id, [city.id], null, {
      name,
      countryCode,
      region,
      population,
      latitude,
      longitude,
    });
    return city;
  });
}
