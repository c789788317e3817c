import { encodeGlobalID } from '@pothos/plugin-relay';
import type { IndicatorCode, Scope, SeriesPoint } from '@udx/indicators/engine';
import { stringify } from 'csv-stringify/sync';
import type { Context } from '../../context.ts';
import { findGoalsOfIndicators, findIndicators } from '../indicator/indicator.repository.ts';
import type { PublicPartnershipRow } from './public.repository.ts';
import { partnershipName, publicPartnershipsOf, publicYearlySeriesOf } from './public.service.ts';

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
 * for each partnership, from approved reported values, exactly as the dashboard's yearly series
 * of the same scope (`Indicator.series`). The programme's rows come first, then each
 * partnership's, oldest partnership first.
 */
export async function openDataRows(context: Context): Promise<OpenDataRow[]> {
  const indicators = await findIndicators(context.db);
  const sdgRows = await findGoalsOfIndicators(
    context.db,
    indicators.map((row) => row.id),
  );
  const partnerships = await publicPartnershipsOf(context);
  const scopes: { scope: Scope; partnership: PublicPartnershipRow | null }[] = [
    { scope: {}, partnership: null },
    ...partnerships.map((partnership) => ({
      scope: { partnershipId: partnership.id },
      partnership,
    })),
  ];
  const rows: OpenDataRow[] = [];
  for (const { scope, partnership } of scopes) {
    const series = await publicYearlySeriesOf(context, scope);
    for (const indicator of indicators) {
      const code = indicator.code as IndicatorCode;
      const sdgs = sdgRows
        .filter((row) => row.indicator_id === indicator.id)
        .map((row) => row.number);
      for (const point of yearsOf(series.get(code))) {
        rows.push({
          indicator: code,
          indicator_name_de: indicator.name_de,
          indicator_name_en: indicator.name_en,
          goal: indicator.goal,
          unit: indicator.unit,
          sdgs,
          year: Number(point.period),
          partnership_id: partnership ? encodeGlobalID('Partnership', partnership.id) : '',
          partnership: partnership ? partnershipName(partnership) : '',
          value: point.value,
        });
      }
    }
  }
  return rows;
}

function yearsOf(points: SeriesPoint[] | undefined): SeriesPoint[] {
  return (points ?? []).filter((point) => YEAR.test(point.period));
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
