import { describe, expect, it } from 'vitest';
import { changeOf, previousPeriod } from '../src/period.ts';

describe('previous period (docs/methodology.md, "Scopes and periods")', () => {
  it('is the year before a calendar year, leap years included', () => {
    expect(previousPeriod('2026-01-01', '2026-12-31')).toEqual({
      from: '2025-01-01',
      to: '2025-12-31',
    });
    expect(previousPeriod('2025-01-01', '2025-12-31')).toEqual({
      from: '2024-01-01',
      to: '2024-12-31',
    });
  });

  it('is the quarter before a quarter, across a year end', () => {
    expect(previousPeriod('2026-04-01', '2026-06-30')).toEqual({
      from: '2026-01-01',
      to: '2026-03-31',
    });
    expect(previousPeriod('2026-01-01', '2026-03-31')).toEqual({
      from: '2025-10-01',
      to: '2025-12-31',
    });
  });

  it('is the same number of whole months before a range of whole months', () => {
    // 16 months: March 2025 to June 2026.
    expect(previousPeriod('2025-03-01', '2026-06-30')).toEqual({
      from: '2023-11-01',
      to: '2025-02-28',
    });
    expect(previousPeriod('2024-03-01', '2024-03-31')).toEqual({
      from: '2024-02-01',
      to: '2024-02-29',
    });
    expect(previousPeriod('2022-01-01', '2023-12-31')).toEqual({
      from: '2020-01-01',
      to: '2021-12-31',
    });
  });

  it('is the same number of days before any other range', () => {
    // 10 days, 5 to 14 March; the 10 days before run from 23 February (2026 is no leap year).
    expect(previousPeriod('2026-03-05', '2026-03-14')).toEqual({
      from: '2026-02-23',
      to: '2026-03-04',
    });
    expect(previousPeriod('2026-06-15', '2026-06-15')).toEqual({
      from: '2026-06-14',
      to: '2026-06-14',
    });
  });

  it('is none for all years, an open end, or before 1950', () => {
    expect(previousPeriod(null, null)).toBeNull();
    expect(previousPeriod('2025-01-01', null)).toBeNull();
    expect(previousPeriod(undefined, '2025-12-31')).toBeNull();
    expect(previousPeriod('1950-01-01', '1950-12-31')).toBeNull();
  });
});

describe('change against the previous period', () => {
  it('is the difference, null without either value', () => {
    expect(changeOf(7, 4)).toBe(3);
    expect(changeOf(2, 5)).toBe(-3);
    expect(changeOf(12.3, 12.2)).toBe(0.1);
    expect(changeOf(null, 4)).toBeNull();
    expect(changeOf(4, null)).toBeNull();
  });
});
