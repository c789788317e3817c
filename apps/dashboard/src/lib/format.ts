/** Formats an indicator value for its unit; missing values show as an en dash. */
export function formatValue(
  value: number | null | undefined,
  unit: 'COUNT' | 'PERCENT' | string,
  locale: string,
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (unit === 'PERCENT') {
    return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(
      value / 100,
    );
  }
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
}

/** Formats a progress ratio (0.85 = 85 %). */
export function formatProgress(progress: number | null | undefined, locale: string): string {
  if (progress === null || progress === undefined || !Number.isFinite(progress)) return '–';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(
    progress,
  );
}

/** Formats a `YYYY-MM-DD` date for reading without shifting it through time zones. */
export function formatDate(date: string | null | undefined, locale: string): string {
  if (!date) return '–';
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return date;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** True for accounts of the demo data set (their addresses end in `@demo.udx`). */
export function isDemoAccount(email: string | null | undefined): boolean {
  return typeof email === 'string' && email.toLowerCase().endsWith('@demo.udx');
}
