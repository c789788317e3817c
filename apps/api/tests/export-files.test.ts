import { readFileSync } from 'node:fs';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { testEngines } from '@udx/db/testing';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convert } from 'xmlbuilder2';
import { validateXML } from 'xmllint-wasm';
import {
  AWKWARD_TITLE,
  dashboardIndicators,
  dashboardSeries,
  download,
  type ExportFixture,
  partnershipId,
  startExportFixture,
} from './export-fixture.ts';
import { insertIds } from './insert-rows.ts';

const IATI_DIR = new URL('../reference/iati/', import.meta.url);
const iatiFile = (name: string) => readFileSync(new URL(name, IATI_DIR), 'utf8');
const codesOf = (codelist: string) =>
  new Set([...iatiFile(codelist).matchAll(/<code>([^<]+)<\/code>/g)].map((m) => m[1]));

/** Parses an exported CSV as a spreadsheet would: header row first. */
function csvRows(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: false });
}

/** A CSV cell read back as the number it was written as; empty is null. */
const numberOf = (cell: string | undefined) =>
  cell === undefined || cell === '' ? null : Number(cell);

// biome-ignore lint/suspicious/noExplicitAny: parsed XML as nested objects
type XmlObject = any;
const list = (value: XmlObject): XmlObject[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

describe.each(testEngines())('exports on %s', (engine) => {
  let x: ExportFixture;
  const year2025 = '?from=2025-01-01&to=2025-12-31';

  beforeAll(async () => {
    x = await startExportFixture(engine);
  }, 180_000);
  afterAll(async () => {
    await x?.s.stop();
  });

  it('writes the indicators as CSV with a BOM, CRLF and English headers, equal to the dashboard', async () => {
    const file = await download(x.s.url, `/export/indicators.csv${year2025}`, x.monitorToken);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('text/csv');
    expect(file.headers.get('content-disposition')).toBe(
      'attachment; filename="udx-indicators-2025.csv"',
    );
    expect([...file.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(file.text).toContain('\r\n');
    const [header, ...rows] = csvRows(file.text);
    expect(header).toEqual([
      'Code',
      'Name',
      'Programme goal',
      'Unit',
      'Value (period)',
      'Reference year',
      'Value (reference year)',
      'Baseline',
      'Target',
      'Progress (1 = target reached)',
      'Status',
      '2025',
    ]);
    const dashboard = await dashboardIndicators(x.s.url, x.monitorToken, {
      from: '2025-01-01',
      to: '2025-12-31',
    });
    expect(rows.map((row) => row[0])).toEqual(dashboard.map((item) => item.code));
    for (const [index, item] of dashboard.entries()) {
      const row = rows[index] ?? [];
      expect(numberOf(row[4]), item.code).toBe(item.value);
      expect(numberOf(row[6]), item.code).toBe(item.yearValue);
      expect(numberOf(row[8]), item.code).toBe(item.target);
      expect(numberOf(row[9]), item.code).toBe(item.progress);
    }
    // U1: 2 of a programme-wide target of 3 (at risk: under 90 %), written with '.' and every digit
    const u1 = rows.find((row) => row[0] === 'U1') ?? [];
    expect(u1.slice(1, 4)).toEqual(['Technical exchanges', 'Understand', 'count']);
    expect(u1[9]).toBe('0.6666666666666666');
    expect(u1[11]).toBe('2');
    expect(u1[10]).toBe('At risk');
  });

  it('speaks German with lang=de and with Accept-Language, headers and enum words', async () => {
    const byParameter = await download(
      x.s.url,
      `/export/indicators.csv${year2025}&lang=de`,
      x.monitorToken,
    );
    const byHeader = await download(x.s.url, `/export/indicators.csv${year2025}`, x.monitorToken, {
      'Accept-Language': 'de-DE,de;q=0.9,en;q=0.5',
    });
    expect(byHeader.text).toBe(byParameter.text);
    const [header, ...rows] = csvRows(byParameter.text);
    expect(header?.slice(0, 4)).toEqual(['Kürzel', 'Name', 'Programmziel', 'Einheit']);
    expect(header).toContain('Zielwert');
    const u1 = rows.find((row) => row[0] === 'U1') ?? [];
    expect(u1[2]).toBe('Verstehen');
    expect(u1[3]).toBe('Anzahl');
    expect(u1[10]).toBe('Gefährdet');
    // lang wins over Accept-Language
    const english = await download(
      x.s.url,
      `/export/indicators.csv${year2025}&lang=en`,
      x.monitorToken,
      {
        'Accept-Language': 'de',
      },
    );
    expect(csvRows(english.text)[0]?.[0]).toBe('Code');
  });

  it('writes exchanges as CSV whose awkward title and umlauts read back unchanged', async () => {
    const file = await download(x.s.url, '/export/exchanges.csv?lang=de', x.monitorToken);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe(
      'attachment; filename="udx-exchanges.csv"',
    );
    const [header, ...rows] = csvRows(file.text);
    expect(header?.slice(0, 5)).toEqual(['ID', 'Partnerschaft', 'Art', 'Format', 'Titel']);
    // latest first, as the API lists them
    expect(rows.map((row) => row[4])).toEqual([
      AWKWARD_TITLE,
      'Mayors on sponge cities',
      'Zero waste workshop',
    ]);
    const [awkward, mayors] = rows;
    expect(awkward?.slice(1, 4)).toEqual(['Bonn – Minneapolis', 'Fachaustausch', 'Hybrid']);
    expect(awkward?.[5]).toBe('2025-09-01');
    expect(awkward?.[8]).toBe('7');
    expect(awkward?.[9]).toBe('Kommunal; National');
    expect(mayors?.[1]).toBe('Köln – Liverpool');
    expect(mayors?.[12]).toBe('11.6');
  });

  it('names the file by scope and period, in plain ASCII', async () => {
    const cases: [string, string][] = [
      [
        `/export/indicators.csv?partnershipId=${partnershipId(x.f.partnership.cd)}&from=2025-01-01&to=2025-12-31`,
        'udx-indicators-koeln-liverpool-2025.csv',
      ],
      [
        `/export/exchanges.xlsx?cityId=${encodeGlobalID('City', x.f.city.c)}&from=2025-01-01&to=2026-12-31`,
        'udx-exchanges-koeln-2025-2026.xlsx',
      ],
      [
        '/export/iati.xml?countryCode=gb&from=2025-04-01&to=2025-06-30',
        'udx-iati-gb-2025-04-01_2025-06-30.xml',
      ],
    ];
    for (const [path, name] of cases) {
      const file = await download(x.s.url, path, x.monitorToken);
      expect(file.headers.get('content-disposition'), path).toBe(`attachment; filename="${name}"`);
    }
  });

  it('writes outcomes as CSV', async () => {
    const file = await download(x.s.url, '/export/outcomes.csv', x.monitorToken);
    const [header, ...rows] = csvRows(file.text);
    expect(header?.slice(0, 5)).toEqual(['ID', 'Partnership', 'Kind', 'Status', 'Title']);
    expect(rows.map((row) => [row[4], row[2], row[3], row[6], row[7], row[8]])).toEqual([
      [
        'Sponge city charter',
        'Agreement',
        'Achieved',
        '2025-06-01',
        'Mayors on sponge cities',
        '11.6',
      ],
      ['Repair cafés', 'New approach', 'Planned', '2025-05-01', 'Zero waste workshop', '12.5'],
    ]);
  });

  it('writes a workbook of four sheets with frozen headers and real numbers and dates', async () => {
    const file = await download(x.s.url, `/export/indicators.xlsx${year2025}`, x.monitorToken);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe(
      'attachment; filename="udx-indicators-2025.xlsx"',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      'Indicators',
      'Series',
      'Exchanges',
      'Outcomes',
    ]);
    for (const sheet of workbook.worksheets) {
      expect(sheet.views[0], sheet.name).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
    const indicators = workbook.getWorksheet('Indicators');
    const u1 = indicators?.getRows(2, 15)?.find((row) => row.getCell(1).value === 'U1');
    expect(u1?.getCell(5).value).toBe(2);
    expect(u1?.getCell(9).value).toBe(3);
    expect(u1?.getCell(10).value).toBe(2 / 3);
    expect(u1?.getCell(11).value).toBe('At risk');
    const dashboard = await dashboardIndicators(x.s.url, x.monitorToken, {
      from: '2025-01-01',
      to: '2025-12-31',
    });
    const values = indicators?.getRows(2, 15)?.map((row) => row.getCell(5).value ?? null);
    expect(values).toEqual(dashboard.map((item) => item.value));
    const series = workbook.getWorksheet('Series');
    expect(series?.getRow(1).getCell(3).value).toBe('Year');
    expect(series?.getRow(2).getCell(3).value).toBe(2025);
    const exchanges = workbook.getWorksheet('Exchanges');
    expect(exchanges?.rowCount).toBe(4);
    expect(exchanges?.getRow(2).getCell(5).value).toBe(AWKWARD_TITLE);
    expect(exchanges?.getRow(2).getCell(6).value).toEqual(new Date('2025-09-01T00:00:00Z'));
    expect(exchanges?.getRow(2).getCell(9).value).toBe(7);
  });

  it('writes one-sheet workbooks of exchanges and of outcomes in German', async () => {
    for (const [path, sheetName, rowCount] of [
      ['/export/exchanges.xlsx?lang=de', 'Austausche', 4],
      ['/export/outcomes.xlsx?lang=de', 'Ergebnisse', 3],
    ] as const) {
      const file = await download(x.s.url, path, x.monitorToken);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([sheetName]);
      expect(workbook.worksheets[0]?.rowCount).toBe(rowCount);
    }
  });

  it('pages through more exchanges than one read holds, each once, as many as U1 counts', async () => {
    const rows = Array.from({ length: 1_100 }, (_, index) => ({
      partnership_id: x.f.partnership.ab,
      kind: 'TECHNICAL' as const,
      format: 'VIRTUAL' as const,
      title: `Bulk exchange ${index}`,
      starts_on: `2031-0${1 + (index % 9)}-1${index % 10}`,
      host_city_id: x.f.city.a,
      participant_count: 1,
    }));
    const ids = await insertIds(x.s.db, 'exchange', rows);
    try {
      const period = '?from=2031-01-01&to=2031-12-31';
      const file = await download(x.s.url, `/export/exchanges.csv${period}`, x.monitorToken);
      const [, ...exchanges] = csvRows(file.text);
      expect(exchanges).toHaveLength(1_100);
      expect(new Set(exchanges.map((row) => row[0])).size).toBe(1_100);
      const dates = exchanges.map((row) => row[5] ?? '');
      expect(dates).toEqual([...dates].sort().reverse());
      const indicators = csvRows(
        (await download(x.s.url, `/export/indicators.csv${period}`, x.monitorToken)).text,
      );
      expect(indicators.find((row) => row[0] === 'U1')?.[4]).toBe('1100');
    } finally {
      await x.s.db.deleteFrom('exchange').where('id', 'in', ids).execute();
    }
  });

  it('writes an IATI file that validates against the 2.03 schema, with the dashboard’s values', async () => {
    const file = await download(
      x.s.url,
      '/export/iati.xml?from=2024-01-01&to=2025-12-31',
      x.monitorToken,
    );
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('application/xml');
    expect(file.headers.get('content-disposition')).toBe(
      'attachment; filename="udx-iati-2024-2025.xml"',
    );
    const validation = await validateXML({
      xml: [{ fileName: 'udx-iati.xml', contents: file.text }],
      schema: [
        {
          fileName: 'iati-activities-schema.xsd',
          contents: iatiFile('iati-activities-schema.xsd'),
        },
      ],
      preload: [
        { fileName: 'iati-common.xsd', contents: iatiFile('iati-common.xsd') },
        { fileName: 'xml.xsd', contents: iatiFile('xml.xsd') },
      ],
    });
    expect(validation.errors).toEqual([]);
    expect(validation.valid).toBe(true);

    const document: XmlObject = convert(file.text, { format: 'object' });
    const activities = list(document['iati-activities']['iati-activity']);
    expect(activities).toHaveLength(2);
    const ab = activities.find((a) => a['iati-identifier'].endsWith(`-${x.f.partnership.ab}`));
    expect(ab.title.narrative).toBe('Urban Diplomacy Exchange: Bonn – Minneapolis');
    expect(list(ab['participating-org']).map((org) => org['@role'])).toEqual(['1', '3', '4', '4']);

    // SDG tags: vocabulary 2 goals, 3 targets, every code from IATI's lists
    const goals = codesOf('UNSDG-Goals.xml');
    const targets = codesOf('UNSDG-Targets.xml');
    const tags = list(ab.tag).map((tag) => [tag['@vocabulary'], tag['@code']]);
    expect(tags).toContainEqual(['2', '12']);
    expect(tags).toContainEqual(['3', '12.5']);
    for (const [vocabulary, code] of tags) {
      expect(['2', '3']).toContain(vocabulary);
      expect((vocabulary === '2' ? goals : targets).has(code), code).toBe(true);
    }

    // results: per indicator and year the partnership's own dashboard series
    for (const activity of activities) {
      const id = Number(activity['iati-identifier'].split('-').at(-1));
      const series = await dashboardSeries(x.s.url, x.monitorToken, {
        partnershipId: partnershipId(id),
        from: '2024-01-01',
        to: '2025-12-31',
      });
      const results = list(activity.result);
      expect(results).toHaveLength(15);
      for (const result of results) {
        const code = result.indicator.reference['@code'];
        const periods = list(result.indicator.period).map((period) => ({
          period: period['period-start']['@iso-date'].slice(0, 4),
          value: period.actual ? Number(period.actual['@value']) : null,
          target: period.target ? Number(period.target['@value']) : null,
        }));
        expect(periods, `${id} ${code}`).toEqual(series.get(code));
      }
    }
    const u1 = list(ab.result).find((r) => r.indicator.reference['@code'] === 'U1');
    expect(u1.indicator.baseline).toEqual({ '@year': '2025', '@value': '2' });
    expect(u1.indicator['@measure']).toBe('1');
    const u5 = list(ab.result).find((r) => r.indicator.reference['@code'] === 'U5');
    expect(u5.indicator['@measure']).toBe('2');
  });
});
