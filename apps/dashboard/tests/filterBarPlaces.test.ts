import { type DocumentNode, type FieldNode, Kind, visit } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createCache } from '../src/apollo.ts';
import { placesOf, placesOfMap } from '../src/components/dashboard/filterBarPlaces.ts';
import { makeFragmentData } from '../src/gql/fragment-masking.ts';
import {
  FilterBar_PartnershipMapFragmentFragmentDoc,
  type FilterBar_QueryFragmentFragment,
  FilterBar_QueryFragmentFragmentDoc,
  GoalPageDocument,
  IndicatorPageDocument,
  OverviewDocument,
  SdgPageDocument,
} from '../src/gql/graphql.ts';
import { countryChoices } from '../src/lib/placeChoices.ts';

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

/** The first page of `count` cities as `cities(first: 100)` answers it, and the countries. */
function nationalPlaces(count: number) {
  return {
    __typename: 'Query',
    places: {
      __typename: 'Dashboard',
      partnershipMap: {
        __typename: 'PartnershipMap',
        countries: [
          { __typename: 'PartnershipMapCountry', countryCode: 'GB' },
          { __typename: 'PartnershipMapCountry', countryCode: 'US' },
        ],
      },
    },
    placeCities: {
      __typename: 'CityConnection',
      totalCount: count,
      edges: Array.from({ length: 100 }, (_, i) => ({
        __typename: 'CityEdge',
        node: { __typename: 'City', id: `C${i}`, name: `Stadt ${i}` },
      })),
    },
  };
}

/** The arguments of a document's `cities` field under the alias `placeCities`. */
function placeCitiesArguments(document: DocumentNode): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  visit(document, {
    Field(field) {
      if (field.alias?.value !== 'placeCities') return;
      found = Object.fromEntries(
        (field.arguments ?? []).map((a) => [
          a.name.value,
          'value' in a.value ? a.value.value : null,
        ]),
      );
    },
  });
  return found;
}

describe("the filter bar's places on every page with one", () => {
  it('are every place the viewer sees: a dashboard without a scope and the first 100 cities', () => {
    for (const document of [GoalPageDocument, SdgPageDocument, IndicatorPageDocument]) {
      const places = dashboards(document).get('places');
      expect(places?.arguments ?? []).toEqual([]);
      expect(places?.directives ?? []).toEqual([]);
      expect(includedSpreads(document)).toEqual({});
      // a page, not 10,000 cities at national scale: the rest is searched on the server
      expect(placeCitiesArguments(document)).toEqual({ first: '100' });
    }
    // the overview's map holds them when no place is chosen, so it asks again only with one
    expect(dashboards(OverviewDocument).get('places')?.arguments ?? []).toEqual([]);
    expect(includedSpreads(OverviewDocument)).toEqual({ FilterBar_QueryFragment: 'narrowed' });
  });

  it('count every city beyond the first page, through the cache as a page reads it', () => {
    // the goal, SDG and indicator pages keep their answers in Apollo's normalised cache
    const cache = createCache();
    const fragment = {
      fragment: FilterBar_QueryFragmentFragmentDoc,
      fragmentName: 'FilterBar_QueryFragment',
    };
    cache.writeFragment({ ...fragment, id: 'ROOT_QUERY', data: nationalPlaces(10_000) });
    // Apollo types what it reads with the fragments within unmasked; the page's answer masks them
    const answer = cache.readFragment({
      ...fragment,
      id: 'ROOT_QUERY',
    }) as FilterBar_QueryFragmentFragment | null;
    if (!answer) throw new Error('not in the cache');

    const places = placesOf(makeFragmentData(answer, FilterBar_QueryFragmentFragmentDoc));
    expect(places?.cities).toHaveLength(100);
    expect(places?.cityCount).toBe(10_000);
    expect(places?.cities[99]).toEqual({ __typename: 'City', id: 'C99', name: 'Stadt 99' });
    expect(countryChoices(places?.countryCodes ?? [], undefined, 'en').map((c) => c.code)).toEqual([
      'GB',
      'US',
    ]);
  });

  it("are the overview map's countries and cities when no place is chosen", () => {
    const map = {
      __typename: 'PartnershipMap',
      cities: [
        { __typename: 'PartnershipMapCity', id: 'G1', name: 'Bonn' },
        { __typename: 'PartnershipMapCity', id: 'P1', name: 'Oxford' },
      ],
      countries: [{ __typename: 'PartnershipMapCountry', countryCode: 'GB' }],
    };
    expect(placesOfMap(makeFragmentData(map, FilterBar_PartnershipMapFragmentFragmentDoc))).toEqual(
      { countryCodes: ['GB'], cities: map.cities, cityCount: 2 },
    );
  });

  it('are none while the answer loads, or when the overview did not ask for them', () => {
    expect(placesOf(undefined)).toBeUndefined();
    expect(placesOf(null)).toBeUndefined();
    expect(placesOfMap(undefined)).toBeUndefined();
    // the overview without a place chosen: `...FilterBar_QueryFragment @include(if: false)`
    expect(placesOf({} as Parameters<typeof placesOf>[0])).toBeUndefined();
  });
});
