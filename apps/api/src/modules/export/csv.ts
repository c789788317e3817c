import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { type Cell, downloadHeaders, type ExportTable, primedRows } from './export.service.ts';

/**
 * Writes a table as CSV (RFC 4180: comma, CRLF, fields with a comma, quote or line break in
 * quotes), UTF-8 with a byte order mark so that Excel reads umlauts right. Numbers are written
 * as JavaScript writes them: '.' as decimal point, no thousands separators, every digit needed
 * to read the same number back. Rows stream out as they are read.
 */
export async function writeCsv(
  response: ServerResponse,
  table: ExportTable,
  fileName: string,
): Promise<void> {
  const rows = await primedRows(table);
  async function* records(): AsyncGenerator<Cell[]> {
    yield table.columns.map((column) => column.header);
    yield* rows;
  }
  response.writeHead(200, downloadHeaders('text/csv; charset=utf-8; header=present', fileName));
  await pipeline(
    Readable.from(records()),
    stringify({ bom: true, record_delimiter: 'windows', cast: { number: String } }),
    response,
  );
}
