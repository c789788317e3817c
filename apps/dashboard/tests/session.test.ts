import { describe, expect, it } from 'vitest';
import { canEnterData, canReview, landingPath } from '../src/composables/session.ts';

describe('session rules', () => {
  it('sends city accounts to their own city and everyone else to the overview', () => {
    expect(landingPath({ role: 'CITY_EDITOR', city: { id: 'Q2l0eTox', name: 'Bonn' } })).toBe(
      '/cities/Q2l0eTox',
    );
    expect(landingPath({ role: 'CITY_VIEWER', city: { id: 'a/b', name: 'X' } })).toBe(
      '/cities/a%2Fb',
    );
    expect(landingPath({ role: 'FOREIGN_OFFICE', city: null })).toBe('/');
    expect(landingPath(null)).toBe('/');
  });

  it('offers data entry to editors and admins, review to SKEW', () => {
    expect(canEnterData('CITY_EDITOR')).toBe(true);
    expect(canEnterData('SKEW_ADMIN')).toBe(true);
    expect(canEnterData('CITY_VIEWER')).toBe(false);
    expect(canEnterData('FOREIGN_OFFICE')).toBe(false);
    expect(canReview('SKEW_EVALUATOR')).toBe(true);
    expect(canReview('SKEW_ADMIN')).toBe(true);
    expect(canReview('CITY_EDITOR')).toBe(false);
    expect(canReview(undefined)).toBe(false);
  });
});
