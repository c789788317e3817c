import { decodeGlobalID } from '@pothos/plugin-relay';

/** The two parts of a Relay global id, or null when `globalId` is not one. */
export function parseGlobalId(globalId: string): { typename: string; id: string } | null {
  try {
    return decodeGlobalID(globalId);
  } catch {
    return null;
  }
}

/**
 * The database id inside a Relay global id of the given type, or null when the id is not one
 * of that type (malformed, another type, not a positive integer).
 */
export function decodeNodeId(globalId: string, typename: string): number | null {
  const decoded = parseGlobalId(globalId);
  if (decoded === null) return null;
  if (decoded.typename !== typename || !/^[1-9][0-9]{0,9}$/.test(decoded.id)) return null;
  const id = Number(decoded.id);
  return id <= 2_147_483_647 ? id : null;
}
