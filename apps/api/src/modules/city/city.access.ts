import { GraphQLError } from 'graphql';
import { CITY_ROLES, type Context, PROGRAMME_ROLES } from '../../context.ts';

/**
 * What part of the programme a request may read (docs/methodology.md, "The data model" and
 * "Who sees which figure"):
 * - `programme`: every city, partnership and department (Foreign Office and SKEW);
 * - `city`: one city, the partnerships it is part of, their partner cities, and the partner
 *   cities' departments only as far as they took part in exchanges of those partnerships;
 * - `none`: anonymous requests, which see the catalogues only.
 */
export type Access = { kind: 'programme' } | { kind: 'city'; cityId: number } | { kind: 'none' };

/** The access of the request's viewer. */
export function accessOf(context: Pick<Context, 'viewer'>): Access {
  const viewer = context.viewer;
  if (!viewer) return { kind: 'none' };
  if (PROGRAMME_ROLES.includes(viewer.role)) return { kind: 'programme' };
  if (CITY_ROLES.includes(viewer.role) && viewer.cityId !== null) {
    return { kind: 'city', cityId: viewer.cityId };
  }
  return { kind: 'none' };
}

/**
 * The one answer for an object that does not exist and for one the viewer may not see, so that
 * an id reveals nothing.
 */
export function notFound(typename: string): GraphQLError {
  return new GraphQLError(`No such ${typename}`, { extensions: { code: 'NOT_FOUND' } });
}
