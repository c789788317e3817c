import type { DatabaseHandle } from '@udx/db/database';
import { createTestDatabase, testEngines } from '@udx/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  computeDepartmentLinks,
  computeGoalSummaries,
  computeIndicatorValues,
  computePartnershipBreakdown,
  computeSdgSummaries,
  computeTotals,
  type GoalSummary,
  type IndicatorGoalSummary,
  partnershipsInBreakdownOrder,
  type SdgSummary,
} from '../src/engine.ts';
import { fixtureBuilder } from './fixture.ts';
import { type Programme, seedProgramme } from './programme.ts';

/** Totals, SDG and goal summaries of the programme in `programme.ts`, computed by hand. */

const YEAR_2024 = { from: '2024-01-01', to: '2024-12-31' };
/** Day 183 of 366: half of 2024 has passed. */
const MID_2024 = '2024-07-01';

/** The 17 SDGs with the given activity, every other one without any. */
function sdgs(active: Record<number, [number, number, number]>): SdgSummary[] {
  return Array.from({ length: 17 }, (_, index) => {
    const [exchangeCount, outcomeCount, partnershipCount] = active[index + 1] ?? [0, 0, 0];
    return { goal: index + 1, exchangeCount, outcomeCount, partnershipCount };
  });
}

function indicator(summaries: GoalSummary[], code: string): IndicatorGoalSummary {
  const found = summaries.flatMap((goal) => goal.indicators).find((item) => item.code === code);
  if (!found) throw new Error(`no summary for ${code}`);
  return found;
}

describe.each(testEngines())('totals and summaries on %s', (engine) => {
  let handle: DatabaseHandle;
  let programme: Programme;
  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    programme = await seedProgramme(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
  });

  describe('totals', () => {
    it('programme-wide in 2024', async () => {
      expect(await computeTotals(handle.db, YEAR_2024)).toEqual({
        partnerships: 4,
        // Dresden, Kiel, Frankfurt, Hamburg, Coventry, Philadelphia, Chicago
        cities: 7,
        // 3 + 2 + 2 + 1 + 3 + 2 + 1
        departments: 14,
        // E1, E7, E3, E2, E4
        exchanges: 5,
        // O1, O2, O4, O5 (O3 dropped, O6 of 2025)
        outcomes: 4,
        // 12 + 5 + 10 + 8 + 6
        participants: 41,
      });
    });

    it('for one city over all time: both sides of its partnerships', async () => {
      expect(await computeTotals(handle.db, { cityId: programme.city.coventry })).toEqual({
        // P1, P2
        partnerships: 2,
        // Coventry, Dresden, Kiel
        cities: 3,
        // Coventry 3 + Dresden 3 + Kiel 2
        departments: 8,
        // E1, E7, E3, E2
        exchanges: 4,
        // O1, O2, O6 (O3 dropped)
        outcomes: 3,
        // 12 + 5 + 10 + 8
        participants: 35,
      });
    });

    it('for a country and for a partnership without activity in the period', async () => {
      expect(await computeTotals(handle.db, { ...YEAR_2024, countryCode: 'US' })).toEqual({
        partnerships: 2,
        cities: 4,
        // Frankfurt 2, Philadelphia 2, Hamburg 1, Chicago 1
        departments: 6,
        // E4
        exchanges: 1,
        // O4, O5
        outcomes: 2,
        participants: 6,
      });
      const p4 = { ...YEAR_2024, partnershipId: programme.partnership.p4 };
      expect(await computeTotals(handle.db, p4)).toEqual({
        partnerships: 1,
        cities: 2,
        departments: 2,
        // E6 is of 2022
        exchanges: 0,
        outcomes: 0,
        participants: 0,
      });
    });
  });

  describe('SDG summaries', () => {
    it('programme-wide in 2024: goals of targets and of topics, dropped outcomes left out', async () => {
      // [exchanges, outcomes, partnerships]
      expect(await computeSdgSummaries(handle.db, YEAR_2024)).toEqual(
        sdgs({
          // CLIMATE_NEUTRAL_PLANNING (7, 11, 13): E1, E7 (P1), E3 (P2)
          7: [3, 0, 2],
          // SUSTAINABLE_TRANSPORT (9, 11): E4 (P3)
          9: [1, 0, 1],
          // E1, E7, E3 (11.6), E4 (11.2); O1 (11.b); P1, P2, P3
          11: [4, 1, 3],
          // E3 (12.5, ZERO_WASTE); O2 (12.5); P2
          12: [1, 1, 1],
          // E1 (13.2), E7, E3 (CLIMATE_NEUTRAL_PLANNING); P1, P2
          13: [3, 0, 2],
          // E2 (16.7); P1
          16: [1, 0, 1],
          // O4 (17.16) of P3; P2's O3 (17.17) is dropped
          17: [0, 1, 1],
        }),
      );
    });

    it('for a country over all time', async () => {
      // US: E4 {9, 11}, E5 {9, 11} of P3, E6 {6, 11, 13} of P4 (2022, SPONGE_CITY); O4 (17.16)
      expect(await computeSdgSummaries(handle.db, { countryCode: 'US' })).toEqual(
        sdgs({
          6: [1, 0, 1],
          9: [2, 0, 1],
          11: [3, 0, 2],
          13: [1, 0, 1],
          17: [0, 1, 1],
        }),
      );
    });
  });

  describe('goal summaries', () => {
    it('programme-wide in the middle of 2024, against programme-wide targets', async () => {
      const summaries = await computeGoalSummaries(handle.db, YEAR_2024, { today: MID_2024 });
      expect(summaries.map((goal) => goal.goal)).toEqual(['UNDERSTAND', 'SHAPE', 'NETWORK']);
      expect(summaries.map((goal) => goal.indicators.map((item) => item.code))).toEqual([
        ['U1', 'U2', 'U3', 'U4', 'U5'],
        ['S1', 'S2', 'S3', 'S4', 'S5'],
        ['N1', 'N2', 'N3', 'N4', 'N5'],
      ]);
      // 4 of 8, pro rata 4: 4 ≥ 90 % of 4
      expect(indicator(summaries, 'U1')).toEqual({
        code: 'U1',
        goal: 'UNDERSTAND',
        unit: 'COUNT',
        value: 4,
        year: 2024,
        referenceDate: MID_2024,
        yearValue: 4,
        target: 8,
        baseline: 2,
        progress: 0.5,
        status: 'ON_TRACK',
      });
      // 41 of 100, pro rata 50: 41 is 82 %
      expect(indicator(summaries, 'U3')).toMatchObject({
        yearValue: 41,
        target: 100,
        baseline: null,
        progress: 0.41,
        status: 'AT_RISK',
      });
      // a percentage is held against the full target: 70 % of 80 % is 87.5 %
      expect(indicator(summaries, 'U5')).toMatchObject({
        unit: 'PERCENT',
        target: 80,
        progress: expect.closeTo(0.875, 9),
        status: 'AT_RISK',
      });
      expect(indicator(summaries, 'U5').yearValue).toBeCloseTo(70, 6);
      // 1 of 4, pro rata 2: 50 %
      expect(indicator(summaries, 'N2')).toMatchObject({
        yearValue: 1,
        target: 4,
        progress: 0.25,
        status: 'OFF_TRACK',
      });
      expect(indicator(summaries, 'S1')).toMatchObject({
        value: 7,
        target: null,
        baseline: null,
        progress: null,
        status: 'NO_TARGET',
      });
    });

    it('judges a past year against its whole target', async () => {
      // in 2025, 2024 is over: 4 of 8 is 50 %
      const summaries = await computeGoalSummaries(handle.db, YEAR_2024, { today: '2025-03-01' });
      expect(indicator(summaries, 'U1')).toMatchObject({ year: 2024, status: 'OFF_TRACK' });
    });

    it('without a period: the value of all time, and the current year against its target', async () => {
      const summaries = await computeGoalSummaries(handle.db, {}, { today: MID_2024 });
      // all time E1, E7, E3, E4, E5; in 2024 the first four
      expect(indicator(summaries, 'U1')).toMatchObject({
        value: 5,
        year: 2024,
        yearValue: 4,
        target: 8,
        status: 'ON_TRACK',
      });
      // all time 12 + 5 + 10 + 8 + 6 + 9 + 20
      expect(indicator(summaries, 'U3')).toMatchObject({ value: 70, yearValue: 41 });
    });

    it('takes the reference year from the end of the period, within the period', async () => {
      const summaries = await computeGoalSummaries(
        handle.db,
        { from: '2022-01-01', to: '2024-06-30' },
        { today: MID_2024 },
      );
      // E6 (2022) in the period, not in 2024
      expect(indicator(summaries, 'U2')).toMatchObject({ value: 1, year: 2024, yearValue: 0 });
      // 2024 up to 30 June: E1, E7, E3; 3 of pro rata 4 is 75 %
      expect(indicator(summaries, 'U1')).toMatchObject({
        value: 3,
        yearValue: 3,
        status: 'AT_RISK',
      });
      // 20 + 12 + 5 + 10 over the period, 27 in 2024: 54 % of pro rata 50
      expect(indicator(summaries, 'U3')).toMatchObject({
        value: 47,
        yearValue: 27,
        status: 'OFF_TRACK',
      });
    });

    it("uses one partnership's own targets, and none for a country or a city", async () => {
      const p1 = await computeGoalSummaries(
        handle.db,
        { ...YEAR_2024, partnershipId: programme.partnership.p1 },
        { today: MID_2024 },
      );
      // E1, E7 against P1's target of 3 (pro rata 1.5)
      expect(indicator(p1, 'U1')).toMatchObject({
        yearValue: 2,
        target: 3,
        baseline: 1,
        progress: expect.closeTo(2 / 3, 9),
        status: 'ON_TRACK',
      });
      // the programme-wide target of U3 is not P1's
      expect(indicator(p1, 'U3')).toMatchObject({ target: null, status: 'NO_TARGET' });

      for (const scope of [
        { ...YEAR_2024, countryCode: 'GB' },
        { ...YEAR_2024, cityId: programme.city.coventry },
        // P1 has no American partner city: nothing is in scope, not even P1's targets
        { ...YEAR_2024, partnershipId: programme.partnership.p1, countryCode: 'US' },
      ]) {
        const summaries = await computeGoalSummaries(handle.db, scope, { today: MID_2024 });
        const all = summaries.flatMap((goal) => goal.indicators);
        expect(all).toHaveLength(15);
        expect(all.every((item) => item.target === null && item.status === 'NO_TARGET')).toBe(true);
      }
    });

    it('judges a past period at its end, not on the day of looking', async () => {
      // January to March 2024, looked at in December 2026: E1 and E7 against 8 pro rata to
      // 31 March (8 × 91/366 ≈ 1.99) are on track; held against the whole year they would not be
      const q1 = { from: '2024-01-01', to: '2024-03-31' };
      for (const today of ['2024-04-15', '2026-12-01']) {
        const summaries = await computeGoalSummaries(handle.db, q1, { today });
        expect(indicator(summaries, 'U1')).toMatchObject({
          year: 2024,
          referenceDate: '2024-03-31',
          yearValue: 2,
          target: 8,
          status: 'ON_TRACK',
        });
      }
      // a range ending after today is judged today: on 15 February 2024, 8 × 46/366 ≈ 1.01
      // is expected of U1 (the four exchanges of 2024 are on record already)
      const early = await computeGoalSummaries(handle.db, YEAR_2024, { today: '2024-02-15' });
      expect(indicator(early, 'U1')).toMatchObject({
        referenceDate: '2024-02-15',
        yearValue: 4,
        status: 'ON_TRACK',
      });
      // U3: 41 of 100 × 46/366 ≈ 12.6 expected
      expect(indicator(early, 'U3').status).toBe('ON_TRACK');
    });

    it('expects nothing yet of a year to come, and has no data for a percentage not reported', async () => {
      const add = fixtureBuilder(handle.db);
      const u5Target = await add.target({ indicator: 'U5', year: 2025, target: 80 });
      try {
        const year2025 = { from: '2025-01-01', to: '2025-12-31' };
        // looked at in the middle of 2024: 2025 has not begun
        const ahead = await computeGoalSummaries(handle.db, year2025, { today: MID_2024 });
        expect(indicator(ahead, 'U1')).toMatchObject({
          year: 2025,
          referenceDate: MID_2024,
          target: 10,
          status: 'ON_TRACK',
        });
        expect(indicator(ahead, 'U5')).toMatchObject({
          value: null,
          target: 80,
          progress: null,
          status: 'NO_DATA',
        });
        // in the middle of 2025 still no U5 value: no data, not off track; counts are never
        // missing (U1: E5 is 1 of 10 × 181/365 ≈ 4.96, off track)
        const during = await computeGoalSummaries(handle.db, year2025, { today: '2025-06-30' });
        expect(indicator(during, 'U5').status).toBe('NO_DATA');
        expect(indicator(during, 'U1')).toMatchObject({ yearValue: 1, status: 'OFF_TRACK' });
      } finally {
        await handle.db.deleteFrom('target').where('id', '=', u5Target).execute();
      }
    });

    it('counts submitted values when asked to', async () => {
      const summaries = await computeGoalSummaries(handle.db, YEAR_2024, {
        today: MID_2024,
        reportedStatuses: ['APPROVED', 'SUBMITTED'],
      });
      // 54/80 = 67.5 % of 80 % is 84 %
      expect(indicator(summaries, 'U5').value).toBeCloseTo(67.5, 6);
      expect(indicator(summaries, 'N5')).toMatchObject({ value: 7, status: 'NO_TARGET' });
    });
  });

  describe('department links', () => {
    it('are the pairs N4 counts, each with the exchanges that joined it', async () => {
      const links = await computeDepartmentLinks(handle.db, YEAR_2024);
      // E1 dEnv dPlan × cPlan cIO, E7 dEnv–cPlan again, E3 kClimate × cPlan cWaste, E2 dIO–cIO,
      // E4 fMobility–phMobility
      expect(links).toHaveLength(8);
      expect(links.map((link) => link.exchanges)).toEqual([2, 1, 1, 1, 1, 1, 1, 1]);
      const values = await computeIndicatorValues(handle.db, YEAR_2024);
      expect(links).toHaveLength(values.N4 ?? -1);
      // one partnership and a quarter: P1 in 2024-Q1 is E1 and E7
      const p1 = await computeDepartmentLinks(handle.db, {
        partnershipId: programme.partnership.p1,
        from: '2024-01-01',
        to: '2024-03-31',
      });
      expect(p1.map((link) => link.exchanges)).toEqual([2, 1, 1, 1]);
    });
  });

  describe('breakdown by partnership', () => {
    it('gives each partnership of the scope the figures of its own dashboard', async () => {
      const options = { today: MID_2024 };
      const rows = await computePartnershipBreakdown(handle.db, YEAR_2024, options);
      const { p1, p2, p3, p4 } = programme.partnership;
      // by German city: Dresden, Frankfurt am Main, Hamburg, Kiel
      expect(rows.map((row) => row.partnershipId)).toEqual([p1, p3, p4, p2]);
      for (const row of rows) {
        const alone = { ...YEAR_2024, partnershipId: row.partnershipId };
        expect(row.totals).toEqual(await computeTotals(handle.db, alone));
        const goals = await computeGoalSummaries(handle.db, alone, options);
        expect(row.indicators).toEqual(goals.flatMap((goal) => goal.indicators));
      }
    });

    it('computes some rows alone exactly as they are in the whole breakdown', async () => {
      const options = { today: MID_2024 };
      const whole = await computePartnershipBreakdown(handle.db, YEAR_2024, options);
      const { p1, p2, p3, p4 } = programme.partnership;
      expect(await partnershipsInBreakdownOrder(handle.db, YEAR_2024)).toEqual([p1, p3, p4, p2]);
      // two rows out of the middle, asked for in another order: given back in breakdown order
      const some = await computePartnershipBreakdown(
        handle.db,
        { ...YEAR_2024, partnershipIds: [p2, p3] },
        options,
      );
      expect(some).toEqual(
        whole.filter((row) => row.partnershipId === p3 || row.partnershipId === p2),
      );
      // within a narrower scope only its own partnerships; none asked for, no rows
      const dresden = whole[0]?.partnershipId;
      expect(
        (
          await computePartnershipBreakdown(
            handle.db,
            { ...YEAR_2024, partnershipId: p1, partnershipIds: [p1, p2] },
            options,
          )
        ).map((row) => row.partnershipId),
      ).toEqual([dresden]);
      expect(
        await computePartnershipBreakdown(handle.db, { ...YEAR_2024, partnershipIds: [] }, options),
      ).toEqual([]);
    });

    it('adds up to the scope where sums apply; distinct counts are per partnership', async () => {
      const rows = await computePartnershipBreakdown(handle.db, YEAR_2024, { today: MID_2024 });
      const totals = await computeTotals(handle.db, YEAR_2024);
      const sum = (pick: (row: (typeof rows)[number]) => number) =>
        rows.reduce((total, row) => total + pick(row), 0);
      expect(sum((row) => row.totals.exchanges)).toBe(totals.exchanges);
      expect(sum((row) => row.totals.participants)).toBe(totals.participants);
      expect(sum((row) => row.totals.outcomes)).toBe(totals.outcomes);
      expect(rows.every((row) => row.totals.partnerships === 1 && row.totals.cities === 2)).toBe(
        true,
      );
      // Coventry's departments count in P1 and in P2, once in the scope: 3+3, 2+3, ... ≠ 14
      expect(sum((row) => row.totals.departments)).toBe(17);
      expect(totals.departments).toBe(14);
      // reported values belong to both cities' partnerships: Coventry's U5 30/40 is in P1
      // (with Dresden's Q2 10/20: 40/60) and in P2 (Kiel's is only submitted: 30/40)
      const u5 = (id: number) =>
        rows.find((row) => row.partnershipId === id)?.indicators.find((item) => item.code === 'U5')
          ?.value;
      expect(u5(programme.partnership.p1)).toBeCloseTo((40 / 60) * 100, 6);
      expect(u5(programme.partnership.p2)).toBeCloseTo(75, 6);
      // P1's own target of U1 (3), none of U3 (programme-wide targets are not a partnership's)
      const p1 = rows.find((row) => row.partnershipId === programme.partnership.p1);
      expect(p1?.indicators.find((item) => item.code === 'U1')).toMatchObject({
        yearValue: 2,
        target: 3,
        status: 'ON_TRACK',
      });
      expect(p1?.indicators.find((item) => item.code === 'U3')?.target).toBeNull();
    });

    it('lists a partnership without activity in the period with zeros, against its own target', async () => {
      const rows = await computePartnershipBreakdown(handle.db, YEAR_2024, { today: MID_2024 });
      const { p1, p2, p3, p4 } = programme.partnership;
      // P4 (Hamburg–Chicago): E6 is of 2022, Chicago's N5 was rejected; nothing in 2024, and
      // all 13 counts (N5 among them) are 0
      const hamburg = rows.find((row) => row.partnershipId === p4);
      expect(hamburg?.totals).toMatchObject({ exchanges: 0, outcomes: 0, participants: 0 });
      const counts = hamburg?.indicators.filter((item) => item.unit === 'COUNT') ?? [];
      expect(counts).toHaveLength(13);
      expect(counts.every((item) => item.value === 0 && item.yearValue === 0)).toBe(true);
      // its own N1 target of 1: half of it expected on 1 July 2024, none of it reached
      expect(hamburg?.indicators.find((item) => item.code === 'N1')).toMatchObject({
        yearValue: 0,
        target: 1,
        progress: 0,
        status: 'OFF_TRACK',
      });
      // no other own target, and never the programme-wide ones (U1 8, U3 100, U5 80, N2 4)
      expect(
        hamburg?.indicators.filter((item) => item.code !== 'N1').map((item) => item.status),
      ).toEqual(Array(14).fill('NO_TARGET'));
      // an own target for one indicator of the year is enough: P1 (U1) and P4 (N1) have one,
      // P2 and P3 none
      expect(rows.map((row) => [row.partnershipId, row.hasOwnTargets])).toEqual([
        [p1, true],
        [p3, false],
        [p4, true],
        [p2, false],
      ]);
      // the partnership's dashboard alone says the same
      const alone = await computeGoalSummaries(
        handle.db,
        { ...YEAR_2024, partnershipId: p4 },
        { today: MID_2024 },
      );
      expect(hamburg?.indicators).toEqual(alone.flatMap((goal) => goal.indicators));
    });

    it("covers the scope's partnerships only, and none for an empty scope", async () => {
      const coventry = await computePartnershipBreakdown(handle.db, {
        cityId: programme.city.coventry,
      });
      expect(coventry.map((row) => row.partnershipId)).toEqual([
        programme.partnership.p1,
        programme.partnership.p2,
      ]);
      expect(
        await computePartnershipBreakdown(handle.db, {
          cityId: programme.city.coventry,
          countryCode: 'US',
        }),
      ).toEqual([]);
    });
  });
});
