import { describe, expect, it } from 'vitest';
import {
  elapsedShareOfYear,
  indicatorStatus,
  progressOf,
  proRataTarget,
  todayInBerlin,
} from '../src/status.ts';

describe('pro-rata targets and status', () => {
  it('counts the share of the year elapsed, today included', () => {
    // 2024 is a leap year: 1 July is day 183 of 366
    expect(elapsedShareOfYear(2024, '2024-07-01')).toBe(0.5);
    expect(elapsedShareOfYear(2023, '2023-12-31')).toBe(1);
    expect(elapsedShareOfYear(2023, '2023-01-01')).toBeCloseTo(1 / 365, 12);
    expect(elapsedShareOfYear(2023, '2024-07-01')).toBe(1);
    expect(elapsedShareOfYear(2025, '2024-07-01')).toBe(0);
  });

  it('pro-rates counts, not percentages', () => {
    expect(proRataTarget(10, 'COUNT', 2024, '2024-07-01')).toBe(5);
    expect(proRataTarget(80, 'PERCENT', 2024, '2024-07-01')).toBe(80);
  });

  it('is on track from 90 %, at risk from 60 %, off track below', () => {
    const status = (value: number | null, target: number | null) =>
      indicatorStatus({ value, target, unit: 'COUNT', year: 2023, referenceDate: '2024-01-15' });
    expect(status(9, 10)).toBe('ON_TRACK');
    expect(status(8.99, 10)).toBe('AT_RISK');
    expect(status(6, 10)).toBe('AT_RISK');
    expect(status(5.99, 10)).toBe('OFF_TRACK');
    expect(status(null, 10)).toBe('OFF_TRACK');
    expect(status(3, null)).toBe('NO_TARGET');
    expect(status(0, 0)).toBe('ON_TRACK');
    // nothing is expected yet of a year to come
    expect(
      indicatorStatus({
        value: 0,
        target: 10,
        unit: 'COUNT',
        year: 2025,
        referenceDate: '2024-01-15',
      }),
    ).toBe('ON_TRACK');
  });

  it('measures progress against the whole target', () => {
    expect(progressOf(4, 8)).toBe(0.5);
    expect(progressOf(null, 8)).toBeNull();
    expect(progressOf(4, null)).toBeNull();
    expect(progressOf(4, 0)).toBeNull();
  });
});

describe('today in Berlin', () => {
  it('turns at midnight in Berlin, not in UTC, whatever was asked before', () => {
    // 2026-12-01 23:00 UTC is midnight in Berlin (CET, UTC+1)
    expect(todayInBerlin(new Date('2026-12-01T22:59:59.999Z'))).toBe('2026-12-01');
    expect(todayInBerlin(new Date('2026-12-01T23:00:00.000Z'))).toBe('2026-12-02');
    expect(todayInBerlin(new Date('2026-12-01T22:59:30.000Z'))).toBe('2026-12-01');
    // summer time (CEST, UTC+2)
    expect(todayInBerlin(new Date('2026-07-01T21:59:59.000Z'))).toBe('2026-07-01');
    expect(todayInBerlin(new Date('2026-07-01T22:00:00.000Z'))).toBe('2026-07-02');
    expect(todayInBerlin(new Date('1969-12-31T23:00:00.000Z'))).toBe('1970-01-01');
    expect(todayInBerlin(new Date('1969-12-31T22:59:59.000Z'))).toBe('1969-12-31');
  });
});
