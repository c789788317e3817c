import { encodeGlobalID } from '@pothos/plugin-relay';
import type { DatabaseHandle } from '@udx/db/database';
import { createTestDatabase, testEngines } from '@udx/db/testing';
import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema.ts';
import { contextFor, type Programme, seedProgramme } from './programme-fixture.ts';
import type { Json } from './server.ts';

/**
 * Each figure's change against the previous period (docs/methodology.md, "Scopes and periods"),
 * by hand from the fixture's two partnerships. Each has a technical exchange on 12 May 2025
 * (12 participants, SDG target 11.6), an outcome on 1 October 2025 and a political exchange on
 * 3 February 2026 (4 participants).
 */
describe.each(testEngines())('changes against the previous period on %s', (engine) => {
  let handle: DatabaseHandle;
  let programme: Programme;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    programme = await seedProgramme(handle.db, 2);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const DASHBOARD = `query ($scope: ScopeInput) {
    dashboard(scope: $scope) {
      previousPeriod { from to }
      totals { exchanges outcomes participants }
      previousTotals { partnerships exchanges outcomes participants }
      totalsChange { partnerships cities departments exchanges outcomes participants }
      goals { indicators { indicator { code } value previousValue change } }
      sdgs {
        goal { number }
        exchangeCount
        previous { exchangeCount outcomeCount partnershipCount }
        change { exchangeCount outcomeCount partnershipCount }
      }
      breakdown { partnership { id } indicators { indicator { code } value previousValue change } }
    }
  }`;

  async function dashboard(scope: Record<string, string> = {}): Promise<Json> {
    const result = await graphql({
      schema,
      source: DASHBOARD,
      variableValues: { scope },
      contextValue: contextFor(handle.db, programme.viewers.monitor),
    });
    expect(result.errors).toBeUndefined();
    return (result.data as Json).dashboard;
  }

  function indicator(d: Json, code: string): Json {
    return d.goals.flatMap((g: Json) => g.indicators).find((i: Json) => i.indicator.code === code);
  }

  it('compares a calendar year with the year before', async () => {
    const d = await dashboard({ from: '2026-01-01', to: '2026-12-31' });
    expect(d.previousPeriod).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(d.totals).toEqual({ exchanges: 2, outcomes: 0, participants: 8 });
    expect(d.previousTotals).toEqual({
      partnerships: 2,
      exchanges: 2,
      outcomes: 2,
      participants: 24,
    });
    // The size of the scope does not change with the period; the activity does.
    expect(d.totalsChange).toEqual({
      partnerships: 0,
      cities: 0,
      departments: 0,
      exchanges: 0,
      outcomes: -2,
      participants: -16,
    });
    // U1 technical exchanges 0 against 2, U2 political 2 against 0, U3 participants 8 against 24.
    expect(indicator(d, 'U1')).toMatchObject({ value: 0, previousValue: 2, change: -2 });
    expect(indicator(d, 'U2')).toMatchObject({ value: 2, previousValue: 0, change: 2 });
    expect(indicator(d, 'U3')).toMatchObject({ value: 8, previousValue: 24, change: -16 });
    // A percentage nothing was reported for has no value, so no change.
    expect(indicator(d, 'U5')).toMatchObject({ value: null, previousValue: null, change: null });
    // SDG 11: the two technical exchanges of 2025 (target 11.6), none in 2026.
    const eleven = d.sdgs.find((s: Json) => s.goal.number === 11);
    expect(eleven).toEqual({
      goal: { number: 11 },
      exchangeCount: 0,
      previous: { exchangeCount: 2, outcomeCount: 0, partnershipCount: 2 },
      change: { exchangeCount: -2, outcomeCount: 0, partnershipCount: -2 },
    });
    // Each partnership against its own previous year: one technical exchange in 2025.
    const [first] = programme.partnershipIds;
    const row = d.breakdown.find(
      (r: Json) => r.partnership.id === encodeGlobalID('Partnership', String(first)),
    );
    expect(row.indicators.find((i: Json) => i.indicator.code === 'U1')).toMatchObject({
      value: 0,
      previousValue: 1,
      change: -1,
    });
  });

  it('compares a quarter with the quarter before, across the year end', async () => {
    const d = await dashboard({ from: '2026-01-01', to: '2026-03-31' });
    expect(d.previousPeriod).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(d.totalsChange).toMatchObject({ exchanges: 2, outcomes: -2, participants: 8 });
    expect(indicator(d, 'U2')).toMatchObject({ value: 2, previousValue: 0, change: 2 });
  });

  it('compares a range of days with as many days before it', async () => {
    // 10 May to 19 May 2025 holds the workshops; the 10 days before, 30 April to 9 May, nothing.
    const d = await dashboard({ from: '2025-05-10', to: '2025-05-19' });
    expect(d.previousPeriod).toEqual({ from: '2025-04-30', to: '2025-05-09' });
    expect(d.previousTotals).toMatchObject({ exchanges: 0, participants: 0 });
    expect(d.totalsChange).toMatchObject({ exchanges: 2, participants: 24 });
    expect(indicator(d, 'U1')).toMatchObject({ value: 2, previousValue: 0, change: 2 });
  });

  it("gives every account the programme's change, a city account too", async () => {
    const source = `query ($from: Date, $to: Date) {
      programmeTotalsChange(from: $from, to: $to) { partnerships exchanges outcomes participants }
    }`;
    for (const viewer of [programme.viewers.monitor, programme.viewers.firstCityEditor]) {
      const result = await graphql({
        schema,
        source,
        variableValues: { from: '2026-01-01', to: '2026-12-31' },
        contextValue: contextFor(handle.db, viewer),
      });
      expect(result.errors).toBeUndefined();
      expect((result.data as Json).programmeTotalsChange).toEqual({
        partnerships: 0,
        exchanges: 0,
        outcomes: -2,
        participants: -16,
      });
    }
    const all = await graphql({
      schema,
      source,
      contextValue: contextFor(handle.db, programme.viewers.monitor),
    });
    expect((all.data as Json).programmeTotalsChange).toBeNull();
  });

  it('has no previous period and no change over all years', async () => {
    const d = await dashboard();
    expect(d.previousPeriod).toBeNull();
    expect(d.previousTotals).toBeNull();
    expect(d.totalsChange).toBeNull();
    expect(indicator(d, 'U1')).toMatchObject({ value: 2, previousValue: null, change: null });
    const eleven = d.sdgs.find((s: Json) => s.goal.number === 11);
    expect(eleven.previous).toBeNull();
    expect(eleven.change).toBeNull();
    expect(d.breakdown[0].indicators[0]).toMatchObject({ previousValue: null, change: null });
  });
});
