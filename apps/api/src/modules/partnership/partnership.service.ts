import type { Context } from '../../context.ts';
import { insertAuditEntryOfWrite } from '../audit/audit.repository.ts';
import { findCountriesOfCities } from '../city/city.repository.ts';
import { decodeNodeId } from '../shared/global-id.ts';
import {
  type ConstraintErrors,
  type MutationResult,
  roleError,
  runMutation,
} from '../shared/mutation.ts';
import { type UserError, UserErrorException, userError } from '../shared/user-error.ts';
import {
  findGoalsOfTopicCodes,
  insertPartnership,
  type PartnershipRow,
} from './partnership.repository.ts';

/**
 * SDGs 11, 16 and 17 matter for every partnership of the programme (docs/methodology.md, "The data
 * model").
 */
const PROGRAMME_SDGS = [11, 16, 17];

const PARTNERSHIP_CONSTRAINTS: ConstraintErrors = {
  partnership_german_city_id_partner_city_id_key: userError(
    'CONFLICT',
    'partnerCityId',
    'These two cities are partners in the programme already.',
  ),
  partnership_two_cities: userError(
    'VALIDATION',
    'partnerCityId',
    'partnerCityId must be another city than germanCityId.',
  ),
  partnership_twinned_since_check: userError(
    'VALIDATION',
    'twinnedSince',
    'twinnedSince must be a year between 1900 and 2100.',
  ),
};

export interface CreatePartnershipArgs {
  germanCityId: string;
  partnerCityId: string;
  twinnedSince?: number | null | undefined;
  joinedOn?: string | null | undefined;
  topics?: readonly string[] | null | undefined;
}

/**
 * Adds a partnership (SKEW administration only): a German city and a partner city in another
 * country. Its focus SDGs are the programme's (11, 16, 17) and the default goals of its topics.
 */
export async function createPartnership(
  context: Context,
  input: CreatePartnershipArgs,
): Promise<MutationResult<PartnershipRow>> {
  const denied = roleError(context.viewer, ['SKEW_ADMIN']);
  if (denied) return { ok: false, errors: [denied] };
  const errors: UserError[] = [];
  const germanCityId = decodeNodeId(input.germanCityId, 'City');
  const partnerCityId = decodeNodeId(input.partnerCityId, 'City');
  if (germanCityId === null)
    errors.push(userError('VALIDATION', 'germanCityId', 'germanCityId is not a city id.'));
  if (partnerCityId === null)
    errors.push(userError('VALIDATION', 'partnerCityId', 'partnerCityId is not a city id.'));
  if (germanCityId !== null && germanCityId === partnerCityId) {
    errors.push(
      userError(
        'VALIDATION',
        'partnerCityId',
        'partnerCityId must be another city than germanCityId.',
      ),
    );
  }
  const { twinnedSince } = input;
  if (twinnedSince != null && (twinnedSince < 1900 || twinnedSince > 2100)) {
    errors.push(
      userError('VALIDATION', 'twinnedSince', 'twinnedSince must be a year between 1900 and 2100.'),
    );
  }
  if (errors.length > 0 || germanCityId === null || partnerCityId === null)
    return { ok: false, errors };
  const topics = [...new Set(input.topics ?? [])];
  return runMutation(context.db, PARTNERSHIP_CONSTRAINTS, async (trx) => {
    const cities = await findCountriesOfCities(trx, [germanCityId, partnerCityId]);
    const german = cities.find((c) => c.id === germanCityId);
    const partner = cities.find((c) => c.id === partnerCityId);
    const late: UserError[] = [];
    if (!german) late.push(userError('NOT_FOUND', 'germanCityId', 'germanCityId names no city.'));
    else if (german.country_code !== 'DE') {
      late.push(userError('VALIDATION', 'germanCityId', 'germanCityId must be a city in Germany.'));
    }
    if (!partner)
      late.push(userError('NOT_FOUND', 'partnerCityId', 'partnerCityId names no city.'));
    else if (partner.country_code === 'DE') {
      late.push(
        userError('VALIDATION', 'partnerCityId', 'partnerCityId must be a city outside Germany.'),
      );
    }
    if (late.length > 0) throw new UserErrorException(late);
    const goals = [
      ...new Set([...PROGRAMME_SDGS, ...(await findGoalsOfTopicCodes(trx, topics))]),
    ].sort((a, b) => a - b);
    const partnership = await insertPartnership(
      trx,
      {
        german_city_id: germanCityId,
        partner_city_id: partnerCityId,
        twinned_since: twinnedSince ?? null,
        joined_on: input.joinedOn ?? null,
      },
      topics,
      goals,
    );
    await insertAuditEntryOfWrite(
      trx,
      context.viewer,
      'partnership',
      partnership.id,
      [germanCityId, partnerCityId],
      null,
      {
        germanCityId,
        partnerCityId,
        twinnedSince,
        joinedOn: input.joinedOn ?? null,
        topics,
        sdgs: goals,
      },
    );
    return partnership;
  });
}
