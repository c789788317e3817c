import type { ServerResponse } from 'node:http';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  computeGoalSummaries,
  computeSeriesOf,
  type IndicatorGoalSummary,
  type SeriesPoint,
} from '@udx/indicators/engine';
import { INDICATOR_CODES, type IndicatorCode } from '@udx/indicators/rules';
import { GraphQLError } from 'graphql';
import type { Context, Language } from '../../context.ts';
import { accessOf } from '../city/city.access.ts';
import { type Figures, figuresFor } from '../dashboard/dashboard.service.ts';
import {
  findDepartmentsOfExchanges,
  findExchangesInScope,
  findSdgGoalsOfExchanges,
  findSdgTargetsOfExchanges,
  findTopicsOfExchanges,
} from '../exchange/exchange.repository.ts';
import { COLUMN_NAMES, COLUMNS } from '../import/import.columns.ts';
import { findVisibleCities } from '../import/import.repository.ts';
import { findIndicators, type IndicatorRow } from '../indicator/indicator.repository.ts';
import { findOutcomesInScope, findSdgTargetsOfOutcomes } from '../outcome/outcome.repository.ts';
import { valueReachOf } from '../reported-value/reported-value.service.ts';
import type { ExportRequest } from './export.params.ts';
import {
  type ExportPartnershipRow,
  findCityNames,
  findExchangeTitles,
  findPartnershipsOfExport,
  findValuesOfExport,
} from './export.repository.ts';
import { type ExportWords, exportWords } from './words.ts';

/** A cell of an exported table: text, a number, or empty. Dates are `YYYY-MM-DD` texts. */
export type Cell = string | number | null;

export interface ExportColumn {
  header: string;
  /** How a spreadsheet shows it: a ratio as a percentage, a date as a date. */
  kind: 'text' | 'number' | 'ratio' | 'date';
}

/** One table of an export: a CSV file, or a sheet of a workbook. */
export interface ExportTable {
  sheetName: string;
  columns: ExportColumn[];
  /** The rows, produced page by page as they are written, never all in memory at once. */
  rows: () => AsyncIterable<Cell[]>;
}

/** What every table of one export is computed from. */
export interface ExportSource {
  context: Context;
  /** The scope after the viewer's rights, and the reported values that count. */
  figures: Figures;
  language: Language;
  words: ExportWords;
  /** The scope as named in file names (see `exportFileName`); null for the whole programme. */
  scopeName: string | null;
}

/** Rows read from the database at once for the lists of exchanges, outcomes and values. */
const PAGE_SIZE = 500;

/** A list query's rows page by page, until a page comes back short: a file never holds all. */
async function* pagesOf<T>(
  find: (page: { limit: number; offset: number }) => Promise<T[]>,
): AsyncGenerator<T[]> {
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await find({ limit: PAGE_SIZE, offset });
    yield page;
    if (page.length < PAGE_SIZE) return;
  }
}

/** Joins the names of a record's links into one cell. */
const LIST_SEPARATOR = '; ';

/**
 * Opens an export for a request: a signed-in viewer (else 401) and the scope it may see, by the
 * dashboard's own rule (`figuresFor`): a city account's scope is its own city, another city's
 * partnership or city is refused (FORBIDDEN), an unknown one is NOT_FOUND, as `Query.dashboard`
 * answers. Every export, lists included, covers exactly the dashboard's scope.
 */
export async function openExport(context: Context, request: ExportRequest): Promise<ExportSource> {
  if (!context.viewer) {
    throw new GraphQLError('Sign in to export figures', {
      extensions: { code: 'UNAUTHENTICATED' },
    });
  }
  const figures = await figuresFor(context, request.scope, false);
  return {
    context,
    figures,
    language: request.language,
    words: exportWords(request.language),
    scopeName: await scopeNameOf(context, request.scope),
  };
}

/**
 * What the scope asked for is called in a file name: its partnership's cities, its city or its
 * country (`bonn-minneapolis`, `koeln`, `us`); null for the whole programme. Read after
 * `figuresFor` has let the viewer see it.
 */
async function scopeNameOf(context: Context, scope: Figures['scope']): Promise<string | null> {
  if (scope.partnershipId != null) {
    const [row] = await findPartnershipsOfExport(
      context.db,
      { partnershipId: scope.partnershipId },
      accessOf(context),
    );
    return row ? fileNamePart(`${row.german_city}-${row.partner_city}`) : null;
  }
  if (scope.cityId != null) {
    const name = (await findCityNames(context.db, [scope.cityId])).get(scope.cityId);
    return name ? fileNamePart(name) : null;
  }
  return scope.countryCode ? scope.countryCode.toLowerCase() : null;
}

/** A name as plain ASCII for a file name: Köln → koeln, Saint-Étienne → saint-etienne. */
function fileNamePart(name: string): string {
  return name
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The catalogue text of an indicator in the export's language. */
function indicatorName(row: IndicatorRow, language: Language): string {
  return language === 'de' ? row.name_de : row.name_en;
}

/**
 * The indicators of the scope as the dashboard shows them (the same engine calls with the same
 * scope and counted values as `Dashboard.goals` and `Indicator.series`): one row per indicator
 * with its value, target, progress and status, and its value per year of the series; and the
 * series itself, one row per indicator and year with that year's baseline and target.
 */
export async function indicatorTables(
  source: ExportSource,
): Promise<{ indicators: ExportTable; series: ExportTable }> {
  const { context, figures, words, language } = source;
  const options = { reportedStatuses: figures.reportedStatuses };
  const [goals, series, rows] = await Promise.all([
    computeGoalSummaries(context.db, figures.scope, options),
    computeSeriesOf(context.db, INDICATOR_CODES, figures.scope, 'YEAR', options),
    findIndicators(context.db),
  ]);
  const byCode = new Map(rows.map((row) => [row.code, row]));
  const summaries = goals.flatMap((goal) => goal.indicators);
  const years = [...new Set([...series.values()].flatMap((points) => points.map((p) => p.period)))]
    .sort()
    .filter((period) => /^\d{4}$/.test(period));
  const pointsOf = (code: IndicatorCode): Map<string, SeriesPoint> =>
    new Map((series.get(code) ?? []).map((point) => [point.period, point]));
  const c = words.column;

  const indicatorRow = (summary: IndicatorGoalSummary): Cell[] => {
    const row = byCode.get(summary.code);
    const points = pointsOf(summary.code);
    return [
      summary.code,
      row ? indicatorName(row, language) : summary.code,
      words.goal[summary.goal],
      words.unit[summary.unit],
      summary.value,
      summary.year,
      summary.yearValue,
      summary.baseline,
      summary.target,
      summary.progress,
      words.status[summary.status],
      ...years.map((year) => points.get(year)?.value ?? null),
    ];
  };
  const indicators: ExportTable = {
    sheetName: words.sheet.indicators,
    columns: [
      { header: c.code, kind: 'text' },
      { header: c.name, kind: 'text' },
      { header: c.goal, kind: 'text' },
      { header: c.unit, kind: 'text' },
      { header: c.value, kind: 'number' },
      { header: c.year, kind: 'number' },
      { header: c.yearValue, kind: 'number' },
      { header: c.baseline, kind: 'number' },
      { header: c.target, kind: 'number' },
      { header: c.progress, kind: 'ratio' },
      { header: c.status, kind: 'text' },
      ...years.map((year) => ({ header: year, kind: 'number' as const })),
    ],
    rows: async function* () {
      for (const summary of summaries) yield indicatorRow(summary);
    },
  };
  const seriesTable: ExportTable = {
    sheetName: words.sheet.series,
    columns: [
      { header: c.code, kind: 'text' },
      { header: c.name, kind: 'text' },
      { header: c.period, kind: 'number' },
      { header: c.value, kind: 'number' },
      { header: c.baseline, kind: 'number' },
      { header: c.target, kind: 'number' },
    ],
    rows: async function* () {
      for (const summary of summaries) {
        const row = byCode.get(summary.code);
        for (const point of series.get(summary.code) ?? []) {
          yield [
            summary.code,
            row ? indicatorName(row, language) : summary.code,
            Number(point.period),
            point.value,
            point.baseline,
            point.target,
          ];
        }
      }
    },
  };
  return { indicators, series: seriesTable };
}

/** "Bonn – Minneapolis": a partnership as people name it. */
export function partnershipLabel(row: ExportPartnershipRow): string {
  return `${row.german_city} – ${row.partner_city}`;
}

async function partnershipLabels(source: ExportSource): Promise<Map<number, string>> {
  const rows = await findPartnershipsOfExport(
    source.context.db,
    source.figures.scope,
    accessOf(source.context),
  );
  return new Map(rows.map((row) => [row.id, partnershipLabel(row)]));
}

/** Groups link rows by their record, in their order, as one cell each. */
function cellsByRecord<Row>(
  rows: readonly Row[],
  recordOf: (row: Row) => number,
  textOf: (row: Row) => string,
): Map<number, string> {
  const lists = new Map<number, string[]>();
  for (const row of rows) {
    const id = recordOf(row);
    lists.set(id, [...(lists.get(id) ?? []), textOf(row)]);
  }
  return new Map([...lists].map(([id, texts]) => [id, texts.join(LIST_SEPARATOR)]));
}

/**
 * The exchanges of the scope, latest first, as `Query.exchanges` lists them (the same
 * repository query, page by page), with their departments, topics, SDG targets and SDGs.
 */
export function exchangesTable(source: ExportSource): ExportTable {
  const { context, figures, words, language } = source;
  const c = words.column;
  return {
    sheetName: words.sheet.exchanges,
    columns: [
      { header: c.id, kind: 'text' },
      { header: c.partnership, kind: 'text' },
      { header: c.kind, kind: 'text' },
      { header: c.format, kind: 'text' },
      { header: c.title, kind: 'text' },
      { header: c.startsOn, kind: 'date' },
      { header: c.endsOn, kind: 'date' },
      { header: c.hostCity, kind: 'text' },
      { header: c.participants, kind: 'number' },
      { header: c.governanceLevels, kind: 'text' },
      { header: c.departments, kind: 'text' },
      { header: c.topics, kind: 'text' },
      { header: c.sdgTargets, kind: 'text' },
      { header: c.sdgs, kind: 'text' },
    ],
    rows: async function* () {
      const db = context.db;
      const access = accessOf(context);
      const labels = await partnershipLabels(source);
      for await (const page of pagesOf((paging) =>
        findExchangesInScope(db, figures.scope, access, paging),
      )) {
        const ids = page.map((row) => row.id);
        const [departments, topics, targets, goals, hosts] = await Promise.all([
          findDepartmentsOfExchanges(db, ids),
          findTopicsOfExchanges(db, ids),
          findSdgTargetsOfExchanges(db, ids),
          findSdgGoalsOfExchanges(db, ids),
          findCityNames(db, [...new Set(page.map((row) => row.host_city_id))]),
        ]);
        const departmentCells = cellsByRecord(
          departments,
          (r) => r.exchange_id,
          (r) => r.name,
        );
        const topicCells = cellsByRecord(
          topics,
          (r) => r.exchange_id,
          (r) => (language === 'de' ? r.name_de : r.name_en),
        );
        const targetCells = cellsByRecord(
          targets,
          (r) => r.exchange_id,
          (r) => r.code,
        );
        const goalCells = cellsByRecord(
          goals,
          (r) => r.exchange_id,
          (r) => String(r.number),
        );
        for (const row of page) {
          yield [
            encodeGlobalID('Exchange', row.id),
            labels.get(row.partnership_id) ?? null,
            words.exchangeKind[row.kind],
            words.exchangeFormat[row.format],
            row.title,
            row.starts_on,
            row.ends_on,
            hosts.get(row.host_city_id) ?? null,
            row.participant_count,
            row.governance_levels.map((level) => words.governanceLevel[level]).join(LIST_SEPARATOR),
            departmentCells.get(row.id) ?? null,
            topicCells.get(row.id) ?? null,
            targetCells.get(row.id) ?? null,
            goalCells.get(row.id) ?? null,
          ];
        }
      }
    },
  };
}

/** The outcomes of the scope, latest first, as `Query.outcomes` lists them, page by page. */
export function outcomesTable(source: ExportSource): ExportTable {
  const { context, figures, words } = source;
  const c = words.column;
  return {
    sheetName: words.sheet.outcomes,
    columns: [
      { header: c.id, kind: 'text' },
      { header: c.partnership, kind: 'text' },
      { header: c.kind, kind: 'text' },
      { header: c.outcomeStatus, kind: 'text' },
      { header: c.title, kind: 'text' },
      { header: c.description, kind: 'text' },
      { header: c.date, kind: 'date' },
      { header: c.exchange, kind: 'text' },
      { header: c.sdgTargets, kind: 'text' },
    ],
    rows: async function* () {
      const db = context.db;
      const access = accessOf(context);
      const labels = await partnershipLabels(source);
      for await (const page of pagesOf((paging) =>
        findOutcomesInScope(db, figures.scope, access, paging),
      )) {
        const ids = page.map((row) => row.id);
        const exchangeIds = page.flatMap((row) =>
          row.exchange_id === null ? [] : [row.exchange_id],
        );
        const [targets, exchanges] = await Promise.all([
          findSdgTargetsOfOutcomes(db, ids),
          findExchangeTitles(db, [...new Set(exchangeIds)]),
        ]);
        const targetCells = cellsByRecord(
          targets,
          (r) => r.outcome_id,
          (r) => r.code,
        );
        for (const row of page) {
          yield [
            encodeGlobalID('Outcome', row.id),
            labels.get(row.partnership_id) ?? null,
            words.outcomeKind[row.kind],
            words.outcomeStatus[row.status],
            row.title,
            row.description,
            row.date,
            row.exchange_id === null ? null : (exchanges.get(row.exchange_id) ?? null),
            targetCells.get(row.id) ?? null,
          ];
        }
      }
    },
  };
}

/**
 * A number as the import reads it back to the same number (README, "Import"): '.' as decimal
 * point and every digit needed, never an exponent; a fraction of exactly three digits gets a
 * fourth zero, since the import refuses `1.125` as a possible thousands separator but reads
 * `1.1250` as 1.125.
 */
function importableNumber(value: number): string {
  let text = String(value);
  const exponent = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (exponent) {
    const [, sign, first, rest = '', power] = exponent;
    const digits = `${first}${rest}`;
    const point = 1 + Number(power);
    text =
      point <= 0
        ? `${sign}0.${'0'.repeat(-point)}${digits}`
        : `${sign}${digits.padEnd(point, '0')}`;
  }
  return /\.\d{3}$/.test(text) ? `${text}0` : text;
}

/**
 * The reported values of the scope and period in the import's columns (README, "Import"), so
 * that the file imported again by the same account changes nothing: headers in the export's
 * language, the city by name or, where the viewer reads two cities of that name, by its id, as
 * the import resolves it; then each value's status, a column the import ignores. In CSV the
 * numbers are written as the import reads them back exactly (`importableNumber`), in a
 * workbook as number cells.
 */
export function valuesTable(source: ExportSource, format: 'csv' | 'xlsx'): ExportTable {
  const { context, figures, words, language } = source;
  const number = (cell: string | number | null): Cell => {
    if (cell === null) return null;
    const value = Number(cell);
    return format === 'csv' ? importableNumber(value) : value;
  };
  return {
    sheetName: words.sheet.values,
    columns: [
      ...COLUMNS.map(
        (column): ExportColumn => ({
          header: COLUMN_NAMES[language][column],
          kind:
            column === 'indicator' || column === 'city' || column === 'note' ? 'text' : 'number',
        }),
      ),
      { header: words.column.status, kind: 'text' },
    ],
    rows: async function* () {
      const db = context.db;
      const access = accessOf(context);
      const reach = valueReachOf(context.viewer);
      // a name the viewer reads twice would be ambiguous to the import: such cities go by id
      const namesRead = new Map<string, number>();
      for (const city of await findVisibleCities(db)) {
        const key = city.name.normalize('NFC').trim().toLowerCase();
        namesRead.set(key, (namesRead.get(key) ?? 0) + 1);
      }
      const cityCell = (id: number, name: string) =>
        (namesRead.get(name.normalize('NFC').trim().toLowerCase()) ?? 0) === 1
          ? name
          : encodeGlobalID('City', id);
      for await (const page of pagesOf((paging) =>
        findValuesOfExport(db, figures.scope, access, reach, paging),
      )) {
        for (const row of page) {
          yield [
            row.indicator_code,
            cityCell(row.city_id, row.city_name),
            row.year,
            row.quarter,
            number(row.value),
            number(row.numerator),
            number(row.denominator),
            row.note,
            words.valueStatus[row.status],
          ];
        }
      }
    },
  };
}

/**
 * The file name of an export: `udx-<what>[-<scope>][-<period>].<ext>`, the scope by name, the
 * period as its year when it is one calendar year (`udx-indicators-koeln-liverpool-2026.csv`),
 * else its first and last day; the whole programme and all time add nothing.
 */
export function exportFileName(source: ExportSource, what: string, extension: string): string {
  const { from, to } = source.figures.scope;
  let period = '';
  if (from && to && from.endsWith('-01-01') && to.endsWith('-12-31')) {
    const [first, last] = [from.slice(0, 4), to.slice(0, 4)];
    period = first === last ? `-${first}` : `-${first}-${last}`;
  } else if (from || to) {
    period = `-${from ?? ''}_${to ?? ''}`;
  }
  const scope = source.scopeName ? `-${source.scopeName}` : '';
  return `udx-${what}${scope}${period}.${extension}`;
}

/**
 * The rows of a table with the first already read: an error in the first page (a database
 * fault, the deadline) is still answered as an error, before the file's head goes out.
 */
export async function primedRows(table: ExportTable): Promise<AsyncIterable<Cell[]>> {
  const iterator = table.rows()[Symbol.asyncIterator]();
  const first = await iterator.next();
  return {
    [Symbol.asyncIterator]: async function* () {
      if (first.done) return;
      yield first.value;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        yield next.value;
      }
    },
  };
}

/** The headers of a file to download under `fileName` (ASCII: see `exportFileName`). */
export function downloadHeaders(contentType: string, fileName: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Disposition': `attachment; filename="${fileName}"`,
    // figures of a viewer's scope: never kept by a shared cache
    'Cache-Control': 'no-store',
  };
}

/** The error that ends an export whose client went away: nothing is left to answer. */
class ClientGoneError extends Error {
  constructor() {
    super('The client closed the connection before the file was complete');
  }
}

/**
 * Waits until the client has taken what was written so far, so that a slow client holds the
 * database reads back rather than filling the server's memory. Throws when the client went
 * away: a destroyed response never drains, and the export must end its transaction.
 */
export async function drained(response: ServerResponse): Promise<void> {
  if (response.destroyed) throw new ClientGoneError();
  if (!response.writableNeedDrain) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
  if (response.destroyed) throw new ClientGoneError();
}

/** `work`, unless the client goes away first (a writer waiting for `finish` would wait forever). */
export function whileConnected<T>(response: ServerResponse, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const gone = () => reject(new ClientGoneError());
    if (response.closed) {
      gone();
      return;
    }
    response.once('close', gone);
    work.then(
      (value) => {
        response.off('close', gone);
        resolve(value);
      },
      (error: unknown) => {
        response.off('close', gone);
        reject(error);
      },
    );
  });
}
