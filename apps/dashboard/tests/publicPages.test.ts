import { describe, expect, it } from 'vitest';
import {
  isUnpublished,
  mapPartnershipOf,
  periodQuery,
  publicPathOf,
  seriesOf,
} from '../src/composables/publicPages.ts';

describe('public pages', () => {
  it('link each signed-in page to its public page, keeping only the period', () => {
    expect(publicPathOf('overview')).toBe('/public');
    expect(publicPathOf('goal', 'SHAPE')).toBe('/public/goals/shape');
    expect(publicPathOf('sdg', '11')).toBe('/public/sdgs/11');
    expect(publicPathOf('partnership', 'UGFydG5lcnNoaXA6MQ==')).toBe(
      '/public/partnerships/UGFydG5lcnNoaXA6MQ%3D%3D',
    );
    const filters = { granularity: 'QUARTER' as const, country: 'US', city: 'Q2l0eToy' };
    expect(periodQuery({ ...filters, from: '2025-01-01', to: '2025-12-31' })).toEqual({
      from: '2025-01-01',
      to: '2025-12-31',
    });
    expect(periodQuery({ ...filters, allYears: true })).toEqual({ period: 'all' });
  });

  it('tell a server that publishes nothing from any other failure', () => {
    const notFound = {
      message: 'x',
      graphQLErrors: [{ message: 'x', extensions: { code: 'NOT_FOUND' } }],
    };
    expect(isUnpublished(notFound)).toBe(true);
    expect(isUnpublished({ message: 'Failed to fetch' })).toBe(false);
    expect(isUnpublished(null)).toBe(false);
  });

  it('draw the public series and partnerships with the dashboard’s charts', () => {
    expect(
      seriesOf({
        code: 'U1',
        name: 'Technical exchanges',
        unit: 'COUNT',
        series: [{ year: 2025, value: 4, baseline: null, target: 6 }],
      }).series,
    ).toEqual([{ period: '2025', value: 4, baseline: null, target: 6 }]);
    const drawn = mapPartnershipOf({
      id: 'p1',
      germanCity: 'Bonn',
      partnerCity: 'Minneapolis',
      countryCode: 'US',
      germanCityLocation: { latitude: 50.7, longitude: 7.1 },
      partnerCityLocation: null,
    });
    expect(drawn.germanCity).toMatchObject({ name: 'Bonn', latitude: 50.7, longitude: 7.1 });
    expect(drawn.partnerCity).toMatchObject({
      name: 'Minneapolis',
      countryCode: 'US',
      latitude: null,
    });
  });
});
