import { type LocationQueryRaw, stringifyQuery, useRouter } from 'vue-router';

/** The address of a dashboard page, written as a RouterLink would write it. */
export function pageHref(path: string, query: LocationQueryRaw = {}): string {
  const search = stringifyQuery(query);
  return search ? `${path}?${search}` : path;
}

/**
 * Plain links for a table of hundreds of them (the breakdown by partnership): each a `<a href>`
 * instead of a RouterLink, which is a component of its own with its own reactive route. One
 * click handler on the table follows any of them inside the app, as a RouterLink would: a plain
 * left click; a click with a modifier key, or on a link that leaves the app, is the browser's.
 */
export function usePlainLinks() {
  const router = useRouter();
  return (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element | null)?.closest?.('a[href]');
    if (!(link instanceof HTMLAnchorElement) || link.target || link.hasAttribute('download')) {
      return;
    }
    if (link.origin !== window.location.origin) return;
    event.preventDefault();
    void router.push(`${link.pathname}${link.search}${link.hash}`);
  };
}
