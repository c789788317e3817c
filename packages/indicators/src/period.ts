/**
 * The previous period of a period, and the change of a figure against it (docs/methodology.md,
 * "Scopes and periods"). Written once here so that every figure's change follows one rule.
 */

/** A closed date range, both days included, as `YYYY-MM-DD`. */
export interface DateRange {
  from: string;
  to: string;
}

/** The first day a scope's period may start on; a previous period before it has no figures. */
const FIRST_DAY = '1950-01-01';

const DAY_MS = 86_400_000;

function toUtc(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The month of a date counted from year 0, so that months subtract as numbers. */
function monthIndex(day: string): number {
  return Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
}

function firstDayOfMonth(index: number): string {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;
}

function isFirstOfMonth(day: string): boolean {
  return day.endsWith('-01');
}

function isLastOfMonth(day: string): boolean {
  return isFirstOfMonth(fromUtc(toUtc(day) + DAY_MS));
}

/**
 * The period of the same length just before `from`–`to`:
 * - a range of whole months (from the first of a month to the last day of a month) → the same
 *   number of whole months before it: a calendar year → the year before, a quarter → the quarter
 *   before, 1 March 2025 – 30 June 2026 (16 months) → 1 November 2023 – 28 February 2025;
 * - any other range of N days → the N days before it;
 * - an open period (all years, or either end open) → none, and none when the previous period
 *   would start before 1950, where no figures are kept.
 * Months are counted rather than days because months differ in length: the quarter before
 * 1 April – 30 June is 1 January – 31 March (90 days), not the 91 days before it.
 */
export function previousPeriod(
  from: string | null | undefined,
  to: string | null | undefined,
): DateRange | null {
  if (from == null || to == null || to < from) return null;
  const dayBefore = fromUtc(toUtc(from) - DAY_MS);
  let start: string;
  if (isFirstOfMonth(from) && isLastOfMonth(to)) {
    const months = monthIndex(to) - monthIndex(from) + 1;
    start = firstDayOfMonth(monthIndex(from) - months);
  } else {
    const days = (toUtc(to) - toUtc(from)) / DAY_MS + 1;
    start = fromUtc(toUtc(from) - days * DAY_MS);
  }
  return start < FIRST_DAY ? null : { from: start, to: dayBefore };
}

/**
 * A figure's change against the previous period: `value - previous`, null when either is
 * missing (no previous period, or a percentage nothing was reported for). Rounded to six
 * decimals so that percentages (12.3 - 12.2) do not show floating-point noise.
 */
export function changeOf(
  value: number | null | undefined,
  previous: number | null | undefined,
): number | null {
  if (value == null || previous == null) return null;
  return Math.round((value - previous) * 1e6) / 1e6;
}
