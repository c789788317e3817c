import type { IndicatorUnit } from '@udx/db/schema';

/** How an indicator stands against its target (the GraphQL enum `IndicatorStatus`). */
export type IndicatorStatus = 'ON_TRACK' | 'AT_RISK' | 'OFF_TRACK' | 'NO_TARGET';

const DAY_MS = 86_400_000;

/**
 * The share of `year` elapsed on `today` (a `YYYY-MM-DD` date), today included: 1 for a past
 * year, 0 for a future one, e.g. 183/366 = 0.5 on 2024-07-01.
 */
export function elapsedShareOfYear(year: number, today: string): number {
  const todayYear = Number(today.slice(0, 4));
  if (year < todayYear) return 1;
  if (year > todayYear) return 0;
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const endOfToday = Date.parse(`${today}T00:00:00Z`) + DAY_MS;
  return (endOfToday - start) / (end - start);
}

/**
 * What an indicator should have reached by `today` on the way to its target for `year`.
 * Counts accumulate over the year, so their target is pro rata; a percentage is a rate that
 * does not grow with time, so it is held against the full target from the start.
 */
export function proRataTarget(
  target: number,
  unit: IndicatorUnit,
  year: number,
  today: string,
): number {
  return unit === 'PERCENT' ? target : target * elapsedShareOfYear(year, today);
}

/** Value / target; null without a value or without a (non-zero) target. */
export function progressOf(value: number | null, target: number | null): number | null {
  if (value === null || target === null || target === 0) return null;
  return value / target;
}

export interface StatusInput {
  /** The value reached in the reference year; null when nothing was reported. */
  value: number | null;
  target: number | null;
  unit: IndicatorUnit;
  year: number;
  today: string;
}

/**
 * On track at ≥ 90 % of the pro-rata target, at risk at ≥ 60 %, off track below. Nothing
 * reported against a target counts as 0; a target nothing is expected of yet is on track.
 */
export function indicatorStatus({
  value,
  target,
  unit,
  year,
  today,
}: StatusInput): IndicatorStatus {
  if (target === null) return 'NO_TARGET';
  const expected = proRataTarget(target, unit, year, today);
  if (expected <= 0) return 'ON_TRACK';
  const reached = value ?? 0;
  // Multiplied out rather than divided, so that e.g. 9 of 10 is exactly 90 %.
  if (reached * 10 >= expected * 9) return 'ON_TRACK';
  if (reached * 10 >= expected * 6) return 'AT_RISK';
  return 'OFF_TRACK';
}
