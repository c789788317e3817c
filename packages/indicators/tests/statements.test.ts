import type { DatabaseHandle } from '@udx/db/database';
import { createTestDatabase, testEngines } from '@udx/db/testing';
import { indicators as catalogue } from '@udx/migrations/catalogue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  computeGoalSummaries,
  computeIndicatorValues,
  computePartnershipBreakdown,
  computeSdgSummaries,
  computeSeries,
  computeSeriesOf,
  computeTotals,
} from '../src/engine.ts';
import { INDICATOR_CODES, indicatorRules } from '../src/rules.ts';
import { seedProgramme } from './programme.ts';

describe('indicator rules', () => {
  it('cover exactly the catalogue, with its units', () => {
    expect([...INDICATOR_CODES]).toEqual(catalogue.map((definition) => definition.code));
    for (const definition of catalogue) {
      const code = definition.code as (typeof INDICATOR_CODES)[number];
      expect(indicatorRules[code].unit).toBe(definition.unit);
    }
  });
});

describe.each(testEngines())('statements on %s', (engine) => {
  let handle: DatabaseHandle;
  const statements: string[] = [];
  beforeAll(async () => {
    handle = await createTestDatabase(engine, {
      log: (event) => {
        if (event.level === 'query') statements.push(event.query.sql);
      },
    });
    await seedProgramme(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
  });

  /**
   * The names of the statements a call runs: the whole work is in SQL, in few statements. In
   * name order: statements a call sends at once end in whatever order the pool's connections
   * answer on PostgreSQL.
   */
  async function namesOfStatements(call: () => Promise<unknown>): Promise<string[]> {
    statements.length = 0;
    await call();
    return statements
      .map((statement) => /^\/\* ([a-z:-]+) \*\//.exec(statement)?.[1] ?? statement)
      .sort();
  }

  it('computes each figure in one or two named statements, a whole series included', async () => {
    const scope = { from: '2020-01-01', to: '2025-12-31' };
    expect(await namesOfStatements(() => computeIndicatorValues(handle.db, scope))).toEqual([
      'indicators:values',
    ]);
    expect(await namesOfStatements(() => computeTotals(handle.db, scope))).toEqual([
      'indicators:totals',
    ]);
    expect(await namesOfStatements(() => computeSdgSummaries(handle.db, scope))).toEqual([
      'indicators:sdg-summaries',
    ]);
    expect(await namesOfStatements(() => computeGoalSummaries(handle.db, scope))).toEqual([
      'indicators:goal-targets',
      'indicators:goal-values',
    ]);
    // a breakdown by partnership costs the same four statements for any number of them
    expect(await namesOfStatements(() => computePartnershipBreakdown(handle.db, scope))).toEqual([
      'indicators:breakdown-partnerships',
      'indicators:breakdown-targets',
      'indicators:breakdown-totals',
      'indicators:breakdown-values',
    ]);
    // several indicators' series in one statement
    expect(
      await namesOfStatements(() => computeSeriesOf(handle.db, ['U1', 'U5', 'N4'], scope, 'YEAR')),
    ).toEqual(['indicators:series']);
    // 24 quarters, one statement
    expect(await namesOfStatements(() => computeSeries(handle.db, 'S1', scope, 'QUARTER'))).toEqual(
      ['indicators:series'],
    );
  });
});
