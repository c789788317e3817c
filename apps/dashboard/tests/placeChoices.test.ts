import { describe, expect, it } from 'vitest';
import { countryChoices, sortByName } from '../src/lib/placeChoices.ts';

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

  it('sorts by name in the language', () => {
    expect(sortByName([{ name: 'Zell' }, { name: 'Öhringen' }, { name: 'Aalen' }], 'de')).toEqual([
      { name: 'Aalen' },
      { name: 'Öhringen' },
      { name: 'Zell' },
    ]);
  });
});
