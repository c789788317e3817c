import { describe, expect, it } from 'vitest';
import {
  parseFilters,
  periodOfFilters,
  serializeFilters,
  seriesGranularity,
  withPeriod,
} from '../src/composables/filters.ts';
import {
  datesOf,
  defaultPeriod,
  isShortPeriod,
  judgementOf,
  type Period,
  periodOfDates,
  periodWords,
  pickerYears,
  switchKind,
  todayInBerlin,
  trendOf,
} from '../src/lib/period.ts';
import de from '../src/locales/de.ts';
import en from '../src/locales/en.ts';

const TODAY = '2026-12-01';

/** The texts periodWords takes, from the locale files as the picker passes them. */
function texts(messages: typeof en) {
  return {
    allYears: messages.period.allYears,
    since: (from: string) => messages.period.since.replace('{from}', from),
    until: (to: string) => messages.period.until.replace('{to}', to),
  };
}

describe("the period picker's periods", () => {
  it('has a year, a quarter, a range and all years, each with its dates', () => {
    expect(datesOf({ kind: 'YEAR', year: 2026 })).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(datesOf({ kind: 'QUARTER', year: 2026, quarter: 3 })).toEqual({
      from: '2026-07-01',
      to: '2026-09-30',
    });
    expect(datesOf({ kind: 'QUARTER', year: 2024, quarter: 1 })).toEqual({
      from: '2024-01-01',
      to: '2024-03-31',
    });
    expect(datesOf({ kind: 'RANGE', from: '2025-03-01', to: '2026-06-30' })).toEqual({
      from: '2025-03-01',
      to: '2026-06-30',
    });
    expect(datesOf({ kind: 'ALL' })).toEqual({});
  });

  it('recognises a year and a quarter in the dates of a link', () => {
    expect(periodOfDates('2025-01-01', '2025-12-31')).toEqual({ kind: 'YEAR', year: 2025 });
    expect(periodOfDates('2026-10-01', '2026-12-31')).toEqual({
      kind: 'QUARTER',
      year: 2026,
      quarter: 4,
    });
    expect(periodOfDates('2026-10-02', '2026-12-31')).toEqual({
      kind: 'RANGE',
      from: '2026-10-02',
      to: '2026-12-31',
    });
    expect(periodOfDates('2024-01-01', undefined)).toEqual({ kind: 'RANGE', from: '2024-01-01' });
    expect(periodOfDates(null, null)).toEqual({ kind: 'ALL' });
  });

  it('defaults to the current calendar year in Berlin', () => {
    expect(defaultPeriod(TODAY)).toEqual({ kind: 'YEAR', year: 2026 });
    // 23:30 UTC on New Year's Eve is already the new year in Berlin.
    expect(todayInBerlin(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
  });

  it('knows the date in Berlin in summer time and at its changes, as the time zone database', () => {
    const berlin = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Berlin',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    expect(todayInBerlin(new Date('2026-07-14T22:30:00Z'))).toBe('2026-07-15');
    expect(todayInBerlin(new Date('2026-07-14T21:30:00Z'))).toBe('2026-07-14');
    // Every half hour around midnight in Berlin, on the days around each change, 2024 to 2032.
    for (let year = 2024; year <= 2032; year++) {
      for (const month of [2, 9]) {
        for (let day = 20; day <= 31; day++) {
          for (const minutes of [-150, -90, -30, 30, 90, 150]) {
            const now = new Date(Date.UTC(year, month, day) + minutes * 60_000);
            expect(todayInBerlin(now), now.toISOString()).toBe(berlin.format(now));
          }
        }
      }
    }
  });

  it('keeps what it can when the kind changes', () => {
    const year: Period = { kind: 'YEAR', year: 2026 };
    expect(switchKind(year, 'QUARTER', TODAY)).toEqual({ kind: 'QUARTER', year: 2026, quarter: 4 });
    expect(switchKind({ kind: 'YEAR', year: 2025 }, 'QUARTER', TODAY)).toEqual({
      kind: 'QUARTER',
      year: 2025,
      quarter: 1,
    });
    expect(switchKind(year, 'RANGE', TODAY)).toEqual({
      kind: 'RANGE',
      from: '2026-01-01',
      to: '2026-12-31',
    });
    expect(switchKind({ kind: 'ALL' }, 'YEAR', TODAY)).toEqual(year);
    expect(switchKind(year, 'ALL', TODAY)).toEqual({ kind: 'ALL' });
  });

  it('offers the years from the first of the programme to the next, and any a link shows', () => {
    const years = pickerYears(TODAY);
    expect(years[0]).toBe(2027);
    expect(years).toContain(2025);
    expect(years.at(-1)).toBe(2018);
    expect(pickerYears(TODAY, 2010).at(-1)).toBe(2010);
  });

  it('draws a year or less per quarter', () => {
    expect(isShortPeriod('2024-01-01', '2024-12-31')).toBe(true);
    expect(isShortPeriod('2026-04-01', '2026-06-30')).toBe(true);
    expect(isShortPeriod('2025-01-01', '2026-12-31')).toBe(false);
    expect(isShortPeriod(undefined, undefined)).toBe(false);
    const filters = parseFilters({}, TODAY);
    expect(seriesGranularity(filters)).toBe('QUARTER');
    expect(seriesGranularity(withPeriod(filters, { kind: 'ALL' }))).toBe('YEAR');
  });
});

describe('a period in words', () => {
  it('names a year, a quarter, a range and all years in English', () => {
    const words = (from?: string, to?: string) => periodWords(from, to, 'en', texts(en));
    expect(words('2026-01-01', '2026-12-31')).toBe('2026');
    expect(words('2026-07-01', '2026-09-30')).toBe('Q3 2026');
    expect(words('2025-03-01', '2026-06-30')).toBe('Mar 1, 2025 – Jun 30, 2026');
    expect(words('2024-01-01')).toBe('from Jan 1, 2024');
    expect(words()).toBe('all years');
  });

  it('names them in German', () => {
    const words = (from?: string, to?: string) => periodWords(from, to, 'de', texts(de));
    expect(words('2025-01-01', '2025-12-31')).toBe('2025');
    expect(words('2025-03-01', '2026-06-30')).toBe('01.03.2025 – 30.06.2026');
    expect(words(undefined, '2024-12-31')).toBe('bis 31.12.2024');
    expect(words()).toBe('alle Jahre');
  });
});

describe('a change against the previous period', () => {
  it('points the way the number went; better or worse flips for lower-is-better indicators', () => {
    expect(trendOf(3)).toBe('up');
    expect(trendOf(-0.5)).toBe('down');
    expect(trendOf(0)).toBe('same');
    expect(judgementOf(3, 'HIGHER_IS_BETTER')).toBe('better');
    expect(judgementOf(-3, 'HIGHER_IS_BETTER')).toBe('worse');
    expect(judgementOf(3, 'LOWER_IS_BETTER')).toBe('worse');
    expect(judgementOf(-3, 'LOWER_IS_BETTER')).toBe('better');
    expect(judgementOf(0, 'LOWER_IS_BETTER')).toBeUndefined();
    // On an SDG tile's colour the change is not judged.
    expect(judgementOf(3, undefined)).toBeUndefined();
  });
});

describe('the period in the URL', () => {
  it('round-trips a year, a quarter, a range and all years', () => {
    const base = parseFilters({ country: 'US' }, TODAY);
    const periods: Period[] = [
      { kind: 'YEAR', year: 2025 },
      { kind: 'QUARTER', year: 2026, quarter: 2 },
      { kind: 'RANGE', from: '2025-03-01', to: '2026-06-30' },
      { kind: 'ALL' },
    ];
    for (const period of periods) {
      const query = serializeFilters(withPeriod(base, period));
      expect(periodOfFilters(parseFilters(query, TODAY))).toEqual(period);
    }
    expect(serializeFilters(withPeriod(base, { kind: 'QUARTER', year: 2026, quarter: 2 }))).toEqual(
      {
        country: 'US',
        from: '2026-04-01',
        to: '2026-06-30',
      },
    );
    expect(serializeFilters(withPeriod(base, { kind: 'ALL' }))).toEqual({
      country: 'US',
      period: 'all',
    });
  });

  it('shows the current year without a period, and keeps old links', () => {
    expect(periodOfFilters(parseFilters({}, TODAY))).toEqual({ kind: 'YEAR', year: 2026 });
    // A link from before the picker: any from/to, either end open.
    expect(periodOfFilters(parseFilters({ from: '2024-01-01' }, TODAY))).toEqual({
      kind: 'RANGE',
      from: '2024-01-01',
    });
    expect(parseFilters({ from: '2024-01-01' }, TODAY).to).toBeUndefined();
    expect(periodOfFilters(parseFilters({ from: '2025-01-01', to: '2025-12-31' }, TODAY))).toEqual({
      kind: 'YEAR',
      year: 2025,
    });
    // All years wins over dates beside it.
    expect(parseFilters({ period: 'all', from: '2025-01-01' }, TODAY)).toEqual({
      allYears: true,
      granularity: 'YEAR',
    });
  });
});
