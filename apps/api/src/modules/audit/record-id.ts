import type { Role } from '@udx/db/schema';
import type { Viewer } from '../../context.ts';
import { decodeNodeId } from '../shared/scope.ts';
import { userError } from '../shared/user-error.ts';
import { type MutationResult, roleError } from './mutation.ts';

// Not in mutation.ts: importing the id decoder there would register ScopeInput earlier and so
// reorder the printed schema.

/** Which record an input field names by its Relay id, and what to answer when it names none. */
export interface NodeIdField {
  field: string;
  typename: string;
  /** The VALIDATION message for an id that is not one of `typename`. */
  message: string;
}

/**
 * The checks a mutation of one record makes before it opens a transaction: may the viewer run
 * it at all (see roleError), then is `globalId` an id of the expected type. The record's
 * database id, or the errors to answer with.
 */
export function checkRoleAndId(
  viewer: Viewer | null,
  roles: readonly Role[],
  globalId: string,
  id: NodeIdField,
): MutationResult<number> {
  const denied = roleError(viewer, roles);
  if (denied) return { ok: false, errors: [denied] };
  const value = decodeNodeId(globalId, id.typename);
  if (value === null) return { ok: false, errors: [userError('VALIDATION', id.field, id.message)] };
  return { ok: true, value };
}
