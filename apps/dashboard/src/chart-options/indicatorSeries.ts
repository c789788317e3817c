import type { EChartsOption } from 'echarts';
import { comparePeriods, FONT_FAMILY, PALETTE, TEXT_COLOUR } from './common.ts';

export interface IndicatorSeriesPoint {
  period: string;
  value?: number | null;
  baseline?: number | null;
  target?: number | null;
}

export interface IndicatorSeriesInput {
  points: readonly IndicatorSeriesPoint[];
  unit: 'COUNT' | 'PERCENT' | string;
  labels: { title: string; value: string; target: string; baseline: string };
  /**
   * Bars per period instead of a line: for the quarters of a year or less, where a line would
   * join periods that are each counted on their own. Quarters have no targets, so bars come
   * alone.
   */
  bars?: boolean;
  /**
   * Draws the final picture at once: for a page printed as soon as it shows (the report), where
   * an animation would leave the chart half drawn.
   */
  animation?: boolean;
}

/**
 * A line of the indicator's values against its target (dashed) and baseline (dotted), or, for
 * the quarters of a short period, bars of its values.
 */
export function buildIndicatorSeriesOption(input: IndicatorSeriesInput) {
  const points = [...input.points].sort((a, b) => comparePeriods(a.period, b.period));
  const bars = input.bars === true;
  const hasTarget = !bars && points.some((p) => p.target !== null && p.target !== undefined);
  const hasBaseline = !bars && points.some((p) => p.baseline !== null && p.baseline !== undefined);
  const percent = input.unit === 'PERCENT';
  const values = points.map((p) => p.value ?? null);
  const series: NonNullable<EChartsOption['series']> = [
    bars
      ? { name: input.labels.value, type: 'bar', data: values, barMaxWidth: 48 }
      : {
          name: input.labels.value,
          type: 'line',
          data: values,
          connectNulls: true,
          symbolSize: 8,
          lineStyle: { width: 3 },
        },
  ];
  if (hasTarget) {
    series.push({
      name: input.labels.target,
      type: 'line',
      data: points.map((p) => p.target ?? null),
      symbol: 'diamond',
      symbolSize: 8,
      lineStyle: { type: 'dashed', width: 2 },
    });
  }
  if (hasBaseline) {
    series.push({
      name: input.labels.baseline,
      type: 'line',
      data: points.map((p) => p.baseline ?? null),
      symbol: 'rect',
      symbolSize: 6,
      lineStyle: { type: 'dotted', width: 2 },
    });
  }
  return {
    animation: input.animation ?? true,
    aria: { enabled: true, label: { description: input.labels.title } },
    color: [PALETTE[0], PALETTE[4], PALETTE[2]],
    textStyle: { fontFamily: FONT_FAMILY, color: TEXT_COLOUR },
    tooltip: { trigger: 'axis', ...(bars ? { axisPointer: { type: 'shadow' } } : {}) },
    legend: { top: 0, textStyle: { color: TEXT_COLOUR } },
    grid: { left: 56, right: 16, top: 40, bottom: 32 },
    xAxis: {
      type: 'category',
      data: points.map((p) => p.period),
      axisLabel: { color: TEXT_COLOUR },
    },
    yAxis: {
      type: 'value',
      min: 0,
      ...(percent ? { max: 100 } : { minInterval: 1 }),
      axisLabel: { color: TEXT_COLOUR, formatter: percent ? '{value} %' : '{value}' },
    },
    series,
  } satisfies EChartsOption;
}
