import { type FragmentType, getFragmentData } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';

/**
 * The filter bar's countries and cities, in a page's own query: every place the viewer sees
 * (the viewer's whole programme, or a city account's own partnerships), counted on the server
 * whatever the number of partnerships, from a dashboard without a scope, so that with a country,
 * city or partnership chosen the others stay on offer. `Dashboard.partnershipMap` does not depend
 * on the period. The overview spreads it only with a place chosen: without one, its map's
 * `partnershipMap` already holds the same places.
 */
export const FilterBar_QueryFragment = graphql(`
  fragment FilterBar_QueryFragment on Query {
    places: dashboard {
      partnershipMap {
        ...FilterBar_PartnershipMapFragment
      }
    }
  }
`);

/** The places of a page's answer for FilterBar's `placeChoices`; none while it loads. */
export function placesOf(answer: FragmentType<typeof FilterBar_QueryFragment> | null | undefined) {
  // `places` is missing from an answer whose query spread the fragment under `@include` (false).
  return getFragmentData(FilterBar_QueryFragment, answer)?.places?.partnershipMap;
}
