import { watchEffect } from 'vue';
import { useI18n } from 'vue-i18n';

/** Builds the document title from a page heading, e.g. `Hamburg · udx`. */
export function documentTitle(heading: string, appName: string): string {
  return heading ? `${heading} · ${appName}` : appName;
}

/**
 * Names the browser tab after the page's own heading once its data is there (the router only
 * knows the kind of page); `undefined` leaves the title set from the route.
 */
export function usePageTitle(heading: () => string | undefined): void {
  const { t } = useI18n();
  watchEffect(() => {
    const text = heading();
    // On the server (a first screen) the title goes into the page's head instead.
    if (text && typeof document !== 'undefined')
      document.title = documentTitle(text, t('app.name'));
  });
}
