import type { DatabaseHandle } from '@udx/db/database';
import { createTestDatabase, testEngines } from '@udx/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeIndicatorValues, type IndicatorValues } from '../src/engine.ts';
import { type Programme, seedProgramme } from './programme.ts';

/**
 * Every indicator, computed by hand from the programme in `programme.ts` (its header lists
 * every exchange, outcome and reported value), for each kind of scope and period.
 */

const YEAR_2024 = { from: '2024-01-01', to: '2024-12-31' };

/** A percentage compared to 6 decimals. */
const percent = (value: number) => expect.closeTo(value, 6);

describe.each(testEngines())('indicator values on %s', (engine) => {
  let handle: DatabaseHandle;
  let programme: Programme;
  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    programme = await seedProgramme(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('programme-wide in 2024', async () => {
    const values = await computeIndicatorValues(handle.db, YEAR_2024);
    expect(values).toEqual<IndicatorValues>({
      // E1, E7, E3, E4 (E5 is 2025, E2 and E6 political)
      U1: 4,
      // E2 (E6 of 2022 lies outside the period)
      U2: 1,
      // 12 + 5 + 10 + 8 + 6
      U3: 41,
      // CLIMATE_NEUTRAL_PLANNING, ZERO_WASTE, SUSTAINABLE_TRANSPORT; per partnership 1 + 2 + 1 = 4
      U4: 3,
      // approved 2024: Coventry 30/40, Dresden Q2 10/20, Philadelphia Q4 9/10 → 49/70
      U5: percent(70),
      // dEnv dPlan cPlan kClimate cWaste fMobility phMobility (international offices left out);
      // per partnership 3 + 3 + 2 = 8, Coventry's planners counted in both
      S1: 7,
      // O1 (O6 is 2025)
      S2: 1,
      // O2 (O5 is in progress)
      S3: 1,
      // 11.6 13.2 12.5 16.7 11.2 from exchanges, 11.b 17.16 from outcomes (O3's 17.17 is dropped);
      // per partnership 4 + 2 + 2 = 8
      S4: 7,
      // Dresden 12/16 (Philadelphia's 1/4 is a draft)
      S5: percent(75),
      // P1, P2, P3 (P4's only exchange is of 2022)
      N1: 3,
      // O4 (O3 is dropped)
      N2: 1,
      // E3 (subnational), E2 (national)
      N3: 2,
      // E1 dEnv–cPlan dEnv–cIO dPlan–cPlan dPlan–cIO, E3 kClimate–cPlan kClimate–cWaste,
      // E2 dIO–cIO, E4 fMobility–phMobility; E7's dEnv–cPlan again: 8, not 9 per exchange
      N4: 8,
      // Coventry 2 + Frankfurt Q3 1 (Kiel's 4 is submitted, Chicago's 3 rejected)
      N5: 3,
    });
  });

  it('counts submitted values only when asked to, and never drafts or rejected ones', async () => {
    const official = await computeIndicatorValues(handle.db, YEAR_2024, {
      reportedStatuses: ['APPROVED'],
    });
    const withSubmitted = await computeIndicatorValues(handle.db, YEAR_2024, {
      reportedStatuses: ['APPROVED', 'SUBMITTED'],
    });
    // default = official
    expect(await computeIndicatorValues(handle.db, YEAR_2024)).toEqual(official);
    // (30 + 10 + 9 + Kiel's 5) / (40 + 20 + 10 + 10) = 54/80
    expect(withSubmitted.U5).toBeCloseTo(67.5, 6);
    // Philadelphia's draft stays out: 12/16
    expect(withSubmitted.S5).toBeCloseTo(75, 6);
    // 2 + 1 + Kiel's 4 (Chicago's rejected 3 stays out)
    expect(withSubmitted.N5).toBe(7);
    // computed indicators do not depend on the review of reported values
    expect(withSubmitted.S1).toBe(official.S1);

    const none = await computeIndicatorValues(handle.db, YEAR_2024, { reportedStatuses: [] });
    expect([none.U5, none.S5, none.N5]).toEqual([null, null, 0]);
  });

  it('for the partnerships with British partner cities in 2024', async () => {
    // P1 Dresden–Coventry and P2 Kiel–Coventry; cities Dresden, Kiel, Coventry
    const values = await computeIndicatorValues(handle.db, { ...YEAR_2024, countryCode: 'GB' });
    expect(values).toEqual<IndicatorValues>({
      // E1, E7, E3
      U1: 3,
      // E2
      U2: 1,
      // 12 + 5 + 10 + 8
      U3: 35,
      // CLIMATE_NEUTRAL_PLANNING, ZERO_WASTE
      U4: 2,
      // pooled (30 + 10) / (40 + 20) = 66.7 %, not the mean of 75 % and 50 % (62.5 %)
      U5: percent(200 / 3),
      // dEnv dPlan cPlan kClimate cWaste; Coventry's planners once though in two partnerships
      S1: 5,
      // O1
      S2: 1,
      // O2
      S3: 1,
      // 11.6 13.2 12.5 16.7 11.b
      S4: 5,
      // Dresden 12/16
      S5: percent(75),
      // P1, P2
      N1: 2,
      // only O3, which is dropped
      N2: 0,
      // E3, E2
      N3: 2,
      // E1's four pairs, E3's two, E2's one
      N4: 7,
      // Coventry 2
      N5: 2,
    });
    const withSubmitted = await computeIndicatorValues(
      handle.db,
      { ...YEAR_2024, countryCode: 'GB' },
      { reportedStatuses: ['APPROVED', 'SUBMITTED'] },
    );
    // (30 + 10 + 5) / (40 + 20 + 10)
    expect(withSubmitted.U5).toBeCloseTo(4500 / 70, 6);
    expect(withSubmitted.N5).toBe(6);
  });

  it('for the partnerships with American partner cities in 2024', async () => {
    // P3 Frankfurt–Philadelphia and P4 Hamburg–Chicago
    const values = await computeIndicatorValues(handle.db, { ...YEAR_2024, countryCode: 'US' });
    expect(values).toEqual<IndicatorValues>({
      // E4
      U1: 1,
      // E6 is of 2022
      U2: 0,
      U3: 6,
      // SUSTAINABLE_TRANSPORT
      U4: 1,
      // Philadelphia Q4 9/10 (Frankfurt's 8/8 is of 2023)
      U5: percent(90),
      // fMobility, phMobility
      S1: 2,
      S2: 0,
      // O5 is in progress
      S3: 0,
      // 11.2 (E4), 17.16 (O4)
      S4: 2,
      // only a draft: no respondents, no percentage
      S5: null,
      // P3
      N1: 1,
      // O4
      N2: 1,
      N3: 0,
      // fMobility–phMobility
      N4: 1,
      // Frankfurt Q3 1 (Chicago's 3 rejected)
      N5: 1,
    });
  });

  it('for one city over all time: its partnerships and their cities on both sides', async () => {
    // Coventry: P1 and P2; cities Coventry, Dresden, Kiel
    const values = await computeIndicatorValues(handle.db, { cityId: programme.city.coventry });
    expect(values).toEqual<IndicatorValues>({
      U1: 3,
      U2: 1,
      U3: 35,
      U4: 2,
      // Coventry 30/40 + Dresden 10/20
      U5: percent(200 / 3),
      S1: 5,
      // O1 and O6 (2025, planned)
      S2: 2,
      S3: 1,
      // 2024's five and O6's 11.3
      S4: 6,
      S5: percent(75),
      N1: 2,
      N2: 0,
      N3: 2,
      N4: 7,
      N5: 2,
    });
  });

  it('for one partnership over all time', async () => {
    // P3 Frankfurt–Philadelphia: E4 (2024), E5 (2025)
    const values = await computeIndicatorValues(handle.db, {
      partnershipId: programme.partnership.p3,
    });
    expect(values).toEqual<IndicatorValues>({
      U1: 2,
      U2: 0,
      // 6 + 9
      U3: 15,
      U4: 1,
      // Philadelphia 9/10 + Frankfurt 2023 8/8 = 17/18
      U5: percent(1700 / 18),
      // fMobility, phMobility, fMayor
      S1: 3,
      S2: 0,
      S3: 0,
      // 11.2, 9.1, 17.16
      S4: 3,
      S5: null,
      N1: 1,
      N2: 1,
      // E5 (international)
      N3: 1,
      // fMobility–phMobility (E4 and E5), fMayor–phMobility
      N4: 2,
      N5: 1,
    });
  });

  it('for a quarter: a yearly value does not count, as its year does not lie inside', async () => {
    // 2024-Q1: E1 and E7
    const values = await computeIndicatorValues(handle.db, {
      from: '2024-01-01',
      to: '2024-03-31',
    });
    expect(values).toEqual<IndicatorValues>({
      U1: 2,
      U2: 0,
      // 12 + 5
      U3: 17,
      U4: 1,
      // Coventry's 30/40 is for the whole of 2024; Dresden's is Q2
      U5: null,
      // dEnv, dPlan, cPlan
      S1: 3,
      S2: 0,
      S3: 0,
      // 11.6, 13.2
      S4: 2,
      // Dresden's 12/16 is for the whole of 2024
      S5: null,
      N1: 1,
      N2: 0,
      N3: 0,
      // E1's four pairs; E7's one again
      N4: 4,
      // Coventry's 2 is for the whole of 2024
      N5: 0,
    });
  });

  it('counts a reported value only in a range that holds its whole year or quarter', async () => {
    const u5 = async (from: string, to: string) =>
      (await computeIndicatorValues(handle.db, { from, to })).U5;
    // 1 January to 30 June: Dresden's Q2 10/20 only, not Coventry's year 30/40
    expect(await u5('2024-01-01', '2024-06-30')).toEqual(percent(50));
    // from 1 February: Q2 still inside, the year not
    expect(await u5('2024-02-01', '2024-12-31')).toEqual(percent(((10 + 9) / 30) * 100));
    // the whole year: Coventry's year, Dresden's Q2, Philadelphia's Q4 → 49/70
    expect(await u5('2024-01-01', '2024-12-31')).toEqual(percent(70));
    // Q2 exactly, from 1 April to 30 June, holds Dresden's Q2; a day less on either side not
    expect(await u5('2024-04-01', '2024-06-30')).toEqual(percent(50));
    expect(await u5('2024-04-02', '2024-06-30')).toBeNull();
    expect(await u5('2024-04-01', '2024-06-29')).toBeNull();
    // 31 March to 1 July holds Q2 whole
    expect(await u5('2024-03-31', '2024-07-01')).toEqual(percent(50));
    // a range over two years holds both years whole: 2023 Frankfurt 8/8 and all of 2024
    expect(await u5('2023-01-01', '2024-12-31')).toEqual(percent(((49 + 8) / 78) * 100));
  });

  it('counts an exchange once, in the period it starts in, even when it ends in the next', async () => {
    // E1 starts 2024-03-10; give it an end in Q2 and look at both quarters
    await handle.db
      .updateTable('exchange')
      .set({ ends_on: '2024-04-05' })
      .where('starts_on', '=', '2024-03-10')
      .execute();
    const q1 = await computeIndicatorValues(handle.db, { from: '2024-01-01', to: '2024-03-31' });
    const q2 = await computeIndicatorValues(handle.db, { from: '2024-04-01', to: '2024-06-30' });
    const half = await computeIndicatorValues(handle.db, { from: '2024-01-01', to: '2024-06-30' });
    // Q1: E1, E7; Q2: E3 only; the half year: E1, E7, E3 — E1 counted once
    expect([q1.U1, q2.U1, half.U1]).toEqual([2, 1, 3]);
    expect([q1.U3, q2.U3, half.U3]).toEqual([17, 10, 27]);
  });

  it('for any date range', async () => {
    // 2024-03-15 to 2024-09-30: E7, E3, E2; O1, O3 (dropped), O5; Dresden U5 Q2, Frankfurt N5 Q3
    const values = await computeIndicatorValues(handle.db, {
      from: '2024-03-15',
      to: '2024-09-30',
    });
    expect(values).toEqual<IndicatorValues>({
      U1: 2,
      U2: 1,
      // 5 + 10 + 8
      U3: 23,
      U4: 2,
      // Dresden's Q2 10/20 (the yearly values' years do not lie inside the range)
      U5: percent(50),
      // dEnv, cPlan, kClimate, cWaste
      S1: 4,
      S2: 1,
      S3: 0,
      // 11.6, 12.5, 16.7, 11.b
      S4: 4,
      S5: null,
      N1: 2,
      N2: 0,
      N3: 2,
      // dEnv–cPlan, kClimate–cPlan, kClimate–cWaste, dIO–cIO
      N4: 4,
      N5: 1,
    });
  });

  it('applies every filter given: a city and a country that do not meet give nothing', async () => {
    const values = await computeIndicatorValues(handle.db, {
      cityId: programme.city.coventry,
      countryCode: 'US',
    });
    expect(values).toEqual<IndicatorValues>({
      U1: 0,
      U2: 0,
      U3: 0,
      U4: 0,
      U5: null,
      S1: 0,
      S2: 0,
      S3: 0,
      S4: 0,
      S5: null,
      N1: 0,
      N2: 0,
      N3: 0,
      N4: 0,
      N5: 0,
    });
    // Coventry and P1 together are P1 alone: E1, E7 (technical), E2
    const p1 = await computeIndicatorValues(handle.db, {
      cityId: programme.city.coventry,
      partnershipId: programme.partnership.p1,
      ...YEAR_2024,
    });
    expect([p1.U1, p1.U2, p1.S1, p1.N4]).toEqual([2, 1, 3, 5]);
  });
});
