import type { ServerResponse } from 'node:http';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { Language, Viewer } from '../../context.ts';
import type { Executor } from '../shared/transaction.ts';
import { COLUMN_NAMES, COLUMNS } from './import.columns.ts';
import { XLSX_TYPE } from './import.reader.ts';
import { findCitiesOfTemplate, findReportedIndicators } from './import.repository.ts';

/** Rows of the XLSX template whose cells offer the lists (indicator, city, quarter). */
const TEMPLATE_ROWS = 1_000;

const WORDS = {
  en: {
    sheet: 'Values',
    lists: 'Lists',
    file: 'udx-reported-values-template',
    percent: 'percentage: numerator and denominator',
    count: 'count: value',
    indicators: 'Indicators',
    cities: 'Cities',
    city: 'City',
    id: 'Id',
    code: 'Code',
    name: 'Name',
    unit: 'How to report',
    rules:
      'One row per indicator, city, year and quarter (empty for the whole year). ' +
      'Lines starting with # are not read.',
  },
  de: {
    sheet: 'Werte',
    lists: 'Listen',
    file: 'udx-gemeldete-werte-vorlage',
    percent: 'Prozentwert: Zähler und Nenner',
    count: 'Anzahl: Wert',
    indicators: 'Indikatoren',
    cities: 'Städte',
    city: 'Stadt',
    id: 'ID',
    code: 'Code',
    name: 'Name',
    unit: 'Wie melden',
    rules:
      'Eine Zeile je Indikator, Stadt, Jahr und Quartal (leer für das ganze Jahr). ' +
      'Zeilen, die mit # beginnen, werden nicht gelesen.',
  },
} as const;

/**
 * The template of an import file in the account's language: the header, the reported
 * indicators and the cities the account reports for (all for SKEW administration, its own for
 * a city editor). CSV: the header and comment lines (`#`), semicolon-separated in German as
 * German Excel expects. XLSX: the header with list validation on the indicator, city and
 * quarter cells, and the lists on a second sheet.
 */
export async function sendTemplate(
  db: Executor,
  viewer: Viewer,
  response: ServerResponse,
  options: { format: 'csv' | 'xlsx'; language: Language; headOnly: boolean },
): Promise<void> {
  const words = WORDS[options.language];
  const indicators = await findReportedIndicators(db);
  const cities = await findCitiesOfTemplate(
    db,
    viewer.role === 'SKEW_ADMIN' ? null : viewer.cityId,
  );
  const header = COLUMNS.map((c) => COLUMN_NAMES[options.language][c]);
  const unitOf = (unit: string) => (unit === 'PERCENT' ? words.percent : words.count);
  const nameOf = (i: (typeof indicators)[number]) =>
    options.language === 'de' ? i.name_de : i.name_en;
  let body: Buffer;
  if (options.format === 'csv') {
    const comment = (text: string) => [`# ${text}`];
    const records = [
      header,
      comment(words.rules),
      comment(`${words.indicators}:`),
      ...indicators.map((i) => comment(`${i.code} = ${nameOf(i)} (${unitOf(i.unit)})`)),
      comment(`${words.cities}:`),
      ...cities.map((c) => comment(`${c.name} (${words.id} ${encodeGlobalID('City', c.id)})`)),
    ];
    const text = stringify(records, { delimiter: options.language === 'de' ? ';' : ',' });
    body = Buffer.from(`\ufeff${text}`, 'utf8');
  } else {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet(words.sheet);
    sheet.columns = header.map((h) => ({ header: h, width: Math.max(12, h.length + 4) }));
    sheet.getRow(1).font = { bold: true };
    const lists = workbook.addWorksheet(words.lists);
    lists.addRow([words.code, words.name, words.unit, words.city, words.id]).font = { bold: true };
    const rows = Math.max(indicators.length, cities.length);
    for (let i = 0; i < rows; i += 1) {
      const indicator = indicators[i];
      const city = cities[i];
      lists.addRow([
        indicator?.code ?? null,
        indicator ? nameOf(indicator) : null,
        indicator ? unitOf(indicator.unit) : null,
        city?.name ?? null,
        city ? encodeGlobalID('City', city.id) : null,
      ]);
    }
    lists.columns.forEach((column, index) => {
      column.width = index === 1 || index === 2 ? 40 : 20;
    });
    const validations = (sheet as unknown as { dataValidations: DataValidations }).dataValidations;
    const last = TEMPLATE_ROWS + 1;
    validations.add(`A2:A${last}`, listOf(`'${words.lists}'!$A$2:$A$${indicators.length + 1}`));
    validations.add(`B2:B${last}`, listOf(`'${words.lists}'!$D$2:$D$${cities.length + 1}`));
    validations.add(`D2:D${last}`, listOf('"1,2,3,4"'));
    body = Buffer.from(await workbook.xlsx.writeBuffer());
  }
  const extension = options.format;
  response.writeHead(200, {
    'Content-Type': extension === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE,
    'Content-Length': body.length,
    'Content-Disposition': `attachment; filename="${words.file}.${extension}"`,
    'Cache-Control': 'no-store',
  });
  response.end(options.headOnly ? undefined : body);
}

/** ExcelJS's validations of a worksheet (missing from its type declarations). */
interface DataValidations {
  add(range: string, validation: ExcelJS.DataValidation): void;
}

function listOf(formula: string): ExcelJS.DataValidation {
  return { type: 'list', allowBlank: true, showErrorMessage: true, formulae: [formula] };
}
