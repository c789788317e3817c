import { encodeGlobalID } from '@pothos/plugin-relay';
import { testEngines } from '@udx/db/testing';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, insertAccount, type Json, signInToken } from './auth-helpers.ts';
import { download, type ExportFixture, startExportFixture } from './export-fixture.ts';
import { insertIds } from './insert-rows.ts';

// The reported values as a file in the import's columns (README, "Exports"): exported and
// imported again by the same account, every value is the same value.

const CSV = 'text/csv';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PASSWORD = 'values-export-password';
const YEARS = '?from=2024-01-01&to=2025-12-31';
const NOTE = 'Survey, "short" form\nKöln';

const csvRows = (text: string): string[][] => parse(text, { bom: true });

describe.each(testEngines())('the values export on %s', (engine) => {
  let x: ExportFixture;
  let adminToken: string;
  let springfield: string;

  /** Imports a file as the account of `token`; `?dryRun=true` checks without writing. */
  const upload = async (body: string | Buffer, type: string, token: string, query = '') => {
    const response = await fetch(`${x.s.url}/import/values${query}`, {
      method: 'POST',
      headers: { 'Content-Type': type, ...bearer(token) },
      body,
    });
    return { status: response.status, json: (await response.json()) as Json };
  };

  beforeAll(async () => {
    x = await startExportFixture(engine);
    const { f, s } = x;
    // two partner cities of Bonn share a name: the file names them by id, as the import needs
    const [us, gb] = (await insertIds(s.db, 'city', [
      { name: 'Springfield', country_code: 'US' },
      { name: 'Springfield', country_code: 'GB' },
    ])) as [number, number];
    await insertIds(s.db, 'partnership', [
      { german_city_id: f.city.a, partner_city_id: us },
      { german_city_id: f.city.a, partner_city_id: gb },
    ]);
    springfield = encodeGlobalID('City', us);
    const indicatorId = async (code: string) =>
      (
        await s.db
          .selectFrom('indicator')
          .select('id')
          .where('code', '=', code)
          .executeTakeFirstOrThrow()
      ).id;
    const [s5, n5] = [await indicatorId('S5'), await indicatorId('N5')];
    await insertIds(s.db, 'reported_value', [
      // numbers a CSV must write with care: an exponent in JavaScript, three decimals
      {
        indicator_id: s5,
        city_id: f.city.c,
        year: 2025,
        numerator: 0.0000001,
        denominator: 12.125,
        note: NOTE,
        status: 'APPROVED',
      },
      {
        indicator_id: n5,
        city_id: f.city.a,
        year: 2025,
        quarter: 2,
        value: 3,
        status: 'SUBMITTED',
      },
      {
        indicator_id: n5,
        city_id: f.city.a,
        year: 2025,
        quarter: 3,
        value: 1e21,
        status: 'SUBMITTED',
      },
      { indicator_id: n5, city_id: us, year: 2025, value: 4, status: 'APPROVED' },
    ]);
    await insertAccount(s.db, {
      email: 'admin@example.org',
      role: 'SKEW_ADMIN',
      password: PASSWORD,
    });
    adminToken = await signInToken(s.url, 'admin@example.org', PASSWORD);
  }, 180_000);
  afterAll(async () => {
    await x?.s.stop();
  });

  it("writes the scope's values in the import's columns, and the CSV imports again unchanged", async () => {
    const file = await download(x.s.url, `/export/values.csv${YEARS}`, adminToken);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe(
      'attachment; filename="udx-values-2024-2025.csv"',
    );
    const [header, ...rows] = csvRows(file.text);
    expect(header).toEqual([
      'indicator',
      'city',
      'year',
      'quarter',
      'value',
      'numerator',
      'denominator',
      'note',
      'Status',
    ]);
    // the fixture's U5 values of 2024 and 2025 (drafts and rejected ones are of 2022 and 2023)
    expect(rows.filter((row) => row[0] === 'U5').map((row) => [row[1], row[2], row[8]])).toEqual([
      ['Bonn', '2024', 'Approved'],
      ['Bonn', '2025', 'Submitted'],
      ['Köln', '2024', 'Approved'],
      ['Köln', '2025', 'Submitted'],
      ['Minneapolis', '2024', 'Approved'],
      ['Minneapolis', '2025', 'Submitted'],
    ]);
    expect(rows).toContainEqual([
      'S5',
      'Köln',
      '2025',
      '',
      '',
      '0.0000001',
      '12.1250',
      NOTE,
      'Approved',
    ]);
    expect(rows).toContainEqual([
      'N5',
      'Bonn',
      '2025',
      '3',
      '1000000000000000000000',
      '',
      '',
      '',
      'Submitted',
    ]);
    expect(rows).toContainEqual(['N5', springfield, '2025', '', '4', '', '', '', 'Approved']);
    expect(rows).toHaveLength(10);

    const again = await upload(file.text, CSV, adminToken, '?dryRun=true');
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({
      dryRun: true,
      rows: 10,
      created: 0,
      updated: 0,
      unchanged: 10,
      problemCount: 0,
    });
  });

  it('writes German headers with lang=de, which import again unchanged', async () => {
    const file = await download(x.s.url, `/export/values.csv${YEARS}&lang=de`, adminToken);
    const [header, ...rows] = csvRows(file.text);
    expect(header).toEqual([
      'Indikator',
      'Stadt',
      'Jahr',
      'Quartal',
      'Wert',
      'Zähler',
      'Nenner',
      'Notiz',
      'Status',
    ]);
    expect(rows.find((row) => row[0] === 'S5')?.[8]).toBe('Freigegeben');
    const again = await upload(file.text, CSV, adminToken, '?dryRun=true');
    expect(again.json).toMatchObject({ rows: 10, unchanged: 10, problemCount: 0 });
  });

  it('writes a workbook with number cells, which imports again unchanged', async () => {
    const file = await download(x.s.url, `/export/values.xlsx${YEARS}`, adminToken);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe(
      'attachment; filename="udx-values-2024-2025.xlsx"',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.name).toBe('Reported values');
    expect(sheet?.getRow(1).values).toEqual([
      undefined,
      'indicator',
      'city',
      'year',
      'quarter',
      'value',
      'numerator',
      'denominator',
      'note',
      'Status',
    ]);
    const s5 = sheet?.getRows(2, 10)?.find((row) => row.getCell(1).value === 'S5');
    expect([2, 3, 6, 7, 8].map((column) => s5?.getCell(column).value)).toEqual([
      'Köln',
      2025,
      0.0000001,
      12.125,
      NOTE,
    ]);
    const again = await upload(file.body, XLSX, adminToken, '?dryRun=true');
    expect(again.json).toMatchObject({
      dryRun: true,
      rows: 10,
      created: 0,
      updated: 0,
      unchanged: 10,
      problemCount: 0,
    });
  });

  it("gives a city account its own city's values only, of every status, and they import again", async () => {
    const file = await download(x.s.url, '/export/values.csv', x.editorAToken);
    expect(file.status).toBe(200);
    const [, ...rows] = csvRows(file.text);
    // Bonn's four U5 values and its two N5 quarters; never Minneapolis's, Köln's or Springfield's
    expect(rows.map((row) => [row[0], row[1], row[2], row[3], row[8]])).toEqual([
      ['U5', 'Bonn', '2022', '', 'Rejected'],
      ['U5', 'Bonn', '2023', '', 'Draft'],
      ['U5', 'Bonn', '2024', '', 'Approved'],
      ['U5', 'Bonn', '2025', '', 'Submitted'],
      ['N5', 'Bonn', '2025', '2', 'Submitted'],
      ['N5', 'Bonn', '2025', '3', 'Submitted'],
    ]);
    // imported again, the draft and the rejected value would be submitted for review
    const again = await upload(file.text, CSV, x.editorAToken, '?dryRun=true');
    expect(again.json).toMatchObject({ rows: 6, updated: 2, unchanged: 4, problemCount: 0 });

    // the Foreign Office reads approved values only
    const monitor = await download(x.s.url, `/export/values.csv${YEARS}`, x.monitorToken);
    const statuses = csvRows(monitor.text)
      .slice(1)
      .map((row) => row[8]);
    expect(statuses).toHaveLength(5);
    expect(new Set(statuses)).toEqual(new Set(['Approved']));

    // another city's values are refused as every export refuses them, and without a session
    const koeln = `?cityId=${encodeGlobalID('City', x.f.city.c)}`;
    expect((await download(x.s.url, `/export/values.csv${koeln}`, x.editorAToken)).status).toBe(
      403,
    );
    expect((await download(x.s.url, '/export/values.xlsx')).status).toBe(401);
  });

  it('imports a value changed in the exported CSV as the one update, and exports it changed', async () => {
    const file = await download(x.s.url, `/export/values.csv${YEARS}`, adminToken);
    const changed = file.text.replace('N5,Bonn,2025,2,3,', 'N5,Bonn,2025,2,5,');
    expect(changed).not.toBe(file.text);
    const answer = await upload(changed, CSV, adminToken);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      dryRun: false,
      rows: 10,
      created: 0,
      updated: 1,
      unchanged: 9,
      problemCount: 0,
    });
    const next = await download(x.s.url, `/export/values.csv${YEARS}`, adminToken);
    expect(next.text).toBe(changed);
  });
});
