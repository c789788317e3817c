/**
 * The widget for city websites (README, "Widget for city websites"): the server answers
 * `/embed/partnerships/<id>` with a small page any site may frame. Its size in the snippet fits
 * the card without scrolling at German and English lengths.
 */
export const EMBED_SIZE = { width: 420, height: 300 } as const;

/** The address of a partnership's widget on the server at `origin`, in a language. */
export function embedUrl(origin: string, partnershipId: string, language: 'de' | 'en'): string {
  return `${origin}/embed/partnerships/${encodeURIComponent(partnershipId)}?lang=${language}`;
}

const ATTRIBUTE_ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', '<': '&lt;' };

/**
 * The HTML a city pastes into its website: an iframe of the widget with a title for screen
 * readers, its size, loaded only when scrolled near, without a border.
 */
export function embedSnippet(src: string, title: string): string {
  const attribute = (value: string) => value.replace(/[&"<]/g, (c) => ATTRIBUTE_ESCAPES[c] ?? c);
  return (
    `<iframe src="${attribute(src)}" title="${attribute(title)}" ` +
    `width="${EMBED_SIZE.width}" height="${EMBED_SIZE.height}" loading="lazy" style="border:0"></iframe>`
  );
}
