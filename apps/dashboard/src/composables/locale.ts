import { type Ref, watch } from 'vue';

export const LOCALES = ['de', 'en'] as const;
export type AppLocale = (typeof LOCALES)[number];
export const LOCALE_STORAGE_KEY = 'udx.locale';
/** The cookie that tells the server the chosen language, for the first screen it renders. */
export const LOCALE_COOKIE = 'udx_locale';

/** True for the languages the dashboard speaks. */
export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The language to start in: the remembered choice, else the first browser language we speak
 * (`de-AT` counts as German), else English.
 */
export function detectLocale(
  stored: string | null | undefined,
  browserLanguages: readonly string[],
): AppLocale {
  if (isAppLocale(stored)) return stored;
  for (const tag of browserLanguages) {
    const base = tag.toLowerCase().split('-')[0];
    if (isAppLocale(base)) return base;
  }
  return 'en';
}

/**
 * The language the server renders a first screen in: the choice remembered in `LOCALE_COOKIE`,
 * else the request's `Accept-Language` (in its order), as `initialLocale` decides in the browser.
 */
export function localeOfRequest(
  cookieHeader: string | undefined,
  acceptLanguage: string | undefined,
): AppLocale {
  const cookie = (cookieHeader ?? '')
    .split(';')
    .map((part) => part.trim().split('='))
    .find(([name]) => name === LOCALE_COOKIE);
  const languages = (acceptLanguage ?? '')
    .split(',')
    .map((tag) => tag.split(';')[0]?.trim() ?? '')
    .filter((tag) => tag !== '' && tag !== '*');
  return detectLocale(cookie?.[1], languages);
}

/** Reads the starting language in the browser. */
export function initialLocale(): AppLocale {
  let stored: string | null = null;
  try {
    stored = window.localStorage.getItem(LOCALE_STORAGE_KEY);
  } catch {
    // Storage can be blocked (private mode, policies); the browser language still applies.
  }
  const languages = navigator.languages?.length ? navigator.languages : [navigator.language];
  return detectLocale(stored, languages);
}

/**
 * Keeps `<html lang>` and the remembered choice in step with the i18n locale and calls
 * `onChange` after every switch (the API answers in the request language, so data is refetched).
 */
export function syncLocale(locale: Ref<string>, onChange: () => void): void {
  const apply = (locale: string) => {
    document.documentElement.lang = locale;
    try {
      window.localStorage.setItem(LOCALE_STORAGE_KEY, locale);
    } catch {
      // Not remembering the choice is acceptable.
    }
    // A year, for the whole dashboard; the server reads it for the first screen it renders.
    // biome-ignore lint/suspicious/noDocumentCookie: one of two fixed words, written on a switch; the Cookie Store API is missing from some browsers udx serves
    document.cookie = `${LOCALE_COOKIE}=${locale}; path=/; max-age=31536000; samesite=lax`;
  };
  apply(locale.value);
  watch(locale, (next) => {
    apply(next);
    onChange();
  });
}
