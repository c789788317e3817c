import type { ValueStatus } from '@udx/db/schema';
import { GraphQLError } from 'graphql';
import { CITY_ROLES, type Context, SKEW_ROLES } from '../../context.ts';
import type { Scope } from '../shared/scope.ts';

/**
 * The scope and the reported values a viewer's figures are computed from (PRODUCT.md §2, §4):
 * - official views (the Foreign Office; everyone by default) count APPROVED values only;
 * - SKEW may ask for SUBMITTED values too, to see what review would change;
 * - a city account's figures cover its own city's partnerships; asking for another city's is
 *   refused, and a partnership of another city narrows the scope to nothing.
 */
export function figuresFor(
  context: Pick<Context, 'viewer'>,
  scope: Scope,
  includeSubmitted: boolean,
): { scope: Scope; reportedStatuses: ValueStatus[] } {
  const viewer = context.viewer;
  if (!viewer) {
    throw new GraphQLError('Not allowed', { extensions: { code: 'FORBIDDEN' } });
  }
  const isSkew = SKEW_ROLES.includes(viewer.role);
  if (includeSubmitted && !isSkew) {
    throw new GraphQLError('Only SKEW sees figures with submitted values', {
      extensions: { code: 'FORBIDDEN', field: 'includeSubmitted' },
    });
  }
  const reportedStatuses: ValueStatus[] = includeSubmitted
    ? ['APPROVED', 'SUBMITTED']
    : ['APPROVED'];
  if (CITY_ROLES.includes(viewer.role)) {
    if (viewer.cityId === null) {
      throw new GraphQLError('Not allowed', { extensions: { code: 'FORBIDDEN' } });
    }
    if (scope.cityId !== undefined && scope.cityId !== viewer.cityId) {
      throw new GraphQLError("A city account sees its own city's figures only", {
        extensions: { code: 'FORBIDDEN', field: 'scope.cityId' },
      });
    }
    return { scope: { ...scope, cityId: viewer.cityId }, reportedStatuses };
  }
  return { scope, reportedStatuses };
}
