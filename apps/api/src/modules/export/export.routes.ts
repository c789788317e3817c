import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRoute, RouteRequest } from '../../http/routes.ts';
import { writeCsv } from './csv.ts';
import { parseExportRequest } from './export.params.ts';
import {
  type ExportSource,
  exchangesTable,
  exportFileName,
  indicatorTables,
  openExport,
  outcomesTable,
  valuesTable,
} from './export.service.ts';
import { writeIati } from './iati.ts';
import { writeXlsx } from './xlsx.ts';

/**
 * An export endpoint: checks its parameters (400 naming the bad one) before anything else, then
 * opens the request's scope as its viewer (401 without a session; the dashboard's rights), and
 * writes the file.
 */
function exportRoute(
  path: string,
  write: (response: ServerResponse, source: ExportSource) => Promise<void>,
): HttpRoute {
  return {
    path,
    methods: ['GET'],
    async handle(request: IncomingMessage, response: ServerResponse, route: RouteRequest) {
      const exportRequest = parseExportRequest(route.url, request.headers);
      // the services speak the export's language, `lang` or Accept-Language
      const context = { ...(await route.openContext()), language: exportRequest.language };
      const source = await openExport(context, exportRequest);
      await write(response, source);
    },
  };
}

/** The exports of the figures and records of a scope (README, "Exports"). */
export const EXPORT_ROUTES: readonly HttpRoute[] = [
  exportRoute('/export/indicators.csv', async (response, source) => {
    const { indicators } = await indicatorTables(source);
    await writeCsv(response, indicators, exportFileName(source, 'indicators', 'csv'));
  }),
  exportRoute('/export/indicators.xlsx', async (response, source) => {
    const { indicators, series } = await indicatorTables(source);
    await writeXlsx(
      response,
      [indicators, series, exchangesTable(source), outcomesTable(source)],
      exportFileName(source, 'indicators', 'xlsx'),
    );
  }),
  exportRoute('/export/exchanges.csv', (response, source) =>
    writeCsv(response, exchangesTable(source), exportFileName(source, 'exchanges', 'csv')),
  ),
  exportRoute('/export/exchanges.xlsx', (response, source) =>
    writeXlsx(response, [exchangesTable(source)], exportFileName(source, 'exchanges', 'xlsx')),
  ),
  exportRoute('/export/outcomes.csv', (response, source) =>
    writeCsv(response, outcomesTable(source), exportFileName(source, 'outcomes', 'csv')),
  ),
  exportRoute('/export/outcomes.xlsx', (response, source) =>
    writeXlsx(response, [outcomesTable(source)], exportFileName(source, 'outcomes', 'xlsx')),
  ),
  // in the import's columns: a file to correct and import again (README, "Import")
  exportRoute('/export/values.csv', (response, source) =>
    writeCsv(response, valuesTable(source, 'csv'), exportFileName(source, 'values', 'csv')),
  ),
  exportRoute('/export/values.xlsx', (response, source) =>
    writeXlsx(response, [valuesTable(source, 'xlsx')], exportFileName(source, 'values', 'xlsx')),
  ),
  exportRoute('/export/iati.xml', writeIati),
];
