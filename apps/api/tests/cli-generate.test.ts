import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Db, openDatabase } from '@udx/db/database';
import { createTestDatabase, type Engine, testEngines } from '@udx/db/testing';
import { DEMO_PASSWORD } from '@udx/demo/accounts';
import { planGeneratedDataSet, writeGeneratedDataSet } from '@udx/demo/generate';
import { loadDemoDataSet } from '@udx/demo/load';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/server.ts';
import { bearer, post, signInToken } from './auth-helpers.ts';

// `pnpm udx generate` (README, "Demo data set"): generated demo data of a scale, the same rows for
// the same seed, into a database without other data, replacing demo data only when asked to.

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** What a benchmark would notice of a data set: rows per table and a few sums. */
async function figuresOf(db: Db): Promise<Record<string, string>> {
  const { rows } = await sql<Record<string, string>>`
    SELECT
      (SELECT count(*) FROM city) AS cities,
      (SELECT count(*) FROM partnership) AS partnerships,
      (SELECT count(*) FROM department) AS departments,
      (SELECT count(*) FROM exchange) AS exchanges,
      (SELECT count(*) FROM exchange_department) AS exchange_departments,
      (SELECT count(*) FROM outcome) AS outcomes,
      (SELECT count(*) FROM reported_value) AS reported_values,
      (SELECT count(*) FROM target WHERE partnership_id IS NULL) AS programme_targets,
      (SELECT sum(target) FROM target) AS targets_sum,
      (SELECT count(*) FROM app_user WHERE is_demo) AS demo_accounts,
      (SELECT count(*) FROM app_user WHERE NOT is_demo) AS other_accounts,
      (SELECT sum(participant_count) FROM exchange) AS participants,
      (SELECT sum(numerator) FROM reported_value) AS numerators,
      (SELECT sum(value) FROM reported_value) AS counted,
      (SELECT string_agg(DISTINCT status, ',' ORDER BY status) FROM outcome) AS outcome_statuses,
      (SELECT sum(latitude)::numeric(12, 4) FROM city) AS latitudes,
      (SELECT bool_and(is_demo) FROM exchange) AS exchanges_demo`.execute(db);
  return Object.fromEntries(Object.entries(rows[0] ?? {}).map(([k, v]) => [k, String(v)]));
}

/** The environment without the database settings of whoever runs the tests. */
function serverSettingsLeftOut(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, UDX_DATA_DIR: _dir, ...rest } = env;
  return rest;
}

/**
 * A database the command line finds by its settings. The embedded one serves one process at a
 * time: the test opens it only between two commands.
 */
interface Place {
  env: Record<string, string>;
  withDb<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

async function placeOn(engine: Engine): Promise<Place> {
  const handle = await createTestDatabase(engine);
  if (engine === 'postgres') {
    return {
      env: { DATABASE_URL: handle.location },
      withDb: (fn) => fn(handle.db),
      close: () => handle.close(),
    };
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'udx-generate-'));
  const dump = await handle.dump?.();
  await handle.close();
  const copy = await openDatabase({ dataDir, ...(dump ? { pgliteDump: dump } : {}) });
  await copy.close();
  return {
    env: { UDX_DATA_DIR: dataDir },
    withDb: async (fn) => {
      const opened = await openDatabase({ dataDir });
      try {
        return await fn(opened.db);
      } finally {
        await opened.close();
      }
    },
    close: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

describe.each(testEngines())('udx generate on %s', (engine) => {
  const udx = (place: Place, ...args: string[]): Promise<Run> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
        cwd: apiDir,
        env: { ...serverSettingsLeftOut(process.env), ...place.env },
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

  it('gives the same rows for the same scale and seed, other sums for another seed', async () => {
    const generated = async (seed: number) => {
      const handle = await createTestDatabase(engine);
      try {
        await writeGeneratedDataSet(handle.db, planGeneratedDataSet('tiny', seed), {
          replace: false,
        });
        return await figuresOf(handle.db);
      } finally {
        await handle.close();
      }
    };
    const first = await generated(7);
    expect(first).toMatchObject({
      cities: '8',
      partnerships: '4',
      departments: '24',
      exchanges: '40',
      outcomes: '20',
      // 8 cities, 3 indicators, 2 years
      reported_values: '48',
      // 15 indicators, 2 years
      programme_targets: '30',
      other_accounts: '0',
      exchanges_demo: 'true',
      // pinned: the same on PGlite and PostgreSQL, and on every machine
      exchange_departments: '132',
      participants: '980',
      numerators: '524',
      counted: '17',
    });
    expect(await generated(7)).toEqual(first);
    if (engine === 'postgres') {
      // the planner knows what was written (its statistics gathered when the data set is in)
      const handle = await createTestDatabase(engine);
      try {
        await writeGeneratedDataSet(handle.db, planGeneratedDataSet('tiny', 7), { replace: false });
        const { rows } = await sql<{
          analysed: boolean;
        }>`select last_analyze is not null as analysed
          from pg_stat_user_tables where relname = 'exchange'`.execute(handle.db);
        expect(rows[0]?.analysed).toBe(true);
      } finally {
        await handle.close();
      }
    }
    const other = await generated(8);
    expect(other.participants).not.toBe(first.participants);
    expect(other.numerators).not.toBe(first.numerators);
    expect(other.targets_sum).not.toBe(first.targets_sum);
  }, 120_000);

  describe('on a database with data', () => {
    let place: Place;
    beforeAll(async () => {
      place = await placeOn(engine);
      await place.withDb((db) => loadDemoDataSet(db).then(() => undefined));
    }, 120_000);
    afterAll(async () => {
      await place?.close();
    });

    it('refuses demo data without --replace, changing nothing, and replaces it with it', async () => {
      const before = await place.withDb(figuresOf);
      const refused = await udx(place, 'generate', '--scale', 'tiny');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('holds demo or generated data already; add --replace');
      expect(await place.withDb(figuresOf)).toEqual(before);

      const replaced = await udx(place, 'generate', '--scale', 'tiny', '--replace');
      expect(replaced.stderr).not.toContain('Error');
      expect(replaced.code).toBe(0);
      expect(replaced.stdout).toContain('Generated scale tiny, seed 1');
      const after = await place.withDb(figuresOf);
      expect(after).toMatchObject({ partnerships: '4', exchanges: '40', reported_values: '48' });
    }, 120_000);

    it('gives the monitoring account figures of the generated data on the dashboard', async () => {
      const answer = await place.withDb(async (db) => {
        const server = await createServer({ db });
        try {
          const url = await server.listen(0, '127.0.0.1');
          const token = await signInToken(url, 'monitor@demo.udx', DEMO_PASSWORD);
          return await post(
            url,
            /* GraphQL */ `query {
              dashboard(scope: { from: "2024-01-01", to: "2025-12-31" }) {
                totals { partnerships exchanges participants }
                goals { indicators { indicator { code } value status } }
              }
            }`,
            {},
            bearer(token),
          );
        } finally {
          await server.close();
        }
      });
      expect(answer.json.errors).toBeUndefined();
      const dashboard = answer.json.data.dashboard;
      expect(dashboard.totals.partnerships).toBe(4);
      expect(dashboard.totals.exchanges).toBeGreaterThan(0);
      const values = new Map<string, number | null>(
        dashboard.goals.flatMap(
          (g: { indicators: { indicator: { code: string }; value: number }[] }) =>
            g.indicators.map((i) => [i.indicator.code, i.value]),
        ),
      );
      expect(values.size).toBe(15);
      // approved survey values of 2024 pool into a percentage
      expect(values.get('U5')).toBeGreaterThan(0);
      expect(values.get('U1')).toBeGreaterThan(0);
      // the generated programme-wide targets judge the figures
      const statuses = new Set(
        dashboard.goals.flatMap((g: { indicators: { status: string }[] }) =>
          g.indicators.map((i) => i.status),
        ),
      );
      expect(statuses.has('NO_TARGET')).toBe(false);
    }, 120_000);

    it('refuses data that is not demo data even with --replace, naming it', async () => {
      await place.withDb((db) =>
        db.insertInto('city').values({ name: 'Realstadt', country_code: 'DE' }).execute(),
      );
      const before = await place.withDb(figuresOf);
      const refused = await udx(place, 'generate', '--scale', 'tiny', '--replace');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('holds data that is not demo data (city: 1)');
      expect(await place.withDb(figuresOf)).toEqual(before);
    }, 120_000);

    it('refuses an unknown scale with exit code 2', async () => {
      const run = await udx(place, 'generate', '--scale', 'huge');
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--scale must be one of tiny, programme, national');
    }, 60_000);
  });
});
