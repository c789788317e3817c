import { type Ref, ref, watch } from 'vue';
import { type LocationQueryRaw, useRoute, useRouter } from 'vue-router';

/**
 * The filters of a list of reported values (the review queue, My submissions), kept in the URL so
 * a filtered list can be shared and survives a reload. `text` reads one parameter, trimmed ('' when
 * absent); `setFilter` writes one, leaving it out when empty or equal to `defaults`' value.
 */
export function useValueFilters(defaults: Record<string, string> = {}) {
  const route = useRoute();
  const router = useRouter();

  const text = (key: string): string => {
    const v = route.query[key];
    const s = Array.isArray(v) ? v[0] : v;
    return typeof s === 'string' ? s.trim() : '';
  };
  /** The `year` parameter when it is a plausible reporting year, else ''. */
  const year = (): string => {
    const y = Number(text('year'));
    return Number.isInteger(y) && y >= 2000 && y <= 2100 ? String(y) : '';
  };
  function setFilter(key: string, value: string) {
    const query: LocationQueryRaw = {
      ...route.query,
      [key]: value && value !== defaults[key] ? value : undefined,
    };
    void router.replace({ query });
  }
  return { text, year, setFilter };
}

/** The value an input or select was changed to. */
export const inputValue = (event: Event) =>
  (event.target as HTMLInputElement | HTMLSelectElement).value;

/**
 * How many values a list asks for: one page at first, a page more per "show more", and one page
 * again whenever its filters change.
 */
export function useShownCount(page: number, filters: Ref<unknown>) {
  const shown = ref(page);
  watch(filters, () => {
    shown.value = page;
  });
  return shown;
}
