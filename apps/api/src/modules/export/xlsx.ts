import type { ServerResponse } from 'node:http';
import ExcelJS from 'exceljs';
import {
  type Cell,
  downloadHeaders,
  drained,
  type ExportColumn,
  type ExportTable,
  primedRows,
  whileConnected,
} from './export.service.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** How a column's cells are shown: ratios as percentages, dates as dates. */
const NUMBER_FORMATS: Partial<Record<ExportColumn['kind'], string>> = {
  ratio: '0.0%',
  date: 'yyyy-mm-dd',
};

/** A cell as Excel stores it: numbers as numbers, dates as dates (at midnight UTC). */
function excelValue(cell: Cell, column: ExportColumn | undefined): ExcelJS.CellValue {
  if (cell === null) return null;
  if (column?.kind === 'date' && typeof cell === 'string') return new Date(`${cell}T00:00:00Z`);
  return cell;
}

/**
 * Writes tables as a workbook, one sheet each with its header row frozen, through exceljs's
 * streaming writer: each row goes out as it is read, and the writer waits while the client is
 * slower than the database.
 */
export async function writeXlsx(
  response: ServerResponse,
  tables: readonly ExportTable[],
  fileName: string,
): Promise<void> {
  const [first, ...rest] = tables;
  if (!first) throw new Error('a workbook needs a table');
  const firstRows = await primedRows(first);
  response.writeHead(200, downloadHeaders(XLSX_TYPE, fileName));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: response,
    useStyles: true,
    useSharedStrings: false,
  });
  for (const table of [first, ...rest]) {
    const sheet = workbook.addWorksheet(table.sheetName, {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    sheet.columns = table.columns.map((column) => {
      const numFmt = NUMBER_FORMATS[column.kind];
      return {
        width: column.kind === 'text' ? 28 : Math.max(12, column.header.length + 2),
        ...(numFmt ? { style: { numFmt } } : {}),
      };
    });
    const header = sheet.addRow(table.columns.map((column) => column.header));
    header.font = { bold: true };
    header.commit();
    const rows = table === first ? firstRows : table.rows();
    for await (const row of rows) {
      sheet.addRow(row.map((cell, index) => excelValue(cell, table.columns[index]))).commit();
      await drained(response);
    }
    sheet.commit();
  }
  await whileConnected(response, workbook.commit());
}
