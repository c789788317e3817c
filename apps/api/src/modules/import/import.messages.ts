import type { Language } from '../../context.ts';
import type { ValueRule } from '../reported-value/reported-value.service.ts';
import type { HeaderProblem, NumberProblem } from './import.columns.ts';

/**
 * What can be wrong with a row of an import file: the rules of every reported value (shared
 * with the reportValues mutation) and those of reading a spreadsheet.
 */
export type ImportProblemCode =
  | Exclude<ValueRule, 'NOT_A_CITY_ID' | 'NO_SUCH_CITY'>
  | HeaderProblem['code']
  | NumberProblem
  | 'REQUIRED'
  | 'UNKNOWN_CITY'
  | 'AMBIGUOUS_CITY'
  | 'APPROVED'
  | 'EMPTY_FILE';

/** What a message may mention besides the cell itself. */
export interface ProblemDetails {
  /** The cell's text as written in the file. */
  cell?: string;
  /** The column as the file names it. */
  column?: string | null;
  /** The row's indicator code, year and grain. */
  indicator?: string;
  year?: number;
  yearly?: boolean;
  /** The spreadsheet row the problem clashes with. */
  otherRow?: number;
  /** The cities a name stands for, or the columns a file may have. */
  list?: string;
}

type Wording = (d: ProblemDetails) => string;

const en: Record<ImportProblemCode, Wording> = {
  REQUIRED: () => 'This cell must not be empty.',
  NO_SUCH_INDICATOR: (d) => `No indicator "${d.cell}".`,
  COMPUTED_INDICATOR: (d) => `${d.indicator} is computed from the records; it is not reported.`,
  UNKNOWN_CITY: (d) => `No city "${d.cell}" that you can see; give its name or its id.`,
  AMBIGUOUS_CITY: (d) => `"${d.cell}" names more than one city (${d.list}); give the city's id.`,
  CITY_NOT_YOURS: () => "You may only report your own city's values.",
  YEAR_OUT_OF_RANGE: () => 'The year must be between 2000 and 2100.',
  QUARTER_OUT_OF_RANGE: () => 'The quarter must be 1 to 4, or empty for the whole year.',
  NOTE_TOO_LONG: () => 'The note must not be longer than 2,000 characters.',
  FRACTION_EXPECTED: (d) =>
    /^(value|wert)$/i.test(d.column ?? '')
      ? `${d.indicator} is a percentage: give a numerator and a denominator, not a value.`
      : `${d.indicator} is a percentage: it needs a numerator and a denominator.`,
  VALUE_EXPECTED: (d) =>
    /^(value|wert)$/i.test(d.column ?? '')
      ? `${d.indicator} is a count: it needs a value.`
      : `${d.indicator} is a count: give a value, not a numerator or a denominator.`,
  NEGATIVE: () => 'Must not be negative.',
  NOT_POSITIVE: () => 'Must be greater than 0.',
  NOT_A_COUNT: () => 'Must be a whole number, 0 or more.',
  NUMERATOR_ABOVE_DENOMINATOR: () => 'The numerator must not be greater than the denominator.',
  ONE_GRAIN: (d) =>
    `${
      d.otherRow === undefined
        ? `The city reports ${d.indicator} for ${d.year} ${d.yearly ? 'per quarter' : 'once for the year'} already`
        : `Row ${d.otherRow} reports ${d.indicator} of this city for ${d.year} ${d.yearly ? 'per quarter' : 'once for the year'}`
    }; a year is reported either once or per quarter, never both.`,
  DUPLICATE: (d) => `Same indicator, city and period as row ${d.otherRow}.`,
  APPROVED: (d) =>
    `The value of ${d.indicator} for this period is approved already and cannot be changed ` +
    'by an import; propose a correction of it instead.',
  NOT_A_NUMBER: (d) => `"${d.cell}" is not a number.`,
  AMBIGUOUS_NUMBER: (d) =>
    `"${d.cell}" could be read two ways; write it without a thousands separator (e.g. 1000 or 12.5).`,
  NOT_A_WHOLE_NUMBER: (d) => `"${d.cell}" is not a whole number.`,
  UNKNOWN_COLUMN: (d) => `Unknown column "${d.column}"; the columns are ${d.list}.`,
  MISSING_COLUMN: (d) => `The column "${d.column}" is missing.`,
  DUPLICATE_COLUMN: (d) => `The column "${d.column}" appears twice.`,
  EMPTY_FILE: () => 'The file holds no header row and no values.',
};

const de: Record<ImportProblemCode, Wording> = {
  REQUIRED: () => 'Diese Zelle darf nicht leer sein.',
  NO_SUCH_INDICATOR: (d) => `Keinen Indikator „${d.cell}“ gefunden.`,
  COMPUTED_INDICATOR: (d) => `${d.indicator} wird aus den Einträgen berechnet und nicht gemeldet.`,
  UNKNOWN_CITY: (d) =>
    `Keine für Sie sichtbare Stadt „${d.cell}“; bitte Namen oder ID der Stadt angeben.`,
  AMBIGUOUS_CITY: (d) =>
    `„${d.cell}“ bezeichnet mehr als eine Stadt (${d.list}); bitte die ID der Stadt angeben.`,
  CITY_NOT_YOURS: () => 'Sie dürfen nur Werte Ihrer eigenen Stadt melden.',
  YEAR_OUT_OF_RANGE: () => 'Das Jahr muss zwischen 2000 und 2100 liegen.',
  QUARTER_OUT_OF_RANGE: () => 'Das Quartal muss 1 bis 4 sein, oder leer für das ganze Jahr.',
  NOTE_TOO_LONG: () => 'Die Notiz darf höchstens 2.000 Zeichen lang sein.',
  FRACTION_EXPECTED: (d) =>
    /^(value|wert)$/i.test(d.column ?? '')
      ? `${d.indicator} ist ein Prozentwert: bitte Zähler und Nenner angeben, keinen Wert.`
      : `${d.indicator} ist ein Prozentwert: er braucht Zähler und Nenner.`,
  VALUE_EXPECTED: (d) =>
    /^(value|wert)$/i.test(d.column ?? '')
      ? `${d.indicator} ist eine Anzahl: er braucht einen Wert.`
      : `${d.indicator} ist eine Anzahl: bitte einen Wert angeben, keinen Zähler oder Nenner.`,
  NEGATIVE: () => 'Darf nicht negativ sein.',
  NOT_POSITIVE: () => 'Muss größer als 0 sein.',
  NOT_A_COUNT: () => 'Muss eine ganze Zahl ab 0 sein.',
  NUMERATOR_ABOVE_DENOMINATOR: () => 'Der Zähler darf nicht größer als der Nenner sein.',
  ONE_GRAIN: (d) =>
    `${
      d.otherRow === undefined
        ? `Die Stadt meldet ${d.indicator} für ${d.year} bereits ${d.yearly ? 'pro Quartal' : 'einmal für das ganze Jahr'}`
        : `Zeile ${d.otherRow} meldet ${d.indicator} dieser Stadt für ${d.year} ${d.yearly ? 'pro Quartal' : 'einmal für das ganze Jahr'}`
    }; ein Jahr wird entweder einmal oder pro Quartal gemeldet, nie beides.`,
  DUPLICATE: (d) =>
    `Gleicher Indikator, gleiche Stadt und gleicher Zeitraum wie Zeile ${d.otherRow}.`,
  APPROVED: (d) =>
    `Der Wert von ${d.indicator} für diesen Zeitraum ist bereits freigegeben und kann nicht ` +
    'durch einen Import geändert werden; schlagen Sie stattdessen eine Korrektur vor.',
  NOT_A_NUMBER: (d) => `„${d.cell}“ ist keine Zahl.`,
  AMBIGUOUS_NUMBER: (d) =>
    `„${d.cell}“ ist mehrdeutig; bitte ohne Tausendertrennzeichen schreiben (z. B. 1000 oder 12,5).`,
  NOT_A_WHOLE_NUMBER: (d) => `„${d.cell}“ ist keine ganze Zahl.`,
  UNKNOWN_COLUMN: (d) => `Unbekannte Spalte „${d.column}“; die Spalten sind ${d.list}.`,
  MISSING_COLUMN: (d) => `Die Spalte „${d.column}“ fehlt.`,
  DUPLICATE_COLUMN: (d) => `Die Spalte „${d.column}“ kommt zweimal vor.`,
  EMPTY_FILE: () => 'Die Datei enthält weder eine Kopfzeile noch Werte.',
};

/** A problem said in the request's language. */
export function problemMessage(
  language: Language,
  code: ImportProblemCode,
  details: ProblemDetails,
): string {
  return (language === 'de' ? de : en)[code](details);
}

/** The answers to a request refused as a whole, in both languages. */
export const REFUSALS = {
  UNAUTHENTICATED: {
    en: 'Sign in first.',
    de: 'Bitte melden Sie sich zuerst an.',
  },
  FORBIDDEN: {
    en: 'Your account may not report values.',
    de: 'Ihr Konto darf keine Werte melden.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    en: 'Send the file as text/csv or as an XLSX workbook (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet).',
    de: 'Bitte die Datei als text/csv oder als XLSX-Arbeitsmappe (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet) senden.',
  },
  PAYLOAD_TOO_LARGE: {
    en: 'The file is larger than {limit} MiB; split it into several files.',
    de: 'Die Datei ist größer als {limit} MiB; bitte auf mehrere Dateien aufteilen.',
  },
  NOT_CSV: {
    en: 'The file is not valid CSV: {reason}',
    de: 'Die Datei ist keine gültige CSV-Datei: {reason}',
  },
  NOT_UTF8: {
    en: 'The file is not UTF-8 text; in Excel, save it as “CSV UTF-8 (comma delimited)”.',
    de: 'Die Datei ist kein UTF-8-Text; bitte in Excel als „CSV UTF-8 (durch Trennzeichen getrennt)“ speichern.',
  },
  NOT_XLSX: {
    en: 'The file is not an XLSX workbook that can be read.',
    de: 'Die Datei ist keine lesbare XLSX-Arbeitsmappe.',
  },
  CONFLICT: {
    en: 'Values of this file were reported by someone else at the same moment; try again.',
    de: 'Werte dieser Datei wurden im selben Moment von anderer Seite gemeldet; bitte erneut versuchen.',
  },
} as const;
