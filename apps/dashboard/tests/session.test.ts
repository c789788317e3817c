import { describe, expect, it } from 'vitest';
import {
  canEnterData,
  canReview,
  isCityAccount,
  landingPath,
  showsProgrammeTotals,
} from '../src/composables/session.ts';

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

  it('shows city accounts the programme as a whole beside their own figures, nobody else', () => {
    const bonn = { id: 'Q2l0eTox', name: 'Bonn' };
    expect(isCityAccount('CITY_VIEWER')).toBe(true);
    expect(isCityAccount('CITY_EDITOR')).toBe(true);
    expect(isCityAccount('FOREIGN_OFFICE')).toBe(false);
    expect(isCityAccount(null)).toBe(false);
    // the overview
    expect(showsProgrammeTotals({ role: 'CITY_VIEWER', city: bonn })).toBe(true);
    expect(showsProgrammeTotals({ role: 'CITY_EDITOR', city: bonn })).toBe(true);
    // programme roles' unfiltered figures already are the programme's
    expect(showsProgrammeTotals({ role: 'FOREIGN_OFFICE', city: null })).toBe(false);
    expect(showsProgrammeTotals({ role: 'SKEW_ADMIN', city: null })).toBe(false);
    expect(showsProgrammeTotals(null)).toBe(false);
    // a city page: only the account's own city, where its own figures are
    expect(showsProgrammeTotals({ role: 'CITY_EDITOR', city: bonn }, 'Q2l0eTox')).toBe(true);
    expect(showsProgrammeTotals({ role: 'CITY_EDITOR', city: bonn }, 'Q2l0eToy')).toBe(false);
    expect(showsProgrammeTotals({ role: 'SKEW_ADMIN', city: null }, 'Q2l0eTox')).toBe(false);
    // a city account without a city has no figures of its own to set beside
    expect(showsProgrammeTotals({ role: 'CITY_VIEWER', city: null })).toBe(false);
  });
});
