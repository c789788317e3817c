import { z } from 'zod';

/** The longest search text a list takes: a name, not a document. */
const MAX_SEARCH_LENGTH = 100;

/** Validates a list's `search` argument: a short text, searched for as it is written. */
export const searchText = z
  .string()
  .max(MAX_SEARCH_LENGTH, `search must be at most ${MAX_SEARCH_LENGTH} characters`);

/** The words a `search` argument asks for, or undefined when it asks for nothing. */
export function searchWords(search: string | null | undefined): string | undefined {
  return search?.trim() || undefined;
}

/**
 * An ILIKE pattern that finds `text` anywhere in a value, without regard to case; the
 * pattern's own characters (`%`, `_` and the escape `\`) in `text` stand for themselves.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
