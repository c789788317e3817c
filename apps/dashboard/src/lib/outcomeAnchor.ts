/**
 * The id of an outcome's row on the page of the exchange that produced it, which lists of
 * outcomes and the records behind a figure link to. Only letters, digits, `-` and `_`: a Relay
 * id is base64, whose `=`, `+` and `/` would have to be escaped in the URL's fragment.
 */
export function outcomeAnchor(outcomeId: string): string {
  return `outcome-${outcomeId.replace(/[^A-Za-z0-9_-]/g, '')}`;
}
