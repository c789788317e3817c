import { type DocumentNode, type FieldNode, Kind, visit } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createCache } from '../src/apollo.ts';
import { placesOf } from '../src/components/dashboard/filterBarPlaces.ts';
import { getFragmentData, makeFragmentData } from '../src/gql/fragment-masking.ts';
import {
  FilterBar_PartnershipMapFragmentFragmentDoc,
  type FilterBar_QueryFragmentFragment,
  FilterBar_QueryFragmentFragmentDoc,
  GoalPageDocument,
  IndicatorPageDocument,
  OverviewDocument,
  SdgPageDocument,
} from '../src/gql/graphql.ts';
import { cityChoices, countryChoices, sortByName } from '../src/lib/placeChoices.ts';

/** The `dashboard` fields of a document, its fragments' included, by alias. */
function dashboards(document: DocumentNode): Map<string, FieldNode> {
  const found = new Map<string, FieldNode>();
  visit(document, {
    Field(field) {
      if (field.name.value === 'dashboard') found.set(field.alias?.value ?? 'dashboard', field);
    },
  });
  return found;
}

/** The names of the fragments a document spreads with `@include`, and the variable of each. */
function includedSpreads(document: DocumentNode): Record<string, string> {
  const found: Record<string, string> = {};
  visit(document, {
    FragmentSpread(spread) {
      for (const directive of spread.directives ?? []) {
        const condition = directive.arguments?.[0]?.value;
        if (directive.name.value === 'include' && condition?.kind === Kind.VARIABLE) {
          found[spread.name.value] = condition.name.value;
        }
      }
    },
  });
  return found;
}

/** The places of `count` partnerships, each of a German city and a twin town of its own. */
function nationalPlaces(count: number) {
  const cities = Array.from({ length: count }, (_, i) => [
    { __typename: 'PartnershipMapCity', id: `G${i}`, name: `Deutschstadt ${i}` },
    { __typename: 'PartnershipMapCity', id: `P${i}`, name: `Twin Town ${i}` },
  ]).flat();
  return {
    __typename: 'PartnershipMap',
    cities,
    countries: [
      { __typename: 'PartnershipMapCountry', countryCode: 'GB' },
      { __typename: 'PartnershipMapCountry', countryCode: 'US' },
    ],
  };
}

describe("the filter bar's places on every page with one", () => {
  it('are every place the viewer sees: a dashboard without a scope, in each page query', () => {
    for (const document of [GoalPageDocument, SdgPageDocument, IndicatorPageDocument]) {
      const places = dashboards(document).get('places');
      expect(places?.arguments ?? []).toEqual([]);
      expect(places?.directives ?? []).toEqual([]);
      expect(includedSpreads(document)).toEqual({});
    }
    // the overview's map holds them when no place is chosen, so it asks again only with one
    expect(dashboards(OverviewDocument).get('places')?.arguments ?? []).toEqual([]);
    expect(includedSpreads(OverviewDocument)).toEqual({ FilterBar_QueryFragment: 'narrowed' });
  });

  it('offer a city beyond the first 100 partnerships, through the cache as a page reads it', () => {
    // the goal, SDG and indicator pages keep their answers in Apollo's normalised cache
    const cache = createCache();
    const data = {
      __typename: 'Query',
      places: { __typename: 'Dashboard', partnershipMap: nationalPlaces(5000) },
    };
    const fragment = {
      fragment: FilterBar_QueryFragmentFragmentDoc,
      fragmentName: 'FilterBar_QueryFragment',
    };
    cache.writeFragment({ ...fragment, id: 'ROOT_QUERY', data });
    // Apollo types what it reads with the fragments within unmasked; the page's answer masks them
    const answer = cache.readFragment({
      ...fragment,
      id: 'ROOT_QUERY',
    }) as FilterBar_QueryFragmentFragment | null;
    if (!answer) throw new Error('not in the cache');

    const places = getFragmentData(
      FilterBar_PartnershipMapFragmentFragmentDoc,
      placesOf(makeFragmentData(answer, FilterBar_QueryFragmentFragmentDoc)),
    );
    expect(places?.cities).toHaveLength(10_000);
    const cities = sortByName(places?.cities ?? [], 'en');
    // the 4,321st partnership's twin town: not among the first 100 partnerships' 200 cities
    const found = cityChoices(cities, 'twin town 4321', undefined, 'en', 100);
    expect(found.items.map((city) => city.id)).toEqual(['P4321']);
    expect(cityChoices(cities, '', undefined, 'en', 100)).toMatchObject({
      shown: 100,
      total: 10_000,
      searchable: true,
    });
    expect(
      countryChoices(
        (places?.countries ?? []).map((c) => c.countryCode),
        undefined,
        'en',
      ).map((c) => c.code),
    ).toEqual(['GB', 'US']);
  });

  it('are none while the answer loads, or when the overview did not ask for them', () => {
    expect(placesOf(undefined)).toBeUndefined();
    expect(placesOf(null)).toBeUndefined();
    // the overview without a place chosen: `...FilterBar_QueryFragment @include(if: false)`
    expect(placesOf({} as Parameters<typeof placesOf>[0])).toBeUndefined();
  });
});
