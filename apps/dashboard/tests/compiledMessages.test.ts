import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { compileMessage, compileMessages, type MessageTree } from '../build/compiled-messages.ts';
import de from '../src/locales/de.ts';
import en from '../src/locales/en.ts';

// The build ships every message compiled to vue-i18n's syntax tree (build/compiled-messages.ts);
// the development server and these tests use the texts. Both must read the same.

function leaves(tree: MessageTree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof value === 'string' ? [[path, value] as [string, string]] : leaves(value, path);
  });
}

/** Named values for every `{name}` a text holds, each distinct, so that a swap would show. */
function namedValues(text: string): Record<string, string> {
  return Object.fromEntries(
    [...text.matchAll(/\{\s*([A-Za-z_][\w]*)\s*\}/g)].map(([, name]) => [name, `«${name}»`]),
  );
}

function i18nOf(messages: Record<string, unknown>, locale: 'en' | 'de') {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    // A syntax tree where a text would be: vue-i18n's types know only texts.
    messages: { [locale]: messages } as Record<string, MessageTree>,
    missingWarn: false,
    fallbackWarn: false,
  });
}

describe('messages compiled at build time', () => {
  for (const [locale, messages] of [
    ['en', en],
    ['de', de],
  ] as const) {
    it(`read as the texts do in ${locale}, every message, with and without a count`, () => {
      const texts = i18nOf(messages as unknown as MessageTree, locale).global;
      const compiled = i18nOf(compileMessages(messages as unknown as MessageTree), locale).global;
      const all = leaves(messages as unknown as MessageTree);
      expect(all.length).toBeGreaterThan(400);
      for (const [key, text] of all) {
        const named = namedValues(text);
        expect(compiled.t(key, named), key).toBe(texts.t(key, named));
        for (const count of [0, 1, 2]) {
          expect(compiled.t(key, { ...named, n: count, count }, count), key).toBe(
            texts.t(key, { ...named, n: count, count }, count),
          );
        }
      }
    });
  }

  it('fails the build on a message the compiler refuses, naming its key', () => {
    expect(() => compileMessage('Signed in as {name', 'app.signedInAs')).toThrow(/app\.signedInAs/);
  });
});
