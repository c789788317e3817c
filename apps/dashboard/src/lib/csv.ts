export type CsvCell = string | number | null | undefined;

function escapeCell(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  const text = typeof cell === 'number' ? (Number.isFinite(cell) ? String(cell) : '') : cell;
  // Cells starting with these characters are run as formulas by spreadsheet programs.
  const guarded = /^[=+\-@\t\r]/.test(text) && typeof cell === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** Builds RFC 4180 CSV text (comma separated, CRLF line ends) from a header and rows. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(escapeCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** A point of an indicator series as the API returns it. */
export interface SeriesPoint {
  period: string;
  value?: number | null;
  baseline?: number | null;
  target?: number | null;
}

/** CSV of an indicator series: one line per period with value, baseline and target. */
export function seriesToCsv(code: string, points: readonly SeriesPoint[]): string {
  return toCsv(
    ['indicator', 'period', 'value', 'baseline', 'target'],
    points.map((p) => [code, p.period, p.value, p.baseline, p.target]),
  );
}

/** A file name safe on every system, e.g. `udx-U1-2026-11-27.csv`. */
export function csvFileName(parts: readonly string[], today: Date = new Date()): string {
  const stamp = today.toISOString().slice(0, 10);
  const safe = parts.map((p) => p.replace(/[^A-Za-z0-9_-]+/g, '-')).filter(Boolean);
  return `${['udx', ...safe, stamp].join('-')}.csv`;
}

/** Lets the browser save CSV text as a file; a byte order mark makes spreadsheets read UTF-8. */
export function downloadCsv(fileName: string, csv: string): void {
  const blob = new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
