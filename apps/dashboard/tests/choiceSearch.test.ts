import { describe, expect, it } from 'vitest';
import { ref } from 'vue';
import { useChoiceList, useChoiceSearch, withItem } from '../src/composables/choiceSearch.ts';

const city = (id: string, name: string) => ({ id, name });

/** A choice list as the API answers it: `items` of `total`. */
const answer = (items: { id: string; name: string }[], total = items.length) => ({
  totalCount: total,
  edges: items.map((node) => ({ node })),
});

describe('choice lists longer than a page', () => {
  it('offer a search only when the list has more than it shows, or while one is typed', () => {
    const { search, variable } = useChoiceSearch();
    const list = ref(answer([city('1', 'Bonn'), city('2', 'Leipzig')]));
    const choice = useChoiceList(
      () => list.value,
      () => [],
      search,
    );
    expect(choice.searchable.value).toBe(false);
    expect(variable.value).toBeNull();

    list.value = answer([city('1', 'Bonn'), city('2', 'Leipzig')], 10_000);
    expect(choice.searchable.value).toBe(true);
    expect([choice.shown.value, choice.total.value]).toEqual([2, 10_000]);

    search.value = '  leip ';
    expect(variable.value).toBe('leip');
    list.value = answer([city('2', 'Leipzig')]);
    expect(choice.searchable.value).toBe(true);
  });

  it('keep a chosen item among the options when a search no longer finds it', () => {
    const { search } = useChoiceSearch();
    const list = ref(answer([city('1', 'Bonn'), city('2', 'Leipzig')], 500));
    const chosen = ref('1');
    const choice = useChoiceList(
      () => list.value,
      () => [chosen.value],
      search,
    );
    expect(choice.items.value.map((c) => c.name)).toEqual(['Bonn', 'Leipzig']);

    search.value = 'houst';
    list.value = answer([city('3', 'Houston')]);
    expect(choice.items.value.map((c) => c.name)).toEqual(['Bonn', 'Houston']);
    // an id never offered cannot be named, and no choice keeps nothing
    chosen.value = '9';
    expect(choice.items.value.map((c) => c.name)).toEqual(['Houston']);
    chosen.value = '';
    expect(choice.items.value.map((c) => c.name)).toEqual(['Houston']);
  });

  it("offer a record's own choice beside a page that does not hold it, once", () => {
    const page = [city('1', 'Bonn'), city('2', 'Leipzig')];
    expect(withItem(page, city('3', 'Houston')).map((c) => c.id)).toEqual(['3', '1', '2']);
    expect(withItem(page, city('2', 'Leipzig')).map((c) => c.id)).toEqual(['1', '2']);
    expect(withItem(page, undefined)).toEqual(page);
  });
});
