import { describe, expect, it } from 'vitest';
import { citySlug, DEMO_PASSWORD, demoAccounts } from '../src/accounts.ts';

describe('demo accounts', () => {
  it('spell city names the way the README lists them', () => {
    expect(citySlug('München')).toBe('muenchen');
    expect(citySlug('Köln')).toBe('koeln');
    expect(citySlug('Düsseldorf')).toBe('duesseldorf');
    expect(citySlug('Würzburg')).toBe('wuerzburg');
    expect(citySlug('Frankfurt am Main')).toBe('frankfurt-am-main');
    expect(citySlug('Freiburg im Breisgau')).toBe('freiburg-im-breisgau');
    expect(citySlug('St. Louis')).toBe('st-louis');
    expect(citySlug('Gießen')).toBe('giessen');
    expect(citySlug(' Halle (Saale) ')).toBe('halle-saale');
    expect(citySlug('ÄÖÜ-Straße')).toBe('aeoeue-strasse');
  });

  it('give every city of the data set an editor and a viewer, and SKEW and the Foreign Office one each', () => {
    const emails = demoAccounts.map((a) => a.email);
    expect(new Set(emails).size).toBe(emails.length);
    expect(demoAccounts).toHaveLength(3 + 2 * 47);
    expect(emails.slice(0, 3)).toEqual([
      'admin@demo.udx',
      'evaluator@demo.udx',
      'monitor@demo.udx',
    ]);
    expect(emails).toContain('editor.muenchen@demo.udx');
    expect(emails).toContain('editor.frankfurt-am-main@demo.udx');
    expect(emails).toContain('editor.bonn@demo.udx');
    expect(emails).toContain('viewer.los-angeles@demo.udx');
    expect(emails.filter((e) => e.includes('coventry'))).toEqual([
      'editor.coventry@demo.udx',
      'viewer.coventry@demo.udx',
    ]);
    for (const account of demoAccounts) {
      expect(account.city !== null).toBe(
        account.role === 'CITY_EDITOR' || account.role === 'CITY_VIEWER',
      );
    }
    expect(DEMO_PASSWORD).toBe('udx-demo-2030');
  });
});
