import { createI18n } from 'vue-i18n';
import type { AppLocale } from './composables/locale.ts';
import de from './locales/de.ts';
import en, { type Messages } from './locales/en.ts';

/** A count as the dashboard shows it: digits grouped in the language's way. */
const COUNT: Intl.NumberFormatOptions = { style: 'decimal' };

/** The app's i18n instance (Composition API mode) starting in `locale`. */
export function createAppI18n(locale: AppLocale) {
  return createI18n<[Messages], AppLocale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en, de },
    // Figures are shown with `n(value, 'count')`. A named format's Intl.NumberFormat is made once
    // per language; `n(value)` without one makes a new one on every call, and the overview shows
    // hundreds of figures as it first renders.
    numberFormats: { en: { count: COUNT }, de: { count: COUNT } },
    missingWarn: import.meta.env.DEV,
    fallbackWarn: false,
  });
}
