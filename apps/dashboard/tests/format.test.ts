import { describe, expect, it } from 'vitest';
import {
  countryName,
  formatDate,
  formatProgress,
  formatValue,
  isDemoAccount,
} from '../src/lib/format.ts';

describe('formatting', () => {
  it('formats counts and percentages per language', () => {
    expect(formatValue(1234, 'COUNT', 'en')).toBe('1,234');
    expect(formatValue(1234, 'COUNT', 'de')).toBe('1.234');
    expect(formatValue(62.5, 'PERCENT', 'en')).toBe('62.5%');
    expect(formatValue(62.5, 'PERCENT', 'de')).toMatch(/^62,5\s%$/);
    expect(formatValue(null, 'COUNT', 'en')).toBe('–');
  });

  it('formats progress ratios', () => {
    expect(formatProgress(0.856, 'en')).toBe('86%');
    expect(formatProgress(undefined, 'en')).toBe('–');
  });

  it('formats dates without shifting them', () => {
    expect(formatDate('2026-01-01', 'en')).toBe('Jan 1, 2026');
    expect(formatDate('2026-01-01', 'de')).toBe('01.01.2026');
    expect(formatDate(null, 'de')).toBe('–');
  });

  it('recognises demo accounts', () => {
    expect(isDemoAccount('editor.bonn@demo.udx')).toBe(true);
    expect(isDemoAccount('Admin@DEMO.udx')).toBe(true);
    expect(isDemoAccount('someone@bonn.de')).toBe(false);
    expect(isDemoAccount(undefined)).toBe(false);
  });

  it("names the programme's countries as the browser's region names do, and any other country", () => {
    for (const locale of ['en', 'de']) {
      const names = new Intl.DisplayNames([locale], { type: 'region' });
      for (const code of ['DE', 'GB', 'US', 'FR']) {
        expect(countryName(code, locale)).toBe(names.of(code));
      }
    }
    expect(countryName('GB', 'de')).toBe('Vereinigtes Königreich');
    expect(countryName('ZZ', 'en')).toBe('Unknown Region');
  });
});
