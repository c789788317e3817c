/**
 * Intl formatters by locale and options, made once: making one costs far more than formatting
 * with it, and a page such as the overview formats hundreds of figures when it first renders.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function madeOnce<T extends Intl.NumberFormat | Intl.DateTimeFormat>(
  key: string,
  make: () => T,
): T {
  let format = formatters.get(key) as T | undefined;
  if (!format) {
    format = make();
    formatters.set(key, format);
  }
  return format;
}

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return madeOnce(`number ${locale} ${JSON.stringify(options)}`, () => {
    return new Intl.NumberFormat(locale, options);
  });
}

/** A date formatter for `locale` and `options`, made once. */
function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return madeOnce(`date ${locale} ${JSON.stringify(options)}`, () => {
    return new Intl.DateTimeFormat(locale, options);
  });
}

/** Formats an indicator value for its unit; missing values show as an en dash. */
export function formatValue(
  value: number | null | undefined,
  unit: 'COUNT' | 'PERCENT' | string,
  locale: string,
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (unit === 'PERCENT') {
    return numberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value / 100);
  }
  return numberFormat(locale, { maximumFractionDigits: 1 }).format(value);
}

/** Formats a progress ratio (0.85 = 85 %). */
export function formatProgress(progress: number | null | undefined, locale: string): string {
  if (progress === null || progress === undefined || !Number.isFinite(progress)) return '–';
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(progress);
}

/** Formats a `YYYY-MM-DD` date for reading without shifting it through time zones. */
export function formatDate(date: string | null | undefined, locale: string): string {
  if (!date) return '–';
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return date;
  return dateFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/**
 * The programme's countries by name (Germany and its partners' countries, the USA and the UK),
 * as the browser's `Intl.DisplayNames` names them. Asking the browser costs its region names data,
 * about 20 ms the first time on a page, which the overview's filter bar would pay before it shows.
 */
const PROGRAMME_COUNTRIES: Record<string, Record<string, string>> = {
  en: { DE: 'Germany', GB: 'United Kingdom', US: 'United States' },
  de: { DE: 'Deutschland', GB: 'Vereinigtes Königreich', US: 'Vereinigte Staaten' },
};
const regionNames = new Map<string, Intl.DisplayNames>();

/** The name of the country `code` (ISO 3166-1 alpha-2) in `locale`; the code itself if unknown. */
export function countryName(code: string, locale: string): string {
  const known = PROGRAMME_COUNTRIES[locale]?.[code];
  if (known) return known;
  let names = regionNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: 'region' });
    regionNames.set(locale, names);
  }
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** True for accounts of the demo data set (their addresses end in `@demo.udx`). */
export function isDemoAccount(email: string | null | undefined): boolean {
  return typeof email === 'string' && email.toLowerCase().endsWith('@demo.udx');
}
