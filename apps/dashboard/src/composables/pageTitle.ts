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
    if (text) document.title = documentTitle(text, t('app.name'));
  });
}
