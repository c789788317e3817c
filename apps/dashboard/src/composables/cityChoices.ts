import { graphql } from '../gql/gql.ts';

/**
 * The cities a choice list offers: the first page of those the viewer may see, or those whose
 * names hold what was typed (`search`), with how many there are in all (see `useChoiceList`).
 */
export const CityChoicesDocument = graphql(`
  query CityChoices($search: String, $first: Int!) {
    cities(first: $first, search: $search) {
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
