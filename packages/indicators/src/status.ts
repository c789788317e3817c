import type { IndicatorUnit } from '@udx/db/schema';

/** How an indicator stands against its target (the GraphQL enum `IndicatorStatus`). */
export type IndicatorStatus = 'ON_TRACK' | 'AT_RISK' | 'OFF_TRACK' | 'NO_TARGET' | 'NO_DATA';

/** The programme's calendar: "today" and the end of a day are those of Berlin, not of UTC. */
export const PROGRAMME_TIME_ZONE = 'Europe/Berlin';

/** Berlin's dates as `YYYY-MM-DD` (en-CA formats dates that way); made once, it is costly. */
const berlinDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: PROGRAMME_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The minute whose date was asked for last. A date changes on a whole minute in every time zone
 * (in Berlin on the hour), so the whole minute has the same date; every request asks for it.
 */
let lastMinute = { start: Number.NaN, date: '' };

/** Today's date in Berlin as `YYYY-MM-DD`. */
export function todayInBerlin(now: Date = new Date()): string {
  const time = now.getTime();
  const start = time - (((time % 60_000) + 60_000) % 60_000);
  if (start !== lastMinute.start) lastMinute = { start, date: berlinDate.format(now) };
  return lastMinute.date;
}

/**
 * The day a status is judged at (docs/methodology.md, "Status"): the end of the period asked
 * for when it lies before today, else today. A past period's status never changes with the day
 * someone looks at it.
 */
export function referenceDateOf(to: string | null | undefined, today: string): string {
  return to != null && to < today ? to : today;
}

const DAY_MS = 86_400_000;

/**
 * The share of `year` elapsed at the end of `day` (a `YYYY-MM-DD` date), that day included: 1
 * for a year before it, 0 for a year after it, e.g. 183/366 = 0.5 on 2024-07-01. Calendar days
 * are counted, so the time zone of the clock does not enter.
 */
export function elapsedShareOfYear(year: number, day: string): number {
  const dayYear = Number(day.slice(0, 4));
  if (year < dayYear) return 1;
  if (year > dayYear) return 0;
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const endOfDay = Date.parse(`${day}T00:00:00Z`) + DAY_MS;
  return (endOfDay - start) / (end - start);
}

/**
 * What an indicator should have reached by the reference date on the way to its target for
 * `year`. Counts accumulate over the year, so their target is pro rata from 1 January to the
 * reference date; a percentage is a rate that does not grow with time, so it is held against
 * the full target from the start.
 */
export function proRataTarget(
  target: number,
  unit: IndicatorUnit,
  year: number,
  referenceDate: string,
): number {
  return unit === 'PERCENT' ? target : target * elapsedShareOfYear(year, referenceDate);
}

/** Value / target; null without a value or without a (non-zero) target. */
export function progressOf(value: number | null, target: number | null): number | null {
  if (value === null || target === null || target === 0) return null;
  return value / target;
}

export interface StatusInput {
  /** The value reached in the reference year; null for a percentage nobody reported. */
  value: number | null;
  target: number | null;
  unit: IndicatorUnit;
  year: number;
  /** The day the status is judged at: see `referenceDateOf`. */
  referenceDate: string;
}

/**
 * On track at ≥ 90 % of the pro-rata target, at risk at ≥ 60 %, off track below; a target
 * nothing is expected of yet is on track. A percentage without any approved value has no data
 * yet, which is not failure: its status is NO_DATA. (Counts are never missing: nothing is 0.)
 */
export function indicatorStatus({
  value,
  target,
  unit,
  year,
  referenceDate,
}: StatusInput): IndicatorStatus {
  if (target === null) return 'NO_TARGET';
  if (value === null && unit === 'PERCENT') return 'NO_DATA';
  const expected = proRataTarget(target, unit, year, referenceDate);
  if (expected <= 0) return 'ON_TRACK';
  const reached = value ?? 0;
  // Multiplied out rather than divided, so that e.g. 9 of 10 is exactly 90 %.
  if (reached * 10 >= expected * 9) return 'ON_TRACK';
  if (reached * 10 >= expected * 6) return 'AT_RISK';
  return 'OFF_TRACK';
}
