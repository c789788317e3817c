import { createContextCache } from '@pothos/core';
import type { ValueStatus } from '@udx/db/schema';
import type { Scope } from '@udx/indicators/engine';
import { GraphQLError } from 'graphql';
import { type Context, SKEW_ROLES } from '../../context.ts';
import { accessOf } from '../city/city.access.ts';
import { findScopeReach } from '../partnership/partnership.repository.ts';
import { cachedFigure } from '../shared/figure-cache.ts';

/** What a viewer's figures are computed from: the effective scope and the values that count. */
export interface Figures {
  /** The scope as computed: for a city account always narrowed to its own city. */
  scope: Scope;
  reportedStatuses: ValueStatus[];
}

/**
 * The scope and the reported values a viewer's figures are computed from (docs/methodology.md,
 * "Who sees which figure"). A figure depends only on its scope and period, never on who looks:
 * - everyone counts APPROVED reported values; SKEW may ask for SUBMITTED ones as well, to see
 *   what review would change;
 * - a city account's scope is always within its own city: without a city it means its own,
 *   and another city, a partnership it is not part of, or a country it has no partnership in
 *   is refused (FORBIDDEN, naming the field), never answered with zeros;
 * - a partnership or city that does not exist is NOT_FOUND for programme accounts.
 * The answer is kept for the request, so many fields over one scope check it once.
 */
export function figuresFor(
  context: Pick<Context, 'db' | 'viewer' | 'figures'>,
  requested: Scope,
  includeSubmitted: boolean,
): Promise<Figures> {
  const cache = figuresCache(context);
  const key = JSON.stringify([requested, includeSubmitted]);
  let figures = cache.get(key);
  if (!figures) {
    figures = resolveFigures(context, requested, includeSubmitted);
    cache.set(key, figures);
  }
  return figures;
}

const figuresCache = createContextCache(
  (_context: Pick<Context, 'db' | 'viewer' | 'figures'>) => new Map<string, Promise<Figures>>(),
);

async function resolveFigures(
  context: Pick<Context, 'db' | 'viewer' | 'figures'>,
  requested: Scope,
  includeSubmitted: boolean,
): Promise<Figures> {
  const viewer = context.viewer;
  const access = accessOf(context);
  if (!viewer || access.kind === 'none') {
    throw new GraphQLError('Not allowed', { extensions: { code: 'FORBIDDEN' } });
  }
  if (includeSubmitted && !SKEW_ROLES.includes(viewer.role)) {
    throw new GraphQLError('Only SKEW sees figures with submitted values', {
      extensions: { code: 'FORBIDDEN', field: 'includeSubmitted' },
    });
  }
  const reportedStatuses: ValueStatus[] = includeSubmitted
    ? ['APPROVED', 'SUBMITTED']
    : ['APPROVED'];

  const reach = await cachedFigure(
    context,
    'scope-reach',
    requested,
    () => findScopeReach(context.db, requested, access),
    { reads: 'undated' },
  );
  if (access.kind === 'city') {
    const refuse = (field: string, message: string) =>
      new GraphQLError(message, { extensions: { code: 'FORBIDDEN', field } });
    if (!reach.city)
      throw refuse('scope.cityId', "A city account sees its own city's figures only");
    if (!reach.partnership) {
      throw refuse('scope.partnershipId', "A city account sees its own partnerships' figures only");
    }
    if (!reach.country) {
      throw refuse('scope.countryCode', 'Your city has no partnership in this country');
    }
    return { scope: { ...requested, cityId: access.cityId }, reportedStatuses };
  }
  const missing = (field: string, message: string) =>
    new GraphQLError(message, { extensions: { code: 'NOT_FOUND', field } });
  if (!reach.partnership) throw missing('scope.partnershipId', 'No such partnership');
  if (!reach.city) throw missing('scope.cityId', 'No such city');
  return { scope: requested, reportedStatuses };
}
