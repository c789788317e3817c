import { createI18n } from 'vue-i18n';
import type { AppLocale } from './composables/locale.ts';
import de from './locales/de.ts';
import en, { type Messages } from './locales/en.ts';

/** The app's i18n instance (Composition API mode) starting in `locale`. */
export function createAppI18n(locale: AppLocale) {
  return createI18n<[Messages], AppLocale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en, de },
    missingWarn: import.meta.env.DEV,
    fallbackWarn: false,
  });
}
