import type { Language } from '../../context.ts';

/** The columns of an import file, in the order the template lists them (README, "Import"). */
export const COLUMNS = [
  'indicator',
  'city',
  'year',
  'quarter',
  'value',
  'numerator',
  'denominator',
  'note',
] as const;
export type Column = (typeof COLUMNS)[number];

/** The header of each column in either language; a file may use either. */
export const COLUMN_NAMES: Readonly<Record<Language, Readonly<Record<Column, string>>>> = {
  en: {
    indicator: 'indicator',
    city: 'city',
    year: 'year',
    quarter: 'quarter',
    value: 'value',
    numerator: 'numerator',
    denominator: 'denominator',
    note: 'note',
  },
  de: {
    indicator: 'Indikator',
    city: 'Stadt',
    year: 'Jahr',
    quarter: 'Quartal',
    value: 'Wert',
    numerator: 'Zähler',
    denominator: 'Nenner',
    note: 'Notiz',
  },
};

/**
 * Columns a file may have that the import reads past: the status the values export writes
 * after the import's columns (README, "Exports"), so that an exported file imports unchanged.
 * A value's status is the review's to set, never a file's.
 */
const IGNORED = new Set(['status']);

/** Columns every row needs; a file without one of them is not read further. */
const REQUIRED: readonly Column[] = ['indicator', 'city', 'year'];

/** A cell as read from a file: text from CSV, text or a number from XLSX, null when empty. */
export type Cell = string | number | null;

/** A problem of the header row, before any value is read. */
export interface HeaderProblem {
  code: 'UNKNOWN_COLUMN' | 'MISSING_COLUMN' | 'DUPLICATE_COLUMN';
  /** The column as the file names it (or, when missing, as the file's language would). */
  column: string;
}

/** Where each column is in the file, and what the file calls it. */
export interface Header {
  positions: ReadonlyMap<Column, number>;
  /** The header text of each column as written in the file, so problems name what users see. */
  names: ReadonlyMap<Column, string>;
  /** The language of the headers (German as soon as one header is German). */
  language: Language;
}

function normalise(text: string): string {
  return text.normalize('NFC').trim().toLowerCase();
}

const BY_NAME = new Map<string, Column>([
  ...COLUMNS.map((c) => [normalise(COLUMN_NAMES.en[c]), c] as const),
  ...COLUMNS.map((c) => [normalise(COLUMN_NAMES.de[c]), c] as const),
  // a German header typed without umlauts
  ['zaehler', 'numerator'],
]);
const GERMAN = new Set([...COLUMNS.map((c) => normalise(COLUMN_NAMES.de[c])), 'zaehler']);

/** Reads the header row: which column is where, and what is wrong with it. */
export function readHeader(cells: readonly Cell[]): {
  header: Header;
  problems: HeaderProblem[];
} {
  const positions = new Map<Column, number>();
  const names = new Map<Column, string>();
  const problems: HeaderProblem[] = [];
  let german = false;
  for (const [position, cell] of cells.entries()) {
    const text = cellText(cell);
    if (text === '' || IGNORED.has(normalise(text))) continue;
    const column = BY_NAME.get(normalise(text));
    if (!column) problems.push({ code: 'UNKNOWN_COLUMN', column: text });
    else if (positions.has(column)) problems.push({ code: 'DUPLICATE_COLUMN', column: text });
    else {
      positions.set(column, position);
      names.set(column, text);
      german ||= GERMAN.has(normalise(text));
    }
  }
  const language: Language = german ? 'de' : 'en';
  const missing = REQUIRED.filter((c) => !positions.has(c));
  // a figure needs a value or a numerator and a denominator
  if (!positions.has('value') && !positions.has('numerator')) missing.push('value');
  for (const column of missing) {
    problems.push({ code: 'MISSING_COLUMN', column: COLUMN_NAMES[language][column] });
  }
  return { header: { positions, names, language }, problems };
}

/** Whether the header lacks a column no row can do without. */
export function isUnreadable(problems: readonly HeaderProblem[]): boolean {
  return problems.some((p) => p.code === 'MISSING_COLUMN');
}

/** A cell as trimmed text ('' when empty). */
export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  return typeof cell === 'number' ? String(cell) : cell.trim();
}

/** Why a cell is not the number it should be. */
export type NumberProblem = 'NOT_A_NUMBER' | 'AMBIGUOUS_NUMBER' | 'NOT_A_WHOLE_NUMBER';

const DECIMAL = /^([+-]?\d+)(?:[.,](\d+))?$/;

/**
 * A number as spreadsheets write it: `12.5` or, as German Excel does, `12,5`. A separator
 * followed by exactly three digits could be a thousands separator (`1.000` is a thousand in
 * German, one in English) and is refused rather than guessed; thousands separators are not
 * accepted otherwise either. null for an empty cell.
 */
export function parseNumber(cell: Cell | undefined): number | null | NumberProblem {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : 'NOT_A_NUMBER';
  const text = cellText(cell).replace(/\s/g, '');
  if (text === '') return null;
  const match = DECIMAL.exec(text);
  if (!match) return 'NOT_A_NUMBER';
  const [, whole, fraction] = match;
  if (fraction === undefined) return Number(whole);
  if (fraction.length === 3) return 'AMBIGUOUS_NUMBER';
  return Number(`${whole}.${fraction}`);
}

/** A whole number (a year, a quarter); a quarter may be written `Q2`. */
export function parseWholeNumber(
  cell: Cell | undefined,
  prefix?: string,
): number | null | NumberProblem {
  const text =
    typeof cell === 'string' && prefix && cell.trim().toUpperCase().startsWith(prefix)
      ? cell.trim().slice(prefix.length)
      : cell;
  const number = parseNumber(text);
  if (typeof number === 'number' && !Number.isInteger(number)) return 'NOT_A_WHOLE_NUMBER';
  return number;
}
