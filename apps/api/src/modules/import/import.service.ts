import { randomUUID } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Language, Viewer } from '../../context.ts';
import { type AuditRecord, auditEntryOf, insertAuditEntries } from '../audit/audit.repository.ts';
import {
  findReportedValueForUpdate,
  type ReportedFigures,
  type ReportedValueRow,
  resubmitValue,
} from '../reported-value/reported-value.repository.ts';
import {
  type CheckedValue,
  findValueProblems,
  newValueClaims,
  type ReportedValueArgs,
  type ValueProblem,
  valueSnapshot,
} from '../reported-value/reported-value.service.ts';
import { decodeNodeId } from '../shared/global-id.ts';
import { runMutation } from '../shared/mutation.ts';
import type { Executor } from '../shared/transaction.ts';
import {
  type Cell,
  COLUMN_NAMES,
  COLUMNS,
  type Column,
  cellText,
  type Header,
  isUnreadable,
  parseNumber,
  parseWholeNumber,
  readHeader,
} from './import.columns.ts';
import { type ImportProblemCode, type ProblemDetails, problemMessage } from './import.messages.ts';
import type { SheetRow } from './import.reader.ts';
import {
  findValuesOfPeriods,
  findVisibleCities,
  insertSubmittedValues,
  type PeriodKey,
  periodKeyOf,
} from './import.repository.ts';

/** Rows checked (and written) per round of statements: 100,000 rows take 100 rounds. */
export const IMPORT_CHUNK = 1_000;
/** At most this many problems are listed; `problemCount` counts them all. */
export const PROBLEMS_LISTED_MAX = 5_000;

export interface ImportProblem {
  /** The row as the spreadsheet shows it; the header is row 1. */
  row: number;
  /** The column as the file names it; null for the row as a whole. */
  column: string | null;
  code: ImportProblemCode;
  message: string;
}

/** The answer to an import (README, "Import"). */
export interface ImportResult {
  dryRun: boolean;
  /** Rows with values read (the header, blank and comment rows aside). */
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  problems: ImportProblem[];
  problemCount: number;
}

/** How far an import has come, after each chunk of IMPORT_CHUNK rows. */
export interface ImportProgress {
  /** Rows checked so far. */
  checked: number;
  /** Values created or updated so far in the import's transaction (none in a dry run). */
  written: number;
}

interface ImportOptions {
  dryRun: boolean;
  language: Language;
  format: 'csv' | 'xlsx';
  /** Told after each chunk: the command line shows it as a progress bar. */
  onProgress?: (progress: ImportProgress) => void;
}

/** A row read and parsed, waiting to be checked with its chunk. */
interface PendingRow {
  row: number;
  args: ReportedValueArgs;
  /** The columns that have a problem already (one problem per cell is enough). */
  taken: Set<Column | null>;
  /** The cell texts, for messages that quote them. */
  texts: Partial<Record<Column, string>>;
}

/** Carries a checked file out of its savepoint, rolling back whatever it wrote. */
class NothingToKeep extends Error {
  constructor(readonly result: ImportResult) {
    super('import not kept');
  }
}

/** The write a concurrent request made first (a unique key or grain); the import is refused. */
export class ImportConflictError extends Error {}

/**
 * Imports reported values from the rows of a spreadsheet, streamed: checked in chunks of
 * IMPORT_CHUNK rows by the rules of reportValues (`findValueProblems`), plus what a file
 * adds (cells that are no numbers, a city by name). A dry run, or a file with any problem,
 * writes nothing; otherwise every new or changed value is saved SUBMITTED for review with an
 * audit entry, plus one entry for the import, all in one transaction. Values equal to those
 * stored are left alone (`unchanged`), so the same file imported twice changes nothing.
 */
export async function importValues(
  db: Executor,
  viewer: Viewer,
  rows: AsyncIterable<SheetRow>,
  options: ImportOptions,
): Promise<ImportResult> {
  const outcome = await runMutation(db, {}, async (trx) => {
    const result = await checkAndWrite(trx, viewer, rows, options);
    if (options.dryRun || result.problemCount > 0) throw new NothingToKeep(result);
    return result;
  }).catch((error: unknown) => {
    if (error instanceof NothingToKeep) return { ok: true as const, value: error.result };
    throw error;
  });
  // a constraint the checks could not see: another request's write at the same moment
  if (!outcome.ok) throw new ImportConflictError(outcome.errors[0]?.message);
  return outcome.value;
}

async function checkAndWrite(
  db: Executor,
  viewer: Viewer,
  rows: AsyncIterable<SheetRow>,
  options: ImportOptions,
): Promise<ImportResult> {
  const { language } = options;
  const result: ImportResult = {
    dryRun: options.dryRun,
    rows: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    problems: [],
    problemCount: 0,
  };
  const report = (
    row: number,
    column: string | null,
    code: ImportProblemCode,
    details: ProblemDetails = {},
  ) => {
    result.problemCount += 1;
    if (result.problems.length < PROBLEMS_LISTED_MAX) {
      result.problems.push({
        row,
        column,
        code,
        message: problemMessage(language, code, { ...details, column }),
      });
    }
  };
  const cities = await cityFinder(db);
  const claims = newValueClaims();
  /** The spreadsheet row of each value checked, by its index across the chunks. */
  const rowNumbers: number[] = [];
  const changedCities = new Set<number>();
  let written = 0;
  let header: Header | null = null;
  let chunk: PendingRow[] = [];

  const flush = async () => {
    if (chunk.length === 0) return;
    const pending = chunk;
    chunk = [];
    const first = rowNumbers.length;
    rowNumbers.push(...pending.map((p) => p.row));
    const { checked, problems } = await findValueProblems(
      db,
      viewer,
      pending.map((p) => p.args),
      claims,
      first,
    );
    for (const problem of problems) {
      const row = pending[problem.index - first];
      if (row) reportValueProblem(row, problem);
    }
    const ready = pending.flatMap((row, position) => {
      const value = checked[position];
      return value && row.taken.size === 0 ? [{ row, value }] : [];
    });
    const stored = await findValuesOfPeriods(
      db,
      ready.map(({ value }) => keyOf(value)),
    );
    const creates: CheckedValue[] = [];
    const updates: { existing: ReportedValueRow; value: CheckedValue; row: PendingRow }[] = [];
    for (const { row, value } of ready) {
      const existing = stored.get(periodKeyOf(keyOf(value)));
      const differing = existing ? differingColumn(existing, value.figures) : null;
      if (!existing) creates.push(value);
      else if (existing.status === 'APPROVED' && differing !== null) {
        reportApproved(row, differing);
      } else if (
        differing === null &&
        existing.status !== 'DRAFT' &&
        existing.status !== 'REJECTED'
      ) {
        result.unchanged += 1;
      } else updates.push({ existing, value, row });
    }
    result.created += creates.length;
    result.updated += updates.length;
    if (!options.dryRun && result.problemCount === 0) {
      await writeChunk(creates, updates);
      written += creates.length + updates.length;
    }
    options.onProgress?.({ checked: rowNumbers.length, written });
  };

  const writeChunk = async (
    creates: CheckedValue[],
    updates: { existing: ReportedValueRow; value: CheckedValue; row: PendingRow }[],
  ) => {
    const audit: AuditRecord[] = [];
    const inserted = await insertSubmittedValues(
      db,
      creates.map((value) => ({ ...keyOf(value), ...value.figures })),
      viewer.userId,
    );
    for (const row of inserted) {
      audit.push(
        auditEntryOf(viewer, 'reported_value', row.id, [row.city_id], null, valueSnapshot(row)),
      );
    }
    for (const { existing, value, row } of updates) {
      // locked before it is replaced; approved meanwhile, it is no longer found (as in reportValues)
      const locked = await findReportedValueForUpdate(db, existing.id);
      if (!locked || locked.status === 'APPROVED') {
        reportApproved(row, differingColumn(existing, value.figures) ?? 'value');
        return;
      }
      const saved = await resubmitValue(db, locked.id, {
        ...value.figures,
        entered_by: viewer.userId,
      });
      audit.push(
        auditEntryOf(
          viewer,
          'reported_value',
          saved.id,
          [saved.city_id],
          valueSnapshot(locked),
          valueSnapshot(saved),
        ),
      );
    }
    for (const record of audit) for (const city of record.cityIds) changedCities.add(city);
    await insertAuditEntries(db, audit);
  };

  const columnName = (column: Column | null) =>
    column === null
      ? null
      : (header?.names.get(column) ?? COLUMN_NAMES[header?.language ?? language][column]);

  const reportApproved = (row: PendingRow, column: Column) => {
    row.taken.add(column);
    report(row.row, columnName(column), 'APPROVED', { indicator: row.args.indicatorCode });
  };

  const reportValueProblem = (row: PendingRow, problem: ValueProblem) => {
    const column =
      problem.valueField === null ? null : (COLUMN_OF_FIELD[problem.valueField] ?? null);
    if (column !== null && row.taken.has(column)) return;
    row.taken.add(column);
    const code: ImportProblemCode =
      problem.rule === 'NOT_A_CITY_ID' || problem.rule === 'NO_SUCH_CITY'
        ? 'UNKNOWN_CITY'
        : problem.rule;
    report(row.row, columnName(column), code, {
      cell: column === null ? undefined : row.texts[column],
      indicator: row.args.indicatorCode,
      year: row.args.year,
      yearly: row.args.quarter === null,
      ...(problem.other === undefined ? {} : { otherRow: rowNumbers[problem.other] }),
    });
  };

  for await (const sheetRow of rows) {
    if (isBlankOrComment(sheetRow.cells)) continue;
    if (header === null) {
      const read = readHeader(sheetRow.cells);
      header = read.header;
      const list = COLUMNS.map((c) => COLUMN_NAMES[read.header.language][c]).join(', ');
      for (const problem of read.problems) {
        report(sheetRow.row, problem.column, problem.code, { list });
      }
      // without its key columns no row can be read; say so once instead of on every row
      if (isUnreadable(read.problems)) break;
      continue;
    }
    result.rows += 1;
    chunk.push(
      parseRow(header, sheetRow, cities, (column, code, details) =>
        report(sheetRow.row, columnName(column), code, details),
      ),
    );
    if (chunk.length >= IMPORT_CHUNK) await flush();
  }
  await flush();
  if (header === null) report(1, null, 'EMPTY_FILE');
  result.problems.sort((a, b) => a.row - b.row);
  if (!options.dryRun && result.problemCount === 0 && changedCities.size > 0) {
    await insertAuditEntries(db, [
      auditEntryOf(viewer, 'import', randomUUID(), [...changedCities], null, {
        entity: 'reported_value',
        format: options.format,
        rows: result.rows,
        created: result.created,
        updated: result.updated,
        unchanged: result.unchanged,
      }),
    ]);
  }
  if (!options.dryRun && result.problemCount > 0) {
    // nothing was kept: say so, rather than what the file would have done
    result.created = 0;
    result.updated = 0;
    result.unchanged = 0;
  }
  return result;
}

const COLUMN_OF_FIELD: Readonly<Record<string, Column>> = {
  indicatorCode: 'indicator',
  cityId: 'city',
  year: 'year',
  quarter: 'quarter',
  value: 'value',
  numerator: 'numerator',
  denominator: 'denominator',
  note: 'note',
};

function keyOf(value: CheckedValue): PeriodKey {
  return {
    indicatorId: value.indicator.id,
    cityId: value.cityId,
    year: value.year,
    quarter: value.quarter,
  };
}

/** The first figure (or the note) in which a stored value differs from the file's; null if none. */
function differingColumn(stored: ReportedValueRow, figures: ReportedFigures): Column | null {
  const same = (a: number | string | null, b: number | null) =>
    (a === null ? null : Number(a)) === b;
  if (!same(stored.value, figures.value)) return 'value';
  if (!same(stored.numerator, figures.numerator)) return 'numerator';
  if (!same(stored.denominator, figures.denominator)) return 'denominator';
  if ((stored.note ?? null) !== figures.note) return 'note';
  return null;
}

function isBlankOrComment(cells: readonly Cell[]): boolean {
  const first = cells.find((cell) => cellText(cell) !== '');
  return first === undefined || (cells.indexOf(first) === 0 && cellText(first).startsWith('#'));
}

type CityMatch =
  | { id: string }
  | { problem: 'UNKNOWN_CITY' }
  | { problem: 'AMBIGUOUS_CITY'; list: string };

/**
 * Finds a city by its global id or by its name among those the viewer can read (row-level
 * security): a name two cities share is a problem naming both, never a guess.
 */
async function cityFinder(db: Executor): Promise<(text: string) => CityMatch> {
  const byName = new Map<string, { id: number; name: string; country_code: string }[]>();
  for (const city of await findVisibleCities(db)) {
    const key = city.name.normalize('NFC').trim().toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), city]);
  }
  return (text) => {
    if (decodeNodeId(text, 'City') !== null) return { id: text };
    const found = byName.get(text.normalize('NFC').toLowerCase()) ?? [];
    const [only] = found;
    if (!only) return { problem: 'UNKNOWN_CITY' };
    if (found.length === 1) return { id: encodeGlobalID('City', only.id) };
    const list = found
      .map((c) => `${c.name}, ${c.country_code}: ${encodeGlobalID('City', c.id)}`)
      .join('; ');
    return { problem: 'AMBIGUOUS_CITY', list };
  };
}

/**
 * A row's cells as the arguments of one reported value, reporting what cannot be read. A cell
 * that cannot be read is passed on as what the shared checks refuse anyway (no figure, a year
 * out of range), so that the rest of the row is still checked.
 */
function parseRow(
  header: Header,
  sheetRow: SheetRow,
  findCity: (text: string) => CityMatch,
  fail: (column: Column, code: ImportProblemCode, details: ProblemDetails) => void,
): PendingRow {
  const cell = (column: Column): Cell => {
    const position = header.positions.get(column);
    return position === undefined ? null : (sheetRow.cells[position] ?? null);
  };
  const texts: Partial<Record<Column, string>> = {};
  for (const column of COLUMNS) texts[column] = cellText(cell(column));
  const taken = new Set<Column | null>();
  const problem = (column: Column, code: ImportProblemCode, details: ProblemDetails = {}) => {
    taken.add(column);
    fail(column, code, { cell: texts[column], ...details });
  };
  const number = (column: Column, parsed: ReturnType<typeof parseNumber>, required = false) => {
    if (parsed === null && required) problem(column, 'REQUIRED');
    if (typeof parsed === 'string') problem(column, parsed);
    return typeof parsed === 'number' ? parsed : null;
  };

  const indicatorCode = texts.indicator ?? '';
  if (indicatorCode === '') problem('indicator', 'REQUIRED');
  let cityId = '';
  const cityText = texts.city ?? '';
  if (cityText === '') problem('city', 'REQUIRED');
  else {
    const match = findCity(cityText);
    if ('id' in match) cityId = match.id;
    else problem('city', match.problem, 'list' in match ? { list: match.list } : {});
  }
  const year = number('year', parseWholeNumber(cell('year')), true);
  const quarterCell = parseWholeNumber(cell('quarter'), 'Q');
  const quarter = number('quarter', quarterCell);
  return {
    row: sheetRow.row,
    texts,
    taken,
    args: {
      indicatorCode,
      cityId,
      // unreadable: a year and a quarter the shared checks refuse, on a cell reported already
      year: year ?? Number.NaN,
      quarter: typeof quarterCell === 'string' ? 0 : quarter,
      value: number('value', parseNumber(cell('value'))),
      numerator: number('numerator', parseNumber(cell('numerator'))),
      denominator: number('denominator', parseNumber(cell('denominator'))),
      note: texts.note || null,
    },
  };
}
