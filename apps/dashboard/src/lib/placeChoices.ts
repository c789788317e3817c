import { countryName } from './format.ts';

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
 * One collator per language, made once: `localeCompare` with a locale makes one per call, which
 * for 10,000 cities takes seconds, and making one costs milliseconds of a page's first render.
 */
const collators = new Map<string, Intl.Collator>();

/** The language's order of names. */
export function collatorFor(locale: string): Intl.Collator {
  let collator = collators.get(locale);
  if (!collator) {
    collator = new Intl.Collator(locale);
    collators.set(locale, collator);
  }
  return collator;
}

/** Items by name in the language's order, a sorted copy. */
export function sortByName<T extends { name: string }>(items: readonly T[], locale: string): T[] {
  const collator = collatorFor(locale);
  return [...items].sort((a, b) => collator.compare(a.name, b.name));
}
