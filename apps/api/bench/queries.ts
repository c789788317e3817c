/**
 * The nested query of a partnership list page. Every relation in it is batched, so the number
 * of SQL statements it runs depends on the shape of the query, never on the number of
 * partnerships: the read-side statement-count test asserts that, the benchmark measures it.
 */
export const NESTED_PARTNERSHIPS = `query Nested($first: Int!) {
  partnerships(first: $first) {
    totalCount
    edges { node {
      germanCity { name departments { name } partnerships { id } }
      partnerCity { name }
      topics { code name sdgs { number } }
      sdgs { number }
      exchanges(first: 10) { edges { node {
        title
        departments { name type city { name } }
      } } }
    } }
  }
}`;
