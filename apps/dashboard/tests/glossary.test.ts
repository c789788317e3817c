import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import de from '../src/locales/de.ts';

/** Every German text, by key. */
function texts(messages: object, prefix = ''): [string, string][] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'string'
      ? [[`${prefix}${key}`, value] as [string, string]]
      : texts(value as object, `${prefix}${key}.`),
  );
}

describe('German glossary', () => {
  it('says Fachamt and Büro für Internationales, as the indicator catalogue does', () => {
    for (const [key, text] of texts(de)) {
      expect(text, key).not.toMatch(/Fachbereich|Internationales Büro/);
    }
    expect(de.enum.DepartmentType.INTERNATIONAL_OFFICE).toBe('Büro für Internationales');
    expect(de.exchange.departments).toBe('Beteiligte Fachämter');
  });

  it('lists the chosen words at the top of the locale file', () => {
    const source = readFileSync(new URL('../src/locales/de.ts', import.meta.url), 'utf8');
    const glossary = source.slice(0, source.indexOf('const de'));
    expect(glossary).toContain('Fachamt, Fachämter');
    expect(glossary).toContain('Büro für Internationales');
  });
});
