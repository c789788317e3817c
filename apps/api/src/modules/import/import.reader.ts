import { pipeline, Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import type { Cell } from './import.columns.ts';

/** One row of a spreadsheet, numbered as the spreadsheet shows it (the header is row 1). */
export interface SheetRow {
  row: number;
  cells: Cell[];
}

export const CSV_TYPES: readonly string[] = ['text/csv', 'application/csv'];
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The body grew past the limit of an import (README, "Import"). */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The body is larger than ${limit} bytes`);
  }
}

/** A file that cannot be read as the type it was sent as; `reason` says where, when known. */
export class UnreadableFileError extends Error {
  constructor(
    /** `utf8`: a CSV file in another encoding (German Excel's plain "CSV" is Windows-1252). */
    readonly kind: 'csv' | 'utf8' | 'xlsx',
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * The body's bytes as they arrive, refused once more than `limit` have come: the file is
 * never held whole, only the chunk in hand (and, for XLSX, what the unzipping keeps).
 */
export async function* limitedBody(
  body: AsyncIterable<Buffer>,
  limit: number,
): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    yield chunk;
  }
}

/** Longest record of a CSV file: far above any real row, far below memory trouble. */
const CSV_RECORD_MAX = 64 * 1024;

/**
 * The rows of a CSV file as they stream in. UTF-8 with or without BOM; comma or semicolon
 * separated, whichever the first line has more of (German Excel writes semicolons). Every
 * record counts as a row, blank ones and comment lines (`#`) included, so the row numbers are
 * those a spreadsheet shows.
 */
export async function* csvRows(body: AsyncIterable<Buffer>): AsyncGenerator<SheetRow> {
  const iterator = body[Symbol.asyncIterator]();
  // the first line decides the separator: read until it is whole (or 64 KiB have come)
  const head: Buffer[] = [];
  let headSize = 0;
  while (!head.some((chunk) => chunk.includes(0x0a)) && headSize < CSV_RECORD_MAX) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
    headSize += next.value.length;
  }
  const firstLine = Buffer.concat(head).toString('utf8').split('\n')[0] ?? '';
  const delimiter = count(firstLine, ';') > count(firstLine, ',') ? ';' : ',';
  // refuses bytes that are not UTF-8 rather than reading `Köln` as `K�ln`
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const checked = (chunk: Buffer) => {
    try {
      utf8.decode(chunk, { stream: true });
    } catch {
      throw new UnreadableFileError('utf8', 'not UTF-8');
    }
    return chunk;
  };
  async function* all(): AsyncGenerator<Buffer> {
    for (const chunk of head) yield checked(chunk);
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield checked(next.value);
    }
    utf8.decode();
  }
  const parser = parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: CSV_RECORD_MAX,
  });
  // an error of the body (too large) reaches the loop below through the parser
  pipeline(Readable.from(all()), parser, () => {});
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row += 1;
      yield { row, cells: record };
    }
  } catch (error) {
    if (error instanceof CsvError) throw new UnreadableFileError('csv', error.message);
    throw error;
  }
}

function count(text: string, character: string): number {
  return text.split(character).length - 1;
}

/**
 * The rows of the first worksheet of an XLSX workbook as they stream in (ExcelJS's streaming
 * reader; the template's list sheet comes second and is not read). Rows without cells are
 * skipped by the reader; numbers stay numbers, formulas give their result.
 */
export async function* xlsxRows(body: AsyncIterable<Buffer>): AsyncGenerator<SheetRow> {
  const source = Readable.from(body);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  let sheets = 0;
  try {
    for await (const worksheet of reader) {
      sheets += 1;
      for await (const row of worksheet) {
        const values = row.values as unknown[];
        yield { row: row.number, cells: values.slice(1).map(cellOf) };
      }
      break;
    }
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw error;
    throw new UnreadableFileError('xlsx', error instanceof Error ? error.message : String(error));
  } finally {
    // stop unzipping the rest (other sheets, a body cut short)
    source.destroy();
  }
  if (sheets === 0) throw new UnreadableFileError('xlsx', 'no worksheet');
}

/** A cell of ExcelJS as text or a number. */
function cellOf(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { result?: unknown; richText?: { text: string }[]; text?: unknown };
    if ('result' in v) return cellOf(v.result);
    if (Array.isArray(v.richText)) return v.richText.map((part) => part.text).join('');
    if (typeof v.text === 'string') return v.text;
  }
  return String(value);
}
