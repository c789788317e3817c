import { type FragmentType, getFragmentData } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';

/** A city as the filter bar offers it. */
export interface NamedCity {
  id: string;
  name: string;
}

/** The countries and cities a filter bar offers. */
export interface PlaceChoices {
  /** Every country of the partner cities the viewer sees (ISO 3166-1 alpha-2). */
  countryCodes: readonly string[];
  /** The cities known before anything is typed: all of them, or the first page of them. */
  cities: readonly NamedCity[];
  /** How many cities there are to choose from in all: more than `cities` offers a search. */
  cityCount: number;
}

/**
 * The overview's map holds every city of its scope with its name (`Dashboard.partnershipMap`),
 * so without a place chosen the overview's filter bar takes its places from there.
 */
export const FilterBar_PartnershipMapFragment = graphql(`
  fragment FilterBar_PartnershipMapFragment on PartnershipMap {
    cities {
      id
      name
    }
    countries {
      countryCode
    }
  }
`);

/**
 * The filter bar's places in a page's own query, from everything the viewer sees (a dashboard
 * without a scope), so that with a country, city or partnership chosen the others stay on offer:
 * every country, counted on the server however many partnerships there are
 * (`Dashboard.partnershipMap` does not depend on the period), and the first page of cities with
 * their number. The national programme has 10,000 cities: the filter bar searches the rest on
 * the server (`cities(search:)`) rather than every page carrying all of them.
 */
export const FilterBar_QueryFragment = graphql(`
  fragment FilterBar_QueryFragment on Query {
    places: dashboard {
      partnershipMap {
        countries {
          countryCode
        }
      }
    }
    placeCities: cities(first: 100) {
      totalCount
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

/** The places of a page's answer for FilterBar's `placeChoices`; none while it loads. */
export function placesOf(
  answer: FragmentType<typeof FilterBar_QueryFragment> | null | undefined,
): PlaceChoices | undefined {
  const data = getFragmentData(FilterBar_QueryFragment, answer);
  // Missing from an answer whose query spread the fragment under `@include` (false).
  if (!data?.places || !data.placeCities) return undefined;
  return {
    countryCodes: data.places.partnershipMap.countries.map((c) => c.countryCode),
    cities: data.placeCities.edges.map((edge) => edge.node),
    cityCount: data.placeCities.totalCount,
  };
}

/** The places of the overview's map: its countries and all its cities. */
export function placesOfMap(
  map: FragmentType<typeof FilterBar_PartnershipMapFragment> | null | undefined,
): PlaceChoices | undefined {
  const data = getFragmentData(FilterBar_PartnershipMapFragment, map);
  if (!data) return undefined;
  return {
    countryCodes: data.countries.map((c) => c.countryCode),
    cities: data.cities,
    cityCount: data.cities.length,
  };
}
