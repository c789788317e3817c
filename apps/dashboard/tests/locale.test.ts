import { describe, expect, it } from 'vitest';
import { detectLocale, isAppLocale } from '../src/composables/locale.ts';
import de from '../src/locales/de.ts';
import en from '../src/locales/en.ts';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('language', () => {
  it('prefers the remembered choice', () => {
    expect(detectLocale('de', ['en-US'])).toBe('de');
    expect(detectLocale('en', ['de-DE'])).toBe('en');
  });

  it('falls back to the first browser language it speaks, then English', () => {
    expect(detectLocale(null, ['de-AT', 'en'])).toBe('de');
    expect(detectLocale('fr', ['fr-FR', 'de'])).toBe('de');
    expect(detectLocale(undefined, ['fr-FR', 'es'])).toBe('en');
    expect(detectLocale(null, [])).toBe('en');
  });

  it('knows only German and English', () => {
    expect(isAppLocale('de')).toBe(true);
    expect(isAppLocale('fr')).toBe(false);
    expect(isAppLocale(undefined)).toBe(false);
  });

  it('has the same message keys in German and English, none empty', () => {
    expect(keys(de).sort()).toEqual(keys(en).sort());
    for (const key of keys(de)) {
      const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], de);
      expect(typeof value === 'string' && value.length > 0, key).toBe(true);
    }
  });

  it('uses no characters that the message syntax would treat as commands', () => {
    for (const messages of [de, en]) {
      for (const key of keys(messages)) {
        const value = key
          .split('.')
          .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], messages) as string;
        // `@` starts a linked message and `|` separates plurals in vue-i18n.
        expect(value, key).not.toMatch(/[@|]/);
      }
    }
  });
});
