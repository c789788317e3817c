/** Series colours; each reaches 3:1 or more against the white chart background (WCAG 1.4.11). */
export const PALETTE = ['#1f5f99', '#b45309', '#2e7d32', '#7b1fa2', '#c62828', '#00695c'] as const;

/** Axis, label and line colour for chart text (contrast 10:1 on white). */
export const TEXT_COLOUR = '#3c3f44';

export const FONT_FAMILY =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/**
 * Charts appear drawn rather than grow into place when a page opens; a change of filters still
 * moves them to the new figures. Growing took the overview's two charts dozens of frames of work
 * while the rest of the page was still being drawn.
 */
export const DRAWN_AT_ONCE = { animationDuration: 0 } as const;

/** Sorts period labels ("2025", "2025-Q3") in time order whatever their granularity. */
export function comparePeriods(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
