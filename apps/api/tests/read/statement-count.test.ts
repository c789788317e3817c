import type { DatabaseHandle } from '@udx/db/database';
import { createTestDatabase, testEngines } from '@udx/db/testing';
import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema.ts';
import { contextFor, type Programme, seedProgramme } from './programme-fixture.ts';

// The nested query of a partnership list page: every relation is batched, so the number of SQL
// statements depends on the shape of the query, never on the number of partnerships.
const NESTED = `query ($first: Int!) {
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

describe.each(testEngines())('statements per request on %s', (engine) => {
  let handle: DatabaseHandle;
  let programme: Programme;
  let counting = false;
  let statements = 0;

  beforeAll(async () => {
    handle = await createTestDatabase(engine, {
      log: (event) => {
        if (counting && event.level === 'query') statements++;
      },
    });
    programme = await seedProgramme(handle.db, 40);
  });
  afterAll(async () => {
    await handle?.close();
  });

  async function countStatements(first: number): Promise<number> {
    statements = 0;
    counting = true;
    try {
      const result = await graphql({
        schema,
        source: NESTED,
        variableValues: { first },
        contextValue: contextFor(handle.db, programme.viewers.monitor),
      });
      expect(result.errors).toBeUndefined();
      const edges = (result.data as { partnerships: { edges: unknown[] } }).partnerships.edges;
      expect(edges).toHaveLength(first);
      return statements;
    } finally {
      counting = false;
    }
  }

  it('runs as many statements for 40 partnerships as for 2', async () => {
    const forTwo = await countStatements(2);
    const forForty = await countStatements(40);
    expect(forTwo).toBeGreaterThan(0);
    expect(forForty).toBe(forTwo);
  });
});
