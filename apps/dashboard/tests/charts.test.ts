import { describe, expect, it } from 'vitest';
import { comparePeriods } from '../src/chart-options/common.ts';
import {
  buildNetworkOption,
  networkColumns,
  networkHeight,
} from '../src/chart-options/departmentNetwork.ts';
import {
  buildExchangesOverTimeOption,
  exchangesOverTimeRows,
} from '../src/chart-options/exchangesOverTime.ts';
import { buildIndicatorSeriesOption } from '../src/chart-options/indicatorSeries.ts';

/** The item at `index`, failing the test when it is missing. */
function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

const labels = { title: 'Exchanges over time', technical: 'Technical', political: 'Political' };

describe('exchanges over time', () => {
  it('joins technical and political series on their periods, in time order', () => {
    const rows = exchangesOverTimeRows({
      technical: [
        { period: '2025', value: 4 },
        { period: '2024', value: 2 },
      ],
      political: [
        { period: '2026', value: 1 },
        { period: '2024', value: null },
      ],
    });
    expect(rows).toEqual([
      { period: '2024', technical: 2, political: 0, total: 2 },
      { period: '2025', technical: 4, political: 0, total: 4 },
      { period: '2026', technical: 0, political: 1, total: 1 },
    ]);
  });

  it('sorts quarters numerically', () => {
    expect(['2025-Q4', '2024-Q2', '2025-Q1'].sort(comparePeriods)).toEqual([
      '2024-Q2',
      '2025-Q1',
      '2025-Q4',
    ]);
  });

  it('builds stacked bars with one category per period', () => {
    const option = buildExchangesOverTimeOption({
      technical: [{ period: '2025-Q1', value: 3 }],
      political: [{ period: '2025-Q2', value: 2 }],
      labels,
    });
    expect(option.xAxis.data).toEqual(['2025-Q1', '2025-Q2']);
    expect(option.series.map((s) => [s.name, s.type, s.stack, s.data])).toEqual([
      ['Technical', 'bar', 'exchanges', [3, 0]],
      ['Political', 'bar', 'exchanges', [0, 2]],
    ]);
    expect(option.aria.enabled).toBe(true);
  });

  it('lays the grid out by its margins unless a period holds labels too wide for them', () => {
    const periods = (technical: number) =>
      buildExchangesOverTimeOption({
        technical: [{ period: '2025', value: technical }],
        political: [{ period: '2026', value: 900 }],
        labels,
      }).grid.outerBoundsMode;
    expect(periods(12)).toBe('none');
    expect(periods(999)).toBe('none');
    // from 1,000 in a period (the national data's quarters hold 10,000) ECharts measures them
    expect(periods(1_000)).toBe('auto');
  });

  it('draws nothing for no data', () => {
    const option = buildExchangesOverTimeOption({ technical: [], political: [], labels });
    expect(option.xAxis.data).toEqual([]);
    expect(option.series.every((s) => s.data.length === 0)).toBe(true);
  });
});

describe('indicator series', () => {
  const seriesLabels = { title: 'U5', value: 'Value', target: 'Target', baseline: 'Baseline' };

  it('draws value, target and baseline when present', () => {
    const option = buildIndicatorSeriesOption({
      unit: 'PERCENT',
      labels: seriesLabels,
      points: [
        { period: '2026', value: 70, target: 80, baseline: 50 },
        { period: '2025', value: 60, target: 75, baseline: 50 },
      ],
    });
    expect(option.xAxis.data).toEqual(['2025', '2026']);
    expect(option.series.map((s) => s.name)).toEqual(['Value', 'Target', 'Baseline']);
    expect(option.series[0]?.data).toEqual([60, 70]);
    expect(option.series[1]?.data).toEqual([75, 80]);
    expect(option.yAxis).toMatchObject({ min: 0, max: 100 });
  });

  it('leaves out target and baseline lines that have no values, and keeps gaps', () => {
    const option = buildIndicatorSeriesOption({
      unit: 'COUNT',
      labels: seriesLabels,
      points: [
        { period: '2024', value: 1 },
        { period: '2025', value: null },
      ],
    });
    expect(option.series.map((s) => s.name)).toEqual(['Value']);
    expect(option.series[0]?.data).toEqual([1, null]);
    expect(option.yAxis).toMatchObject({ min: 0, minInterval: 1 });
  });

  it('draws the quarters of a short period as bars', () => {
    const option = buildIndicatorSeriesOption({
      unit: 'COUNT',
      labels: seriesLabels,
      bars: true,
      points: [
        { period: '2026-Q2', value: 3 },
        { period: '2026-Q1', value: 1 },
        { period: '2026-Q3', value: 0 },
        { period: '2026-Q4', value: null },
      ],
    });
    expect(option.xAxis.data).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    expect(option.series).toHaveLength(1);
    expect(option.series[0]).toMatchObject({ type: 'bar', data: [1, 3, 0, null] });
  });
});

describe('department network', () => {
  const bonn = { id: 'bonn', name: 'Bonn' };
  const boston = { id: 'boston', name: 'Boston' };
  const oxford = { id: 'oxford', name: 'Oxford' };
  const env = { id: 'd1', name: 'Environment Agency', type: 'ENVIRONMENT', city: bonn };
  const intl = { id: 'd2', name: 'International Office', type: 'INTERNATIONAL_OFFICE', city: bonn };
  const climate = { id: 'd3', name: 'Climate Office', type: 'CLIMATE_PROTECTION', city: boston };
  const idle = { id: 'd4', name: 'Culture', type: 'CULTURE', city: boston };
  const water = { id: 'd5', name: 'Water', type: 'WATER', city: oxford };

  it('draws a node per department, a category per city and the server’s links with their exchange counts', () => {
    const option = buildNetworkOption({
      title: 'Network',
      departments: [env, intl, climate, idle],
      links: [
        { germanDepartment: env, partnerDepartment: climate, exchangeCount: 7 },
        { germanDepartment: intl, partnerDepartment: climate, exchangeCount: 1 },
      ],
    });
    const graph = at(option.series, 0);
    expect(graph.type).toBe('graph');
    expect(graph.categories).toEqual([{ name: 'Bonn' }, { name: 'Boston' }]);
    // German departments in the left column, named on the left; the partner's on the right
    expect(graph.data).toEqual([
      {
        id: 'd1',
        name: 'Environment Agency',
        category: 0,
        x: 0,
        y: -0.5,
        label: { position: 'left' },
      },
      {
        id: 'd2',
        name: 'International Office',
        category: 0,
        x: 0,
        y: 0.5,
        label: { position: 'left' },
      },
      {
        id: 'd3',
        name: 'Climate Office',
        category: 1,
        x: 1,
        y: -0.5,
        label: { position: 'right' },
      },
      { id: 'd4', name: 'Culture', category: 1, x: 1, y: 0.5, label: { position: 'right' } },
    ]);
    // the server's order and figures, the width capped for the picture only
    expect(graph.links).toEqual([
      { source: 'd1', target: 'd3', value: 7, lineStyle: { width: 6 } },
      { source: 'd2', target: 'd3', value: 1, lineStyle: { width: 2 } },
    ]);
    expect(option.legend.data).toEqual(['Bonn', 'Boston']);
  });

  it('gives every department a row of its own, and long names the room beside their column', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      ...idle,
      id: `p${i}`,
      name: `Partner ${i}`,
    }));
    const input = {
      departments: [{ ...env, city: { ...bonn, countryCode: 'DE' } }, ...many],
      links: [],
    };
    // 12 rows of 26 px between the legend's 56 px and 24 px below
    expect(networkHeight(input)).toBe(56 + 24 + 12 * 26);
    expect(networkHeight({ departments: [env], links: [] })).toBe(240);
    const wide = at(buildNetworkOption({ title: 'N', ...input }).series, 0);
    const phone = at(buildNetworkOption({ title: 'N', ...input, narrow: true }).series, 0);
    expect(wide.label).toMatchObject({ width: 198, overflow: 'truncate' });
    expect(phone.label).toMatchObject({ width: 106, overflow: 'truncate' });
    expect([phone.left, phone.right]).toEqual([118, 118]);
  });

  it('puts a department without links on the side of its city’s country', () => {
    const columns = networkColumns({
      departments: [
        { ...climate, city: { ...boston, countryCode: 'US' } },
        { ...env, city: { ...bonn, countryCode: 'DE' } },
      ],
      links: [],
    });
    expect(columns.german.map((d) => d.id)).toEqual(['d1']);
    expect(columns.partner.map((d) => d.id)).toEqual(['d3']);
  });

  it('counts nothing itself: a link once per server row, nodes all one size', () => {
    const option = buildNetworkOption({
      title: 'N',
      departments: [env, climate],
      links: [{ germanDepartment: env, partnerDepartment: climate, exchangeCount: 3 }],
    });
    const graph = at(option.series, 0);
    expect(graph.links).toHaveLength(1);
    expect(graph.symbolSize).toBe(14);
    for (const node of graph.data) {
      expect(node).not.toHaveProperty('value');
      expect(node).not.toHaveProperty('symbolSize');
    }
  });

  it('adds partner departments that only appear in links (another city’s), once each', () => {
    const option = buildNetworkOption({
      title: 'N',
      departments: [env, intl],
      links: [
        { germanDepartment: env, partnerDepartment: water, exchangeCount: 2 },
        { germanDepartment: intl, partnerDepartment: water, exchangeCount: 1 },
      ],
    });
    const graph = at(option.series, 0);
    expect(graph.data.map((n) => n.id)).toEqual(['d1', 'd2', 'd5']);
    expect(graph.categories).toEqual([{ name: 'Bonn' }, { name: 'Oxford' }]);
  });

  it('draws the departments without links when the period has none', () => {
    const option = buildNetworkOption({ title: 'N', departments: [env, idle], links: [] });
    const graph = at(option.series, 0);
    expect(graph.data.map((n) => n.id)).toEqual(['d1', 'd4']);
    expect(graph.links).toEqual([]);
  });
});
