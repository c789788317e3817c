import { encodeGlobalID } from '@pothos/plugin-relay';
import { testEngines } from '@udx/db/testing';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AWKWARD_TITLE,
  dashboardIndicators,
  download,
  type ExportFixture,
  partnershipId,
  startExportFixture,
} from './export-fixture.ts';

const EXPORTS = [
  '/export/indicators.csv',
  '/export/indicators.xlsx',
  '/export/exchanges.csv',
  '/export/exchanges.xlsx',
  '/export/outcomes.csv',
  '/export/outcomes.xlsx',
  '/export/values.csv',
  '/export/values.xlsx',
  '/export/iati.xml',
];

const csvRows = (text: string): string[][] => parse(text, { bom: true });

describe.each(testEngines())('rights and parameters of the exports on %s', (engine) => {
  let x: ExportFixture;

  beforeAll(async () => {
    x = await startExportFixture(engine);
  }, 180_000);
  afterAll(async () => {
    await x?.s.stop();
  });

  it('refuses every export without a session with 401', async () => {
    for (const path of EXPORTS) {
      const file = await download(x.s.url, path);
      expect(file.status, path).toBe(401);
      expect(JSON.parse(file.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const expired = await download(x.s.url, '/export/exchanges.csv', 'not-a-session-token');
    expect(expired.status).toBe(401);
  });

  it('gives a city account its own city’s partnerships and records only', async () => {
    const exchanges = csvRows(
      (await download(x.s.url, '/export/exchanges.csv', x.editorAToken)).text,
    );
    expect(exchanges.slice(1).map((row) => row[4])).toEqual([AWKWARD_TITLE, 'Zero waste workshop']);
    expect(exchanges.slice(1).every((row) => row[1] === 'Bonn – Minneapolis')).toBe(true);
    const outcomes = csvRows(
      (await download(x.s.url, '/export/outcomes.csv', x.editorAToken)).text,
    );
    expect(outcomes.slice(1).map((row) => row[4])).toEqual(['Repair cafés']);
    const iati = await download(x.s.url, '/export/iati.xml', x.editorAToken);
    expect(iati.status).toBe(200);
    expect(iati.text).toContain('Bonn – Minneapolis');
    expect(iati.text).not.toContain('Köln');
    expect(iati.text.match(/<iati-activity /g)).toHaveLength(1);
    const workbook = await download(x.s.url, '/export/indicators.xlsx', x.editorAToken);
    expect(workbook.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(workbook.body as unknown as ArrayBuffer);
    const texts: string[] = [];
    for (const sheet of book.worksheets) {
      sheet.eachRow((row) => {
        row.eachCell((cell) => {
          texts.push(String(cell.value));
        });
      });
    }
    expect(texts).toContain('Bonn – Minneapolis');
    expect(
      texts.filter((text) =>
        /Liverpool|Mayors on sponge|Sponge city charter|Stadtplanungsamt/.test(text),
      ),
    ).toEqual([]);
  });

  it('gives a city account the figures its dashboard shows', async () => {
    const rows = csvRows(
      (
        await download(
          x.s.url,
          '/export/indicators.csv?from=2025-01-01&to=2025-12-31',
          x.editorAToken,
        )
      ).text,
    ).slice(1);
    const dashboard = await dashboardIndicators(x.s.url, x.editorAToken, {
      from: '2025-01-01',
      to: '2025-12-31',
    });
    expect(rows.map((row) => [row[0], row[4] === '' ? null : Number(row[4])])).toEqual(
      dashboard.map((item) => [item.code, item.value]),
    );
  });

  it('refuses another city’s partnership or city as the dashboard does (403), an unknown one with 404', async () => {
    const foreign = await download(
      x.s.url,
      `/export/exchanges.csv?partnershipId=${partnershipId(x.f.partnership.cd)}`,
      x.editorAToken,
    );
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.text).errors[0].extensions).toEqual({
      code: 'FORBIDDEN',
      field: 'scope.partnershipId',
    });
    const foreignCity = await download(
      x.s.url,
      `/export/iati.xml?cityId=${encodeGlobalID('City', x.f.city.c)}`,
      x.editorAToken,
    );
    expect(foreignCity.status).toBe(403);
    const unknown = await download(
      x.s.url,
      `/export/indicators.csv?partnershipId=${partnershipId(99_999)}`,
      x.monitorToken,
    );
    expect(unknown.status).toBe(404);
  });

  it('refuses a bad parameter with 400 naming it, never a server error', async () => {
    const cases: [string, string][] = [
      ['from=2026-13-01', 'from'],
      ['to=2026-02-30', 'to'],
      ['from=yesterday', 'from'],
      ['from=2026-03-01&to=2026-02-01', 'to'],
      ['countryCode=XYZ', 'countryCode'],
      ['partnershipId=garbage', 'partnershipId'],
      [`partnershipId=${encodeGlobalID('City', x.f.city.a)}`, 'partnershipId'],
      ['cityId=42', 'cityId'],
      ['lang=fr', 'lang'],
      ['year=2025', 'year'],
      ['from=2025-01-01&from=2026-01-01', 'from'],
    ];
    for (const [query, field] of cases) {
      for (const path of ['/export/indicators.csv', '/export/iati.xml']) {
        const answer = await download(x.s.url, `${path}?${query}`, x.monitorToken);
        expect(answer.status, `${path}?${query}`).toBe(400);
        const error = JSON.parse(answer.text).errors[0];
        expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
        expect(error.message).toContain(field);
      }
    }
  });

  it('answers only GET', async () => {
    const response = await fetch(`${x.s.url}/export/exchanges.csv`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });
});
