import { request as httpRequest } from 'node:http';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { testEngines } from '@udx/db/testing';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/auth/password.ts';
import {
  type AuthServer,
  bearer,
  insertAccount,
  type Json,
  post,
  SIGN_IN,
  signInToken,
  startAuthServer,
} from './auth-helpers.ts';
import {
  csvOf,
  ENGLISH_HEADER,
  FAULTY_ROWS,
  GERMAN_HEADER,
  germanCell,
  xlsxOf,
} from './fixtures/import/faulty-rows.ts';
import { insertIds } from './insert-rows.ts';
import { insertRlsFixture, type RlsFixture } from './rls-fixture.ts';

// Import of reported values from CSV and XLSX (README, "Import"): every problem by row and
// column, nothing written unless the whole file is right, the same rules as reportValues.

const PASSWORD = 'import-test-password';
const CSV = 'text/csv';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Answer {
  status: number;
  json: Json;
}

describe.each(testEngines())('import of reported values on %s', (engine) => {
  let s: AuthServer;
  let f: RlsFixture;
  let editor: Record<string, string>;
  let admin: Record<string, string>;

  const upload = async (
    body: string | Buffer,
    type: string,
    headers: Record<string, string>,
    query = '',
  ): Promise<Answer> => {
    const response = await fetch(`${s.url}/import/values${query}`, {
      method: 'POST',
      headers: { 'Content-Type': type, ...headers },
      body,
    });
    return { status: response.status, json: await response.json() };
  };
  /** What a file changed: reported values and audit entries stored. */
  const counts = async () => {
    const values = await s.db
      .selectFrom('reported_value')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const audit = await s.db
      .selectFrom('audit_entry')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return { values: Number(values.n), audit: Number(audit.n) };
  };
  const planted = (language: 'en' | 'de') =>
    FAULTY_ROWS.flatMap((r, index) =>
      r.code === 'OK'
        ? []
        : [
            {
              row: index + 2,
              column:
                r.column === null
                  ? null
                  : (language === 'de' ? GERMAN_HEADER : ENGLISH_HEADER)[
                      ENGLISH_HEADER.indexOf(r.column)
                    ],
              code: r.code,
            },
          ],
    );
  /** Each planted problem is found at its row and column, and no other row has one. */
  const expectPlanted = (json: Json, language: 'en' | 'de') => {
    const found = json.problems.map((p: Json) => ({ row: p.row, column: p.column, code: p.code }));
    for (const problem of planted(language)) expect(found).toContainEqual(problem);
    expect(new Set(found.map((p: Json) => p.row))).toEqual(
      new Set(planted(language).map((p) => p.row)),
    );
    expect(json.problemCount).toBe(json.problems.length);
  };

  beforeAll(async () => {
    s = await startAuthServer(engine);
    f = await insertRlsFixture(s.db);
    // two partner cities of Bonn share a name: naming it is a problem, never a guess
    const [us, gb] = await insertIds(s.db, 'city', [
      { name: 'Springfield', country_code: 'US' },
      { name: 'Springfield', country_code: 'GB' },
    ]);
    await insertIds(s.db, 'partnership', [
      { german_city_id: f.city.a, partner_city_id: us as number },
      { german_city_id: f.city.a, partner_city_id: gb as number },
    ]);
    await s.db
      .updateTable('app_user')
      .set({ password_hash: await hashPassword(PASSWORD) })
      .where('id', 'in', [f.user.editorA, f.user.evaluator])
      .execute();
    await insertAccount(s.db, {
      email: 'admin@example.org',
      role: 'SKEW_ADMIN',
      password: PASSWORD,
    });
    editor = bearer(await signInToken(s.url, 'editor.a@example.org', PASSWORD));
    admin = bearer(await signInToken(s.url, 'admin@example.org', PASSWORD));
  }, 180_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('finds every planted problem of an English CSV in a dry run, and writes nothing', async () => {
    const before = await counts();
    const file = csvOf([ENGLISH_HEADER, ...FAULTY_ROWS.map((r) => r.cells)]);
    const answer = await upload(file, CSV, editor, '?dryRun=true');
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ dryRun: true, rows: 21, created: 1 });
    expectPlanted(answer.json, 'en');
    const byCode = (code: string) => answer.json.problems.find((p: Json) => p.code === code);
    expect(byCode('DUPLICATE').message).toBe('Same indicator, city and period as row 2.');
    expect(byCode('AMBIGUOUS_CITY').message).toContain(encodeGlobalID('City', f.city.a + 4));
    expect(await counts()).toEqual(before);
  });

  it('reads German headers, semicolons and decimal commas, in CSV with a BOM and in XLSX', async () => {
    const before = await counts();
    const rows = [GERMAN_HEADER, ...FAULTY_ROWS.map((r) => r.cells.map(germanCell))];
    const csv = await upload(
      `\ufeff${csvOf(rows, ';')}`,
      `${CSV}; charset=utf-8`,
      editor,
      '?dryRun=true&lang=de',
    );
    const xlsx = await upload(
      await xlsxOf(rows),
      XLSX,
      { ...editor, 'Accept-Language': 'de-DE' },
      '?dryRun=true',
    );
    for (const answer of [csv, xlsx]) {
      expect(answer.status).toBe(200);
      // 30,5 of 60 is read as thirty and a half: the good row would be created
      expect(answer.json).toMatchObject({ dryRun: true, rows: 21, created: 1 });
      expectPlanted(answer.json, 'de');
      const above = answer.json.problems.find(
        (p: Json) => p.code === 'NUMERATOR_ABOVE_DENOMINATOR',
      );
      expect(above.message).toBe('Der Zähler darf nicht größer als der Nenner sein.');
    }
    expect(await counts()).toEqual(before);
  });

  it('writes nothing for a file with one problem, imports a clean one once, and the same file again changes nothing', async () => {
    const before = await counts();
    const clean = [
      ['U5', 'Bonn', '2030', '1', '', '12', '40', 'Spring survey'],
      ['U5', 'Bonn', '2030', '2', '', '15', '40', ''],
      ['N5', encodeGlobalID('City', f.city.a), '2030', '', '3', '', '', ''],
    ];
    const faulty = csvOf([
      ENGLISH_HEADER,
      ...clean,
      ['N5', 'Bonn', '2031', '', 'three', '', '', ''],
    ]);
    const refused = await upload(faulty, CSV, editor);
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ dryRun: false, created: 0, updated: 0, problemCount: 1 });
    expect(refused.json.problems).toMatchObject([
      { row: 5, column: 'value', code: 'NOT_A_NUMBER' },
    ]);
    expect(await counts()).toEqual(before);

    const file = csvOf([ENGLISH_HEADER, ...clean]);
    const first = await upload(file, CSV, editor);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      dryRun: false,
      rows: 3,
      created: 3,
      updated: 0,
      unchanged: 0,
      problems: [],
      problemCount: 0,
    });
    const stored = await s.db
      .selectFrom('reported_value')
      .select(['status', 'numerator', 'note', 'entered_by'])
      .where('city_id', '=', f.city.a)
      .where('year', '=', 2030)
      .orderBy('quarter')
      .execute();
    expect(stored.map((v) => v.status)).toEqual(['SUBMITTED', 'SUBMITTED', 'SUBMITTED']);
    expect(stored.every((v) => v.entered_by === f.user.editorA)).toBe(true);
    expect(await counts()).toEqual({ values: before.values + 3, audit: before.audit + 4 });
    const importEntry = await s.db
      .selectFrom('audit_entry')
      .selectAll()
      .where('entity', '=', 'import')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(importEntry).toMatchObject({ actor_id: f.user.editorA, city_ids: [f.city.a] });

    const again = await upload(file, CSV, editor);
    expect(again.json).toMatchObject({ created: 0, updated: 0, unchanged: 3, problemCount: 0 });
    expect(await counts()).toEqual({ values: before.values + 3, audit: before.audit + 4 });

    // a changed figure replaces the submitted value and submits it again, audited
    const changed = csvOf([
      ENGLISH_HEADER,
      ['U5', 'Bonn', '2030', '1', '', '13', '40', 'Spring survey'],
    ]);
    const update = await upload(changed, CSV, editor);
    expect(update.json).toMatchObject({ created: 0, updated: 1, unchanged: 0, problemCount: 0 });
    expect(await counts()).toEqual({ values: before.values + 3, audit: before.audit + 6 });
  });

  it("refuses a city account's row for another city, and its template lists only its city", async () => {
    const before = await counts();
    const file = csvOf([ENGLISH_HEADER, ['U5', 'Köln', '2030', '', '', '1', '2', '']]);
    const answer = await upload(file, CSV, editor);
    // Köln is no partner of Bonn: its editor cannot even see it
    expect(answer.json.problems).toMatchObject([{ row: 2, column: 'city', code: 'UNKNOWN_CITY' }]);
    const partner = csvOf([
      ENGLISH_HEADER,
      ['U5', encodeGlobalID('City', f.city.b), '2030', '', '', '1', '2', ''],
    ]);
    expect((await upload(partner, CSV, editor)).json.problems).toMatchObject([
      {
        row: 2,
        column: 'city',
        code: 'CITY_NOT_YOURS',
        message: "You may only report your own city's values.",
      },
    ]);
    expect(await counts()).toEqual(before);

    const csv = await fetch(`${s.url}/import/values/template.csv?lang=de`, { headers: editor });
    expect(csv.status).toBe(200);
    const text = await csv.text();
    expect(text.split('\r\n')[0] ?? text.split('\n')[0]).toContain(
      'Indikator;Stadt;Jahr;Quartal;Wert;Zähler;Nenner;Notiz',
    );
    expect(text).toContain('Bonn');
    expect(text).not.toContain('Minneapolis');
    expect(text).toContain('U5');
    expect(text).not.toContain('U1 ');

    const xlsx = await fetch(`${s.url}/import/values/template.xlsx`, { headers: editor });
    expect(xlsx.headers.get('content-type')).toBe(XLSX);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const lists = workbook.getWorksheet('Lists');
    const column = (n: number) =>
      (lists?.getColumn(n).values ?? []).slice(2).filter((v) => v !== null && v !== undefined);
    expect(column(1)).toEqual(['U5', 'S5', 'N5']);
    expect(column(4)).toEqual(['Bonn']);
    const values = workbook.getWorksheet('Values');
    expect(values?.getRow(1).values).toEqual([undefined, ...ENGLISH_HEADER]);
    // the indicator and city cells offer the lists of the second sheet
    expect(values?.getCell('A2').dataValidation).toMatchObject({
      type: 'list',
      formulae: ["'Lists'!$A$2:$A$4"],
    });
    expect(values?.getCell('B500').dataValidation).toMatchObject({
      type: 'list',
      formulae: ["'Lists'!$D$2:$D$2"],
    });

    // the template, filled in, imports as it is (comment lines are not read)
    const admins = await fetch(`${s.url}/import/values/template.csv`, { headers: admin });
    const filled = `${await admins.text()}N5,Köln,2030,,4,,,\r\n`;
    const dry = await upload(filled, CSV, admin, '?dryRun=true');
    expect(dry.json).toMatchObject({ rows: 1, created: 1, problemCount: 0 });
  });

  it('answers 401 without a session, 403 to a reviewer, 415 for another type, 413 over the limit, 400 for a file it cannot read', async () => {
    const before = await counts();
    const file = csvOf([ENGLISH_HEADER]);
    const anonymous = await upload(file, CSV, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await fetch(`${s.url}/import/values/template.csv`)).status).toBe(401);
    const evaluator = bearer(await signInToken(s.url, 'evaluator@example.org', PASSWORD));
    expect((await upload(file, CSV, evaluator)).status).toBe(403);

    const json = await upload('{"values":[]}', 'application/json', editor);
    expect(json.status).toBe(415);
    expect(json.json.errors[0].message).toContain('text/csv');

    const tooLarge = await new Promise<Answer>((resolve, reject) => {
      const url = new URL('/import/values', s.url);
      const req = httpRequest(url, {
        method: 'POST',
        headers: { ...editor, 'Content-Type': CSV, 'Content-Length': String(60 * 1024 * 1024) },
      });
      req.on('response', (response) => {
        let text = '';
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, json: JSON.parse(text) }),
        );
      });
      req.on('error', reject);
      req.write('indicator,city,year\n');
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json.errors[0].message).toBe(
      'The file is larger than 50 MiB; split it into several files.',
    );

    const garbage = await upload(
      Buffer.from('this is no workbook at all'.repeat(40)),
      XLSX,
      editor,
    );
    expect(garbage.status).toBe(400);
    expect(garbage.json.errors[0].message).toBe(
      'The file is not an XLSX workbook that can be read.',
    );
    const broken = await upload(
      'indicator,city,year,value\n"U5,Bonn,2025,1\n',
      CSV,
      editor,
      '?lang=de',
    );
    expect(broken.status).toBe(400);
    expect(broken.json.errors[0].message).toMatch(/^Die Datei ist keine gültige CSV-Datei/);
    // German Excel's plain CSV is Windows-1252: Köln's ö is one byte, 0xF6
    const latin1 = Buffer.from('indicator,city,year,value\nN5,Köln,2030,1\n', 'latin1');
    const encoding = await upload(latin1, CSV, editor);
    expect(encoding.status).toBe(400);
    expect(encoding.json.errors[0].message).toContain('CSV UTF-8');
    expect(await counts()).toEqual(before);
  });

  it('takes the session cookie as /graphql does, and says what is wrong with the header', async () => {
    const signIn = await post(s.url, SIGN_IN, {
      email: 'editor.a@example.org',
      password: PASSWORD,
    });
    const cookie = signIn.cookies[0]?.split(';')[0] ?? '';
    const answer = await upload(
      'indikator;stadt;jahr;zahl\r\n',
      CSV,
      { Cookie: cookie },
      '?dryRun=true&lang=de',
    );
    expect(answer.status).toBe(200);
    expect(answer.json.problems.map((p: Json) => [p.row, p.column, p.code])).toEqual([
      [1, 'zahl', 'UNKNOWN_COLUMN'],
      [1, 'Wert', 'MISSING_COLUMN'],
    ]);
    const empty = await upload('', CSV, { Cookie: cookie }, '?dryRun=true');
    expect(empty.json.problems).toMatchObject([{ row: 1, column: null, code: 'EMPTY_FILE' }]);
  });
});
