import { encodeGlobalID } from '@pothos/plugin-relay';
import type { IndicatorCode, SeriesPoint } from '@udx/indicators/engine';
import { stringify } from 'csv-stringify/sync';
import type { Context } from '../../context.ts';
import {
  findGoalsOfIndicators,
  findIndicators,
  type IndicatorRow,
} from '../indicator/indicator.repository.ts';
import type { PublicPartnershipRow } from './public.repository.ts';
import {
  partnershipName,
  publicBreakdownOfYear,
  publicPartnershipsOf,
  publicYearlySeriesOf,
} from './public.service.ts';

/** The licence of every open data file: Datenlizenz Deutschland – Namensnennung 2.0. */
export const OPEN_DATA_LICENCE = {
  id: 'dl-de/by-2-0',
  name: 'Datenlizenz Deutschland – Namensnennung – Version 2.0',
  url: 'https://www.govdata.de/dl-de/by-2-0',
} as const;

/** One value of the open data: an indicator in a year, for the programme or one partnership. */
export interface OpenDataRow {
  indicator: IndicatorCode;
  indicator_name_de: string;
  indicator_name_en: string;
  goal: string;
  unit: string;
  /** The SDGs the indicator is mapped to, e.g. `11; 17`. */
  sdgs: number[];
  year: number;
  /** The partnership's API id; empty for the programme as a whole. */
  partnership_id: string;
  /** `Bonn – Minneapolis`; empty for the programme as a whole. */
  partnership: string;
  value: number | null;
}

/** The columns of `indicators.csv`, in order: the keys of `OpenDataRow`. */
export const OPEN_DATA_COLUMNS: readonly (keyof OpenDataRow)[] = [
  'indicator',
  'indicator_name_de',
  'indicator_name_en',
  'goal',
  'unit',
  'sdgs',
  'year',
  'partnership_id',
  'partnership',
  'value',
];

/** A year of a yearly series (`2025`); quarters are not part of the open data. */
const YEAR = /^\d{4}$/;

/**
 * The open data's values: every indicator per year for the programme (empty partnership) and
 * for each partnership, from approved reported values. The programme's rows are the
 * dashboard's yearly series of the programme (`Indicator.series`); each partnership has a row
 * for each of those years, its value in that year as its own dashboard's series has it (a
 * count of 0, a percentage without a value, in the years before it began). The programme's
 * rows come first, then each partnership's, oldest partnership first.
 */
export async function openDataRows(context: Context): Promise<OpenDataRow[]> {
  const indicators = await findIndicators(context.db);
  const sdgRows = await findGoalsOfIndicators(
    context.db,
    indicators.map((row) => row.id),
  );
  const sdgsOf = (indicatorId: number) =>
    sdgRows.filter((row) => row.indicator_id === indicatorId).map((row) => row.number);
  const programme = await publicYearlySeriesOf(context, {});
  const years = [...new Set([...programme.values()].flatMap((points) => yearsOf(points)))].sort(
    (a, b) => a - b,
  );
  const valueIn = new Map<string, number | null>();
  for (const year of years) {
    for (const partnership of await publicBreakdownOfYear(context, year)) {
      for (const indicator of partnership.indicators) {
        valueIn.set(`${partnership.partnershipId}:${indicator.code}:${year}`, indicator.value);
      }
    }
  }
  const rows: OpenDataRow[] = [];
  const push = (
    indicator: IndicatorRow,
    year: number,
    partnership: PublicPartnershipRow | null,
    value: number | null,
  ) =>
    rows.push({
      indicator: indicator.code as IndicatorCode,
      indicator_name_de: indicator.name_de,
      indicator_name_en: indicator.name_en,
      goal: indicator.goal,
      unit: indicator.unit,
      sdgs: sdgsOf(indicator.id),
      year,
      partnership_id: partnership ? encodeGlobalID('Partnership', partnership.id) : '',
      partnership: partnership ? partnershipName(partnership) : '',
      value,
    });
  for (const indicator of indicators) {
    for (const point of programme.get(indicator.code as IndicatorCode) ?? []) {
      if (YEAR.test(point.period)) push(indicator, Number(point.period), null, point.value);
    }
  }
  for (const partnership of await publicPartnershipsOf(context)) {
    for (const indicator of indicators) {
      for (const year of years) {
        const value = valueIn.get(`${partnership.id}:${indicator.code}:${year}`) ?? null;
        push(indicator, year, partnership, value);
      }
    }
  }
  return rows;
}

/** The years of a yearly series. */
function yearsOf(points: readonly SeriesPoint[]): number[] {
  return points.filter((point) => YEAR.test(point.period)).map((point) => Number(point.period));
}

/** `indicators.csv`: one line per `OpenDataRow`, SDGs joined by `; `, no value as empty. */
export function openDataCsv(rows: readonly OpenDataRow[]): string {
  return stringify([
    [...OPEN_DATA_COLUMNS],
    ...rows.map((row) =>
      OPEN_DATA_COLUMNS.map((column) => {
        const cell = row[column];
        return Array.isArray(cell) ? cell.join('; ') : cell;
      }),
    ),
  ]);
}

/** The columns of an indicator's file in the Open SDG data format. */
export const OPEN_SDG_COLUMNS = ['Year', 'Units', 'Partnership', 'Value'] as const;

/**
 * One indicator's values in the Open SDG data format (as an Open SDG or SDG-Portal site reads
 * its `data/indicator_*.csv`): `Year`, `Units`, the disaggregation `Partnership` and `Value`,
 * the programme as a whole on the headline rows, whose `Partnership` is empty. Years without a
 * value (a percentage nothing was reported for) have no row.
 */
export function openSdgCsv(rows: readonly OpenDataRow[], code: IndicatorCode): string {
  const lines = rows
    .filter((row) => row.indicator === code && row.value !== null)
    .map((row) => [row.year, row.unit.toLowerCase(), row.partnership, row.value]);
  return stringify([[...OPEN_SDG_COLUMNS], ...lines]);
}
