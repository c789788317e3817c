import { describe, expect, it } from 'vitest';
import { cityChoices, countryChoices, sortByName } from '../src/lib/placeChoices.ts';

describe('choices of places of the filter bar', () => {
  it('offers the countries by name in the language, with the one chosen', () => {
    expect(countryChoices(['US', 'GB'], undefined, 'en').map((c) => c.name)).toEqual([
      'United Kingdom',
      'United States',
    ]);
    expect(countryChoices(['US', 'GB'], 'FR', 'de').map((c) => c.name)).toEqual([
      'Frankreich',
      'Vereinigte Staaten',
      'Vereinigtes Königreich',
    ]);
  });

  const cities = sortByName(
    [
      { id: 'c3', name: 'Oxford' },
      { id: 'c1', name: 'Bonn' },
      { id: 'c2', name: 'Köln' },
      { id: 'c4', name: 'Boston' },
    ],
    'de',
  );

  it('sorts by name in the language', () => {
    expect(sortByName([{ name: 'Zell' }, { name: 'Öhringen' }, { name: 'Aalen' }], 'de')).toEqual([
      { name: 'Aalen' },
      { name: 'Öhringen' },
      { name: 'Zell' },
    ]);
  });

  it('offers every city by name when they fit, without a search', () => {
    expect(cityChoices(cities, '', undefined, 'de', 100)).toEqual({
      items: [
        { id: 'c1', name: 'Bonn' },
        { id: 'c4', name: 'Boston' },
        { id: 'c2', name: 'Köln' },
        { id: 'c3', name: 'Oxford' },
      ],
      shown: 4,
      total: 4,
      searchable: false,
    });
  });

  it('offers a search and a page of the cities when there are more, keeping the one chosen', () => {
    const first = cityChoices(cities, '', 'c3', 'de', 2);
    expect(first.items.map((c) => c.name)).toEqual(['Oxford', 'Bonn', 'Boston']);
    expect(first).toMatchObject({ shown: 2, total: 4, searchable: true });

    const found = cityChoices(cities, ' KÖ ', undefined, 'de', 2);
    expect(found.items.map((c) => c.name)).toEqual(['Köln']);
    expect(found).toMatchObject({ shown: 1, total: 1, searchable: true });

    expect(cityChoices(cities, 'zz', 'c1', 'de', 2)).toMatchObject({
      items: [{ id: 'c1', name: 'Bonn' }],
      shown: 0,
      total: 0,
    });
  });
});
