import type { Scope } from '@udx/indicators/engine';
import { GraphQLError } from 'graphql';
import { builder } from '../../builder.ts';
import { decodeNodeId } from './global-id.ts';

export interface ScopeInputShape {
  partnershipId?: string | null;
  cityId?: string | null;
  countryCode?: string | null;
  from?: string | null;
  to?: string | null;
}

export const ScopeInput = builder.inputRef<ScopeInputShape>('ScopeInput').implement({
  description:
    'Which partnerships and which period a list or figure covers. Every field is optional; ' +
    'without any, the whole programme over all time (as far as the viewer may see).',
  fields: (t) => ({
    partnershipId: t.id({ required: false, description: 'One partnership.' }),
    cityId: t.id({ required: false, description: 'The partnerships of one city (either side).' }),
    countryCode: t.string({
      required: false,
      description:
        'The partnerships whose partner city is in this country (ISO 3166-1, e.g. "US").',
    }),
    from: t.field({ type: 'Date', required: false, description: 'First day of the period.' }),
    to: t.field({ type: 'Date', required: false, description: 'Last day of the period.' }),
  }),
});

/** The earliest and latest day a scope's period may name. */
const SCOPE_FIRST_DAY = '1950-01-01';
const SCOPE_LAST_DAY = '2100-12-31';

function badScope(field: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}

/** Turns the `scope` argument into a Scope, refusing ids of the wrong type and periods out of order. */
export function parseScope(input: ScopeInputShape | null | undefined): Scope {
  const scope: Scope = {};
  if (!input) return scope;
  if (input.partnershipId != null) {
    const id = decodeNodeId(input.partnershipId, 'Partnership');
    if (id === null)
      throw badScope('scope.partnershipId', 'scope.partnershipId is not a partnership id');
    scope.partnershipId = id;
  }
  if (input.cityId != null) {
    const id = decodeNodeId(input.cityId, 'City');
    if (id === null) throw badScope('scope.cityId', 'scope.cityId is not a city id');
    scope.cityId = id;
  }
  if (input.countryCode != null) {
    // checked as typed: 'ß' and 'ﬀ' upper-case to the letter pairs SS and FF
    const code = input.countryCode.trim();
    if (!/^[A-Za-z]{2}$/.test(code)) {
      throw badScope('scope.countryCode', 'scope.countryCode must be two letters (ISO 3166-1)');
    }
    scope.countryCode = code.toUpperCase();
  }
  // The programme's records lie within these years; a period far beyond them would only make
  // a series of tens of thousands of empty quarters.
  for (const end of ['from', 'to'] as const) {
    const day = input[end];
    if (day == null) continue;
    if (day < SCOPE_FIRST_DAY || day > SCOPE_LAST_DAY) {
      throw badScope(
        `scope.${end}`,
        `scope.${end} must lie between ${SCOPE_FIRST_DAY} and ${SCOPE_LAST_DAY}`,
      );
    }
    scope[end] = day;
  }
  if (scope.from && scope.to && scope.to < scope.from) {
    throw badScope('scope.to', 'scope.to must not be before scope.from');
  }
  return scope;
}
