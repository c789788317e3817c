import type { DatabaseHandle } from '@udx/db/database';
import { createTestDatabase, testEngines } from '@udx/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSeries, computeSeriesOf, type SeriesPoint } from '../src/engine.ts';
import { fixtureBuilder } from './fixture.ts';
import { type Programme, seedProgramme } from './programme.ts';

/** Time series of the programme in `programme.ts`, computed by hand. */

const YEAR_2024 = { from: '2024-01-01', to: '2024-12-31' };
const MID_2024 = '2024-07-01';

const point = (
  period: string,
  value: number | null,
  target: number | null = null,
  baseline: number | null = null,
): SeriesPoint => ({ period, value, baseline, target });

describe.each(testEngines())('series on %s', (engine) => {
  let handle: DatabaseHandle;
  let programme: Programme;
  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    programme = await seedProgramme(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('by year from the first activity to the last, with the targets of each year', async () => {
    // activity from E6 (2022-06-01) to O6 (2025-03-01), later than today
    const series = await computeSeries(handle.db, 'U1', {}, 'YEAR', { today: MID_2024 });
    expect(series).toEqual([
      // E6 is political
      point('2022', 0),
      point('2023', 0),
      // E1, E7, E3, E4 against 8 from 2
      point('2024', 4, 8, 2),
      // E5 against 10
      point('2025', 1, 10),
    ]);
  });

  it('by year for a percentage: pooled per year, null without respondents', async () => {
    const series = await computeSeries(handle.db, 'U5', {}, 'YEAR', { today: MID_2024 });
    expect(series.map((p) => p.period)).toEqual(['2022', '2023', '2024', '2025']);
    expect(series[0]?.value).toBeNull();
    // Frankfurt 8/8
    expect(series[1]?.value).toBeCloseTo(100, 6);
    // 49/70
    expect(series[2]?.value).toBeCloseTo(70, 6);
    expect(series[2]?.target).toBe(80);
    expect(series[3]?.value).toBeNull();
  });

  it('by quarter within the period, without targets', async () => {
    expect(await computeSeries(handle.db, 'U1', YEAR_2024, 'QUARTER')).toEqual([
      // E1, E7
      point('2024-Q1', 2),
      // E3
      point('2024-Q2', 1),
      // only E2, political
      point('2024-Q3', 0),
      // E4
      point('2024-Q4', 1),
    ]);
    const u5 = await computeSeries(handle.db, 'U5', YEAR_2024, 'QUARTER');
    // quarterly values only: Dresden Q2 10/20, Philadelphia Q4 9/10; Coventry's yearly
    // 30/40 is in no quarter
    expect(u5.map((p) => p.value)).toEqual([
      null,
      expect.closeTo(50, 6),
      null,
      expect.closeTo(90, 6),
    ]);
    // distinct within each quarter: E1 and E7 share dEnv–cPlan
    const n4 = await computeSeries(handle.db, 'N4', YEAR_2024, 'QUARTER');
    expect(n4.map((p) => p.value)).toEqual([4, 2, 1, 1]);
  });

  it('shows a yearly value or the aggregate of quarterly ones in a year, and quarters only by quarter', async () => {
    // Kiel reports N5 per quarter in 2025 (1, 2, 0, 3), Coventry once for the year (5)
    const add = fixtureBuilder(handle.db);
    const quarters: [number, number][] = [
      [1, 1],
      [2, 2],
      [3, 0],
      [4, 3],
    ];
    for (const [quarter, value] of quarters) {
      await add.reported({
        indicator: 'N5',
        cityId: programme.city.kiel,
        year: 2025,
        quarter,
        value,
        status: 'APPROVED',
      });
    }
    await add.reported({
      indicator: 'N5',
      cityId: programme.city.coventry,
      year: 2025,
      value: 5,
      status: 'APPROVED',
    });
    const year2025 = { from: '2025-01-01', to: '2025-12-31' };
    // the year: 6 of Kiel's quarters summed, 5 of Coventry's year
    expect(await computeSeries(handle.db, 'N5', year2025, 'YEAR')).toEqual([point('2025', 11)]);
    // the quarters: Kiel's only
    const byQuarter = await computeSeries(handle.db, 'N5', year2025, 'QUARTER');
    expect(byQuarter.map((p) => [p.period, p.value])).toEqual([
      ['2025-Q1', 1],
      ['2025-Q2', 2],
      ['2025-Q3', 0],
      ['2025-Q4', 3],
    ]);
    // a series from April: the cut year 2025 holds Kiel's Q2–Q4 but not Coventry's year
    const fromApril = await computeSeries(
      handle.db,
      'N5',
      { ...year2025, from: '2025-04-01' },
      'YEAR',
    );
    expect(fromApril).toEqual([point('2025', 5)]);
    await handle.db
      .deleteFrom('reported_value')
      .where('year', '=', 2025)
      .where('indicator_id', '=', (eb) =>
        eb.selectFrom('indicator').select('id').where('code', '=', 'N5'),
      )
      .execute();
  });

  it('computes the series of several indicators in one statement, each as alone', async () => {
    const codes = ['U1', 'U5', 'N4'] as const;
    const together = await computeSeriesOf(handle.db, codes, YEAR_2024, 'QUARTER');
    for (const code of codes) {
      expect(together.get(code)).toEqual(
        await computeSeries(handle.db, code, YEAR_2024, 'QUARTER'),
      );
    }
    const years = await computeSeriesOf(handle.db, codes, {}, 'YEAR', { today: MID_2024 });
    expect(years.get('U1')).toEqual(
      await computeSeries(handle.db, 'U1', {}, 'YEAR', { today: MID_2024 }),
    );
  });

  it('cuts the first period at `from`', async () => {
    const series = await computeSeries(handle.db, 'S1', { from: '2024-04-01' }, 'YEAR', {
      today: MID_2024,
    });
    expect(series).toEqual([
      // April to December: E3 kClimate cPlan cWaste, E4 fMobility phMobility (E2 only offices)
      point('2024', 5),
      // E5 fMobility fMayor phMobility
      point('2025', 3),
    ]);
  });

  it('for one partnership, against its own targets; for a country, against none', async () => {
    const p1 = await computeSeries(
      handle.db,
      'U1',
      { partnershipId: programme.partnership.p1 },
      'YEAR',
      { today: MID_2024 },
    );
    // E1, E7 against P1's 3 from 1; 2025 (O6) has no P1 target and the programme's is not P1's
    expect(p1).toEqual([point('2024', 2, 3, 1), point('2025', 0)]);
    const gb = await computeSeries(handle.db, 'U1', { countryCode: 'GB' }, 'YEAR', {
      today: MID_2024,
    });
    expect(gb).toEqual([point('2024', 3), point('2025', 0)]);
  });

  it('is empty without activity and without `from`; zero over a given empty period', async () => {
    const nothing = { cityId: programme.city.coventry, countryCode: 'US' };
    expect(await computeSeries(handle.db, 'U1', nothing, 'YEAR', { today: MID_2024 })).toEqual([]);
    const quarters = await computeSeries(handle.db, 'S4', { ...nothing, ...YEAR_2024 }, 'QUARTER');
    expect(quarters.map((p) => [p.period, p.value])).toEqual([
      ['2024-Q1', 0],
      ['2024-Q2', 0],
      ['2024-Q3', 0],
      ['2024-Q4', 0],
    ]);
  });

  it('counts submitted values when asked to', async () => {
    const series = await computeSeries(handle.db, 'N5', YEAR_2024, 'YEAR', {
      reportedStatuses: ['APPROVED', 'SUBMITTED'],
    });
    expect(series).toEqual([point('2024', 7)]);
  });
});
