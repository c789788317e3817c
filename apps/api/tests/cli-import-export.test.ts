import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { type Db, openDatabase } from '@udx/db/database';
import { createTestDatabase, type Engine, testEngines } from '@udx/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/auth/password.ts';
import { createServer } from '../src/server.ts';
import { bearer, insertAccount, type Json, signInToken } from './auth-helpers.ts';
import { insertRlsFixture, type RlsFixture } from './rls-fixture.ts';

// `pnpm udx import values` and `pnpm udx export` (README, "Import" and "Exports"): the command
// line on the server's database, acting for the account --as names, says what the endpoints say
// and writes the files they answer.

const PASSWORD = 'cli-test-password';
const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HEADER = 'indicator,city,year,quarter,value,numerator,denominator,note';
const GOOD_ROWS = ['U5,Bonn,2026,,,30.5,60,Survey', 'N5,Bonn,2026,1,3,,,'];
/** Row 4: another city's value; row 5: no such indicator. */
const FAULTY_FILE = [HEADER, ...GOOD_ROWS, 'U5,Minneapolis,2026,,,1,2,', 'X9,Bonn,2026,,,1,2,'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The database as the command line finds it (its settings), and the server on it. */
interface Place {
  env: Record<string, string>;
  /** The server on the same database, for what the HTTP endpoints answer. */
  withServer<T>(fn: (url: string, db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * On PostgreSQL the server runs beside the command line, as in production. The embedded
 * database serves one process at a time: it lives in a folder, and the server opens it only
 * between two commands.
 */
async function placeOn(engine: Engine, fill: (db: Db) => Promise<void>): Promise<Place> {
  const handle = await createTestDatabase(engine);
  await fill(handle.db);
  const serve = async <T>(db: Db, fn: (url: string, db: Db) => Promise<T>) => {
    const server = await createServer({ db });
    try {
      return await fn(await server.listen(0, '127.0.0.1'), db);
    } finally {
      await server.close();
    }
  };
  if (engine === 'postgres') {
    return {
      // the test database's URL: trust authentication, no password to mask
      env: { DATABASE_URL: handle.location },
      withServer: (fn) => serve(handle.db, fn),
      close: () => handle.close(),
    };
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'udx-cli-'));
  const dump = await handle.dump?.();
  await handle.close();
  const copy = await openDatabase({ dataDir, ...(dump ? { pgliteDump: dump } : {}) });
  await copy.close();
  return {
    env: { UDX_DATA_DIR: dataDir },
    withServer: async (fn) => {
      const opened = await openDatabase({ dataDir });
      try {
        return await serve(opened.db, fn);
      } finally {
        await opened.close();
      }
    },
    close: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** The environment without the database settings of whoever runs the tests. */
function serverSettingsLeftOut(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, UDX_DATA_DIR: _dir, ...rest } = env;
  return rest;
}

describe.each(testEngines())('udx import and export on the command line on %s', (engine) => {
  let place: Place;
  let f: RlsFixture;
  let work: string;

  /** Runs `pnpm udx …` as the package script does, from the folder `work`. */
  const udx = (...args: string[]): Promise<Run> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
        cwd: apiDir,
        env: { ...serverSettingsLeftOut(process.env), ...place.env, INIT_CWD: work },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  const file = (name: string, lines: readonly string[]) => {
    writeFileSync(path.join(work, name), `${lines.join('\n')}\n`);
    return name;
  };

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'udx-cli-files-'));
    place = await placeOn(engine, async (db) => {
      f = await insertRlsFixture(db);
      await db
        .updateTable('app_user')
        .set({ password_hash: await hashPassword(PASSWORD) })
        .where('id', '=', f.user.editorA)
        .execute();
      await insertAccount(db, {
        email: 'admin@example.org',
        role: 'SKEW_ADMIN',
        password: PASSWORD,
      });
    });
  }, 180_000);
  afterAll(async () => {
    await place?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('refuses a wrong command line with exit code 2 and the usage', async () => {
    const run = await udx('export', 'indicators', '--format', 'pdf', '--out', 'x.pdf');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--format must be csv or xlsx');
    expect(run.stderr).toContain('Usage:');
  });

  it('checks a file with problems as Bonn’s editor: exit 1, each problem as the API words it, nothing written', async () => {
    const name = file('faulty.csv', FAULTY_FILE);
    const run = await udx('import', 'values', name, '--dry-run', '--as', 'Editor.A@example.org');
    expect(run.code, run.stderr).toBe(1);
    const api = await place.withServer(async (url, db) => {
      const token = await signInToken(url, 'editor.a@example.org', PASSWORD);
      const response = await fetch(`${url}/import/values?dryRun=true`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/csv', ...bearer(token) },
        body: readFileSync(path.join(work, name)),
      });
      const stored = await db
        .selectFrom('reported_value')
        .select('id')
        .where('city_id', '=', f.city.a)
        .where('year', '=', 2026)
        .execute();
      return { json: (await response.json()) as Json, stored: stored.length };
    });
    expect(api.json.problems.map((p: Json) => [p.row, p.column])).toEqual([
      [4, 'city'],
      [5, 'indicator'],
    ]);
    for (const problem of api.json.problems) {
      expect(run.stdout).toContain(`row ${problem.row}, ${problem.column}: ${problem.message}`);
    }
    expect(run.stdout).toContain('2 problems in 4 rows; nothing was written');
    expect(api.stored).toBe(0);
  });

  it('imports a good file for its account, once: the values submitted for review', async () => {
    const name = file('good.csv', [HEADER, ...GOOD_ROWS]);
    const run = await udx('import', 'values', name, '--as', 'editor.a@example.org');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('2 rows imported as editor.a@example.org: 2 created');
    const again = await udx('import', 'values', name, '--as', 'editor.a@example.org');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('0 created, 0 updated, 2 unchanged');
    const stored = await place.withServer((_url, db) =>
      db
        .selectFrom('reported_value')
        .select(['numerator', 'denominator', 'value', 'status', 'entered_by'])
        .where('city_id', '=', f.city.a)
        .where('year', '=', 2026)
        .orderBy('numerator')
        .execute(),
    );
    expect(stored).toEqual([
      {
        numerator: 30.5,
        denominator: 60,
        value: null,
        status: 'SUBMITTED',
        entered_by: f.user.editorA,
      },
      {
        numerator: null,
        denominator: null,
        value: 3,
        status: 'SUBMITTED',
        entered_by: f.user.editorA,
      },
    ]);
  });

  it('writes the file the export endpoints answer, for the account’s scope', async () => {
    const scope = [
      '--partnership',
      String(f.partnership.ab),
      '--from',
      '2026-01-01',
      '--to',
      '2026-12-31',
    ];
    const csv = await udx(
      'export',
      'indicators',
      ...scope,
      '--as',
      'admin@example.org',
      '--out',
      'bonn.csv',
    );
    expect(csv.code, csv.stderr).toBe(0);
    const iati = await udx(
      'export',
      'iati',
      '--lang',
      'de',
      '--as',
      'editor.a@example.org',
      '--out',
      'iati.xml',
    );
    expect(iati.code, iati.stderr).toBe(0);
    // another city's partnership: refused as the endpoint refuses it
    const other = await udx(
      'export',
      'exchanges',
      '--partnership',
      String(f.partnership.cd),
      '--as',
      'editor.a@example.org',
      '--out',
      'other.csv',
    );
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('FORBIDDEN');

    const http = await place.withServer(async (url) => {
      const download = async (email: string, query: string) => {
        const token = await signInToken(url, email, PASSWORD);
        const response = await fetch(`${url}${query}`, { headers: bearer(token) });
        expect(response.status).toBe(200);
        return Buffer.from(await response.arrayBuffer());
      };
      return {
        csv: await download(
          'admin@example.org',
          `/export/indicators.csv?partnershipId=${encodeURIComponent(encodeGlobalID('Partnership', f.partnership.ab))}&from=2026-01-01&to=2026-12-31`,
        ),
        iati: await download('editor.a@example.org', '/export/iati.xml?lang=de'),
      };
    });
    const written = readFileSync(path.join(work, 'bonn.csv'));
    expect(written.toString('utf8')).toContain('U5');
    expect(written.equals(http.csv)).toBe(true);
    const xml = readFileSync(path.join(work, 'iati.xml'));
    expect(xml.toString('utf8')).toContain('Bonn – Minneapolis');
    expect(xml.toString('utf8')).not.toContain('Liverpool');
    expect(xml.equals(http.iati)).toBe(true);
  });
});
