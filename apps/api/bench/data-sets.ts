import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type DatabaseHandle, openDatabase } from '@udx/db/database';
import { prepareDatabase } from '@udx/db/migrate';
import { createServerDatabase, type Engine } from '@udx/db/testing';
import { planGeneratedDataSet, writeGeneratedDataSet } from '@udx/demo/generate';
import { loadDemoDataSetIfEmpty } from '@udx/demo/load';

/** The data sets the load benchmark knows: the demo data set and the generator's scales. */
export const BENCH_SCALES = ['tiny', 'demo', 'programme', 'national'] as const;
export type BenchScale = (typeof BENCH_SCALES)[number];

/** The generator's seed: the same rows on every run. */
const SEED = 1;

/** A database filled for the benchmark, and how to reach it from another process. */
export interface BenchDatabase {
  engine: Engine;
  scale: BenchScale;
  /** PostgreSQL only. */
  databaseUrl?: string;
  /** PGlite only: the folder of the embedded database. */
  dataDir?: string;
  /** What it holds and how long filling it took, for the console. */
  description: string;
  /** Opens it in this process (only while no other process has the embedded database open). */
  open(log?: Parameters<typeof openDatabase>[0]['log']): Promise<DatabaseHandle>;
  /** Removes what the benchmark created (a given national database is left as it is). */
  remove(): Promise<void>;
}

/**
 * A database of `scale` on `engine`: a fresh PostgreSQL database on the tests' server, or a
 * PGlite folder under the temporary directory, migrated and filled. At national scale on
 * PostgreSQL, `nationalUrl` (an existing, already filled database) is used instead when given:
 * it is migrated, and signing in writes a session to it.
 */
export async function createBenchDatabase(
  engine: Engine,
  scale: BenchScale,
  nationalUrl: string | undefined,
): Promise<BenchDatabase> {
  if (engine === 'postgres' && scale === 'national' && nationalUrl) {
    // migrated as `pnpm start` would, so that this process's server finds what the code expects
    const handle = await openDatabase({ databaseUrl: nationalUrl });
    try {
      await prepareDatabase(handle.db);
    } finally {
      await handle.close();
    }
    return {
      engine,
      scale,
      databaseUrl: nationalUrl,
      description: 'the national data set already in UDX_BENCH_NATIONAL_URL',
      open: (log) => openDatabase({ databaseUrl: nationalUrl, ...(log ? { log } : {}) }),
      remove: async () => {},
    };
  }
  const location = await newLocation(engine);
  const open: BenchDatabase['open'] = (log) =>
    openDatabase({ ...location.options, ...(log ? { log } : {}) });
  const started = performance.now();
  const handle = await open();
  let rows: string;
  try {
    await prepareDatabase(handle.db);
    rows = await fill(handle, scale);
  } catch (error) {
    await handle.close();
    await location.remove();
    throw error;
  }
  await handle.close();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  return {
    engine,
    scale,
    ...location.options,
    description: `${rows}, filled in ${seconds} s`,
    open,
    remove: location.remove,
  };
}

async function newLocation(engine: Engine): Promise<{
  options: { databaseUrl: string } | { dataDir: string };
  remove: () => Promise<void>;
}> {
  if (engine === 'postgres') {
    const database = await createServerDatabase('udx_bench');
    return { options: { databaseUrl: database.url }, remove: database.drop };
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'udx-bench-'));
  return {
    options: { dataDir },
    remove: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** Loads the data set of `scale` and says what it holds. */
async function fill(handle: DatabaseHandle, scale: BenchScale): Promise<string> {
  if (scale === 'demo') {
    const { summary } = await loadDemoDataSetIfEmpty(handle.db);
    if (!summary) throw new Error('the demo data set did not load into a fresh database');
    return `${summary.partnerships} partnerships, ${summary.exchanges} exchanges, ${summary.reportedValues} reported values`;
  }
  const plan = planGeneratedDataSet(scale, SEED);
  await writeGeneratedDataSet(handle.db, plan, { replace: false });
  return (
    `${plan.partnerships.length} partnerships, ${plan.exchanges.length} exchanges, ` +
    `${plan.valueCount} reported values (generated, seed ${SEED})`
  );
}
