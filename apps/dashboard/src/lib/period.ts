import { formatDate } from './format.ts';

/**
 * The periods the dashboard's period picker offers, their dates, and their names in words. The
 * dates go to the API as `scope.from`/`scope.to`; the previous period every change is measured
 * against is the server's (`Dashboard.previousPeriod`, docs/methodology.md, "Scopes and
 * periods"), worded here.
 */
export type Period =
  | { kind: 'YEAR'; year: number }
  | { kind: 'QUARTER'; year: number; quarter: number }
  /** Any other range; either end may be open (links made before the picker). */
  | { kind: 'RANGE'; from?: string; to?: string }
  | { kind: 'ALL' };

export type PeriodKind = Period['kind'];

export const PERIOD_KINDS: readonly PeriodKind[] = ['YEAR', 'QUARTER', 'RANGE', 'ALL'];

/** The first year the picker offers: the programme's records start after it. */
const FIRST_YEAR = 2018;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The programme's calendar is Berlin's: a new year starts at midnight there.
 * Berlin's offset from UTC at `time` (ms): an hour, two in summer time, which begins and ends
 * at 01:00 UTC on the last Sundays of March and October (the EU's rule). Worked out here rather
 * than with Intl's time zones: a page's first Intl formatter loads ICU's data, tens of
 * milliseconds, and the overview asks for today's date before it sends its query.
 */
function berlinOffsetMs(time: number): number {
  const year = new Date(time).getUTCFullYear();
  /** 01:00 UTC on the last Sunday of a month (0–11). */
  const lastSunday = (month: number) => {
    const lastDay = new Date(Date.UTC(year, month + 1, 0, 1));
    return lastDay.getTime() - lastDay.getUTCDay() * DAY_MS;
  };
  const summer = time >= lastSunday(2) && time < lastSunday(9);
  return summer ? 2 * HOUR_MS : HOUR_MS;
}

/** Today's date in Berlin as `YYYY-MM-DD`. */
export function todayInBerlin(now: Date = new Date()): string {
  const time = now.getTime();
  return new Date(time + berlinOffsetMs(time)).toISOString().slice(0, 10);
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** The last day of a month (1–12) as `YYYY-MM-DD`. */
function lastDayOfMonth(year: number, month: number): string {
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** The period shown when the address names none: the current calendar year in Berlin. */
export function defaultPeriod(today: string): Period {
  return { kind: 'YEAR', year: Number(today.slice(0, 4)) };
}

/** The quarter (1–4) a `YYYY-MM-DD` date lies in. */
export function quarterOf(day: string): number {
  return Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1;
}

/** The first and last day of a period; none for all years, an open end for an open range. */
export function datesOf(period: Period): { from?: string; to?: string } {
  switch (period.kind) {
    case 'YEAR':
      return { from: `${period.year}-01-01`, to: `${period.year}-12-31` };
    case 'QUARTER': {
      const first = (period.quarter - 1) * 3 + 1;
      return {
        from: `${period.year}-${pad(first)}-01`,
        to: lastDayOfMonth(period.year, first + 2),
      };
    }
    case 'RANGE':
      return {
        ...(period.from ? { from: period.from } : {}),
        ...(period.to ? { to: period.to } : {}),
      };
    case 'ALL':
      return {};
  }
}

/**
 * The period two dates name: a calendar year or a quarter when they are exactly one (so an old
 * link with from/to of a year shows as that year in the picker), else a range; none at all is
 * all years.
 */
export function periodOfDates(from?: string | null, to?: string | null): Period {
  if (!from && !to) return { kind: 'ALL' };
  if (from && to && from.slice(0, 4) === to.slice(0, 4)) {
    const year = Number(from.slice(0, 4));
    const asYear: Period = { kind: 'YEAR', year };
    if (sameDates(asYear, from, to)) return asYear;
    const asQuarter: Period = { kind: 'QUARTER', year, quarter: quarterOf(from) };
    if (sameDates(asQuarter, from, to)) return asQuarter;
  }
  return { kind: 'RANGE', ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

function sameDates(period: Period, from: string, to: string): boolean {
  const dates = datesOf(period);
  return dates.from === from && dates.to === to;
}

/**
 * The period of the picker's other kind, keeping what it can of the current one: a year's
 * quarter is the current quarter in the current year, else the first; a range starts as the
 * dates shown.
 */
export function switchKind(current: Period, kind: PeriodKind, today: string): Period {
  const dates = datesOf(current);
  const year = 'year' in current ? current.year : Number((dates.to ?? today).slice(0, 4));
  switch (kind) {
    case 'YEAR':
      return { kind, year };
    case 'QUARTER': {
      if ('quarter' in current) return current;
      const thisYear = Number(today.slice(0, 4));
      return { kind, year, quarter: year === thisYear ? quarterOf(today) : 1 };
    }
    case 'RANGE':
      return { kind, ...dates };
    case 'ALL':
      return { kind };
  }
}

/** The years the picker offers, newest first: from FIRST_YEAR to next year and any shown. */
export function pickerYears(today: string, shown?: number): number[] {
  const last = Math.max(Number(today.slice(0, 4)) + 1, shown ?? 0);
  const first = Math.min(FIRST_YEAR, shown ?? FIRST_YEAR);
  return Array.from({ length: last - first + 1 }, (_, index) => last - index);
}

/**
 * True when a period is one year or shorter: its series are drawn per quarter as bars, since a
 * single year would be a single point.
 */
export function isShortPeriod(from?: string | null, to?: string | null): boolean {
  if (!from || !to) return false;
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  return days < 366;
}

/** Which way a figure moved against the previous period: the direction of the number. */
type Trend = 'up' | 'down' | 'same';

export function trendOf(change: number): Trend {
  return change > 0 ? 'up' : change < 0 ? 'down' : 'same';
}

/**
 * Whether a change is better or worse: more is better for most indicators, less for those whose
 * direction is LOWER_IS_BETTER. Without a direction (or without a change) neither.
 */
export function judgementOf(
  change: number,
  direction: string | null | undefined,
): 'better' | 'worse' | undefined {
  const trend = trendOf(change);
  if (!direction || trend === 'same') return undefined;
  return (trend === 'up') === (direction !== 'LOWER_IS_BETTER') ? 'better' : 'worse';
}

/** The texts `periodWords` needs, from the locale files (`period.*`). */
export interface PeriodTexts {
  allYears: string;
  since: (from: string) => string;
  until: (to: string) => string;
}

/**
 * A period in words: "2026", "Q3 2026", "1 Mar 2025 – 30 Jun 2026" (dates as the locale writes
 * them), "all years".
 */
export function periodWords(
  from: string | null | undefined,
  to: string | null | undefined,
  locale: string,
  texts: PeriodTexts,
): string {
  const period = periodOfDates(from, to);
  switch (period.kind) {
    case 'YEAR':
      return String(period.year);
    case 'QUARTER':
      return `Q${period.quarter} ${period.year}`;
    case 'ALL':
      return texts.allYears;
    case 'RANGE':
      if (period.from && period.to) {
        return `${formatDate(period.from, locale)} – ${formatDate(period.to, locale)}`;
      }
      return period.from
        ? texts.since(formatDate(period.from, locale))
        : texts.until(formatDate(period.to, locale));
  }
}
