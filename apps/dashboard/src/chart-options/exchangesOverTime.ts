import type { EChartsOption } from 'echarts';
import { comparePeriods, DRAWN_AT_ONCE, FONT_FAMILY, PALETTE, TEXT_COLOUR } from './common.ts';

export interface PeriodValue {
  period: string;
  value?: number | null;
}

export interface ExchangesOverTimeInput {
  technical: readonly PeriodValue[];
  political: readonly PeriodValue[];
  labels: { technical: string; political: string; title: string };
}

export interface ExchangesOverTimeRow {
  period: string;
  technical: number;
  political: number;
  total: number;
}

/** Joins the two series on their periods (missing values count as 0), in time order. */
export function exchangesOverTimeRows(
  input: Pick<ExchangesOverTimeInput, 'technical' | 'political'>,
): ExchangesOverTimeRow[] {
  const byPeriod = new Map<string, ExchangesOverTimeRow>();
  const row = (period: string) => {
    let r = byPeriod.get(period);
    if (!r) {
      r = { period, technical: 0, political: 0, total: 0 };
      byPeriod.set(period, r);
    }
    return r;
  };
  for (const p of input.technical) row(p.period).technical += p.value ?? 0;
  for (const p of input.political) row(p.period).political += p.value ?? 0;
  return [...byPeriod.values()]
    .map((r) => ({ ...r, total: r.technical + r.political }))
    .sort((a, b) => comparePeriods(a.period, b.period));
}

/**
 * Below this many exchanges in a period the value axis ends at 1,000 at most, and its widest
 * label ("1,000", "1.000": four digits, under 40 px at the charts' 12 px in any common UI font)
 * fits the 48 px left of the grid with its gap to the axis.
 */
const MARGIN_HOLDS_LABELS_BELOW = 1_000;

/**
 * Whether the grid's fixed margins hold every axis label, so that ECharts need not measure them.
 * Its default (`outerBoundsMode: 'auto'`) measures every label to shrink the grid when one would
 * stick out of the chart: about 30 ms in a profile of the overview, against some 200 ms for its
 * two charts.
 * The period labels ("2026-Q1") fit the bottom margin whatever their number: ECharts leaves out
 * those that would overlap.
 */
export function fitsTheMargins(rows: readonly ExchangesOverTimeRow[]): boolean {
  return rows.every((row) => row.total < MARGIN_HOLDS_LABELS_BELOW);
}

/** Stacked bars of technical and political exchanges per period. */
export function buildExchangesOverTimeOption(input: ExchangesOverTimeInput) {
  const rows = exchangesOverTimeRows(input);
  return {
    ...DRAWN_AT_ONCE,
    aria: { enabled: true, label: { description: input.labels.title } },
    color: [PALETTE[0], PALETTE[1]],
    textStyle: { fontFamily: FONT_FAMILY, color: TEXT_COLOUR },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, textStyle: { color: TEXT_COLOUR } },
    grid: {
      left: 48,
      right: 16,
      top: 40,
      bottom: 32,
      outerBoundsMode: fitsTheMargins(rows) ? 'none' : 'auto',
    },
    xAxis: {
      type: 'category',
      data: rows.map((r) => r.period),
      axisLabel: { color: TEXT_COLOUR },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: TEXT_COLOUR } },
    series: [
      {
        name: input.labels.technical,
        type: 'bar',
        stack: 'exchanges',
        data: rows.map((r) => r.technical),
      },
      {
        name: input.labels.political,
        type: 'bar',
        stack: 'exchanges',
        data: rows.map((r) => r.political),
      },
    ],
  } satisfies EChartsOption;
}
