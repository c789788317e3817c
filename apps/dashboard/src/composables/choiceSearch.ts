import { computed, type Ref, ref } from 'vue';

/**
 * How many items a choice list asks the API for: as many as one page holds (the API refuses
 * more). A longer list is searched instead (see useChoiceSearch).
 */
export const CHOICE_PAGE = 100;

/** How long typing pauses before a search is sent, in milliseconds. */
export const SEARCH_PAUSE = 250;

/** A choice list as the API answers it: a page of items and how many the whole list has. */
interface ChoiceList<T> {
  totalCount: number;
  edges: readonly { node: T }[];
}

/** What a person typed to narrow a choice list, and the `search` variable of the list's query. */
export function useChoiceSearch() {
  const search = ref('');
  /** What was typed, or null for the list's first page. */
  const variable = computed(() => search.value.trim() || null);
  return { search, variable };
}

/**
 * A choice list that may be longer than one page (the national programme's 5,000 partnerships
 * or 10,000 cities): the page its query found for `search`, with the items chosen kept among
 * the options when the search no longer finds them. `searchable` says whether to offer the
 * search: when the list has more items than it shows, or a search is typed.
 */
export function useChoiceList<T extends { id: string }>(
  list: () => ChoiceList<T> | undefined,
  chosen: () => readonly string[],
  search: Ref<string>,
) {
  // Every item offered so far, so that a choice survives a search that does not find it.
  const offered = new Map<string, T>();
  const found = computed(() => list()?.edges.map((edge) => edge.node) ?? []);
  const items = computed(() => {
    for (const item of found.value) offered.set(item.id, item);
    const kept = chosen()
      .filter((id) => id !== '' && !found.value.some((item) => item.id === id))
      .flatMap((id) => offered.get(id) ?? []);
    return [...kept, ...found.value];
  });
  const shown = computed(() => found.value.length);
  const total = computed(() => list()?.totalCount ?? 0);
  const searchable = computed(() => search.value !== '' || total.value > shown.value);
  return { items, shown, total, searchable };
}

/**
 * A choice list's items with `item` among them (first) when it is given and missing: the choice
 * a record being edited has already, which the page of the list shown may not hold.
 */
export function withItem<T extends { id: string }>(
  items: readonly T[],
  item: T | null | undefined,
): T[] {
  return item && !items.some((each) => each.id === item.id) ? [item, ...items] : [...items];
}
