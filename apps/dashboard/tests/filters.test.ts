import { describe, expect, it } from 'vitest';
import {
  EMPTY_FILTERS,
  filtersToScope,
  hasActiveFilters,
  mergeFilterQuery,
  parseFilters,
  serializeFilters,
} from '../src/composables/filters.ts';

/** The day the tests read URLs on: 2026, so an address without a period shows 2026. */
const TODAY = '2026-12-01';
const YEAR_2026 = { from: '2026-01-01', to: '2026-12-31' };

describe('URL filters', () => {
  it('reads every filter from the query', () => {
    expect(
      parseFilters(
        {
          country: 'us',
          partnership: 'UGFydG5lcnNoaXA6MQ==',
          city: 'Q2l0eToy',
          from: '2025-01-01',
          to: '2025-12-31',
          granularity: 'QUARTER',
        },
        TODAY,
      ),
    ).toEqual({
      country: 'US',
      partnership: 'UGFydG5lcnNoaXA6MQ==',
      city: 'Q2l0eToy',
      from: '2025-01-01',
      to: '2025-12-31',
      granularity: 'QUARTER',
    });
  });

  it('drops malformed values and defaults to yearly series over the current year', () => {
    expect(
      parseFilters(
        { country: 'USA', from: '2025-13-01', to: 'yesterday', granularity: 'WEEK' },
        TODAY,
      ),
    ).toEqual({ ...EMPTY_FILTERS, ...YEAR_2026 });
    expect(parseFilters({ city: ['a', 'b'], partnership: '  ' }, TODAY)).toEqual({
      city: 'a',
      ...YEAR_2026,
      granularity: 'YEAR',
    });
  });

  it('swaps a reversed period', () => {
    expect(parseFilters({ from: '2026-01-01', to: '2025-01-01' }, TODAY)).toMatchObject({
      from: '2025-01-01',
      to: '2026-01-01',
    });
  });

  it('round-trips through the URL and leaves defaults out', () => {
    const filters = { country: 'GB', from: '2024-01-01', granularity: 'QUARTER' } as const;
    const query = serializeFilters(filters);
    expect(query).toEqual({ country: 'GB', from: '2024-01-01', granularity: 'QUARTER' });
    expect(parseFilters(query, TODAY)).toEqual(filters);
    expect(serializeFilters(EMPTY_FILTERS)).toEqual({});
  });

  it('keeps other query keys when filters change', () => {
    expect(
      mergeFilterQuery({ redirect: '/x', country: 'US' }, { city: 'c1', granularity: 'YEAR' }),
    ).toEqual({
      redirect: '/x',
      city: 'c1',
    });
  });

  it('turns filters into the API scope; a page’s fixed scope wins', () => {
    expect(
      filtersToScope({ country: 'US', city: 'c1', from: '2025-01-01', granularity: 'YEAR' }),
    ).toEqual({
      countryCode: 'US',
      cityId: 'c1',
      from: '2025-01-01',
    });
    expect(
      filtersToScope({ partnership: 'p1', granularity: 'YEAR' }, { partnershipId: 'p2' }),
    ).toEqual({
      partnershipId: 'p2',
    });
    expect(hasActiveFilters(EMPTY_FILTERS, TODAY)).toBe(false);
    expect(hasActiveFilters({ granularity: 'QUARTER' }, TODAY)).toBe(false);
    expect(hasActiveFilters({ ...YEAR_2026, granularity: 'YEAR' }, TODAY)).toBe(false);
    expect(hasActiveFilters({ to: '2025-01-01', granularity: 'YEAR' }, TODAY)).toBe(true);
    expect(hasActiveFilters({ allYears: true, granularity: 'YEAR' }, TODAY)).toBe(true);
  });
});
