import { formatValue } from './format.ts';

/** The figures of a reported value, as a value or a numerator over a denominator. */
export interface ReportedFigures {
  value?: number | null;
  numerator?: number | null;
  denominator?: number | null;
  indicator: { unit: string };
}

/** A reported value as people read it: "45 % (9 / 20)" for a percentage, "3" for a count. */
export function formatReported(v: ReportedFigures, locale: string): string {
  if (v.indicator.unit === 'PERCENT' && v.numerator != null && v.denominator) {
    const share = formatValue((v.numerator / v.denominator) * 100, 'PERCENT', locale);
    return `${share} (${v.numerator} / ${v.denominator})`;
  }
  return formatValue(v.value, v.indicator.unit, locale);
}
