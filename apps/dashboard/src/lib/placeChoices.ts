import { countryName } from './format.ts';

/** A city as the filter bar offers it. */
interface NamedCity {
  id: string;
  name: string;
}

/**
 * The countries a filter offers, by name in the language: those given (the partner cities'
 * countries of what the viewer sees) and the one chosen, which a link may name although
 * none of them lies there.
 */
export function countryChoices(
  codes: readonly string[],
  chosen: string | undefined,
  locale: string,
): { code: string; name: string }[] {
  const all = new Set(codes);
  if (chosen) all.add(chosen);
  return sortByName(
    [...all].map((code) => ({ code, name: countryName(code, locale) })),
    locale,
  );
}

/**
 * Items by name in the language's order, a sorted copy. One collator for all comparisons:
 * `localeCompare` with a locale makes one per call, which for 10,000 cities takes seconds.
 */
export function sortByName<T extends { name: string }>(items: readonly T[], locale: string): T[] {
  const collator = new Intl.Collator(locale);
  return [...items].sort((a, b) => collator.compare(a.name, b.name));
}

/**
 * The cities a filter offers: those of `cities` (in the order to offer them, see `sortByName`)
 * whose name holds what was typed (any case), at most `limit` of them (the national programme
 * has 10,000), with the chosen one first when it is not among them. `shown` and `total` say how many of how many matching the
 * list holds, for the search's count; `searchable` whether to offer the search at all.
 */
export function cityChoices<T extends NamedCity>(
  cities: readonly T[],
  search: string,
  chosen: string | undefined,
  locale: string,
  limit: number,
): { items: T[]; shown: number; total: number; searchable: boolean } {
  const typed = search.trim().toLocaleLowerCase(locale);
  const matching = typed
    ? cities.filter((city) => city.name.toLocaleLowerCase(locale).includes(typed))
    : cities;
  const page = matching.slice(0, limit);
  const kept = chosen && !page.some((city) => city.id === chosen);
  const chosenCity = kept ? cities.find((city) => city.id === chosen) : undefined;
  return {
    items: chosenCity ? [chosenCity, ...page] : page,
    shown: page.length,
    total: matching.length,
    searchable: search !== '' || matching.length > page.length,
  };
}
