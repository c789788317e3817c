import type { DatabaseHandle } from '@udx/db/database';
import { createTestDatabase, testEngines } from '@udx/db/testing';
import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatementCounter } from '../../bench/measure.ts';
import { NESTED_PARTNERSHIPS } from '../../bench/queries.ts';
import { schema } from '../../src/schema.ts';
import { contextFor, type Programme, seedProgramme } from './programme-fixture.ts';

describe.each(testEngines())('statements per request on %s', (engine) => {
  let handle: DatabaseHandle;
  let programme: Programme;
  const counter = new StatementCounter();

  beforeAll(async () => {
    handle = await createTestDatabase(engine, { log: counter.count });
    programme = await seedProgramme(handle.db, 40);
  });
  afterAll(async () => {
    await handle?.close();
  });

  async function countStatements(first: number): Promise<number> {
    const before = counter.value;
    const result = await graphql({
      schema,
      source: NESTED_PARTNERSHIPS,
      variableValues: { first },
      contextValue: contextFor(handle.db, programme.viewers.monitor),
    });
    const statements = counter.value - before;
    expect(result.errors).toBeUndefined();
    const edges = (result.data as { partnerships: { edges: unknown[] } }).partnerships.edges;
    expect(edges).toHaveLength(first);
    return statements;
  }

  it('runs as many statements for 40 partnerships as for 2', async () => {
    const forTwo = await countStatements(2);
    const forForty = await countStatements(40);
    expect(forTwo).toBeGreaterThan(0);
    // On a connection pool, replies arrive in varying order, so DataLoader may split a batch
    // in two now and then: allow a statement or two of difference. A query per row would add
    // at least 38.
    expect(Math.abs(forForty - forTwo)).toBeLessThanOrEqual(2);
  });
});
