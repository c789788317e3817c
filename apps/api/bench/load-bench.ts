import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { testDatabaseUrl } from '@udx/config';
import type { Engine } from '@udx/db/testing';
import { type Ceiling, contractRefusal, startCeiling } from './ceiling.ts';
import {
  BENCH_SCALES,
  type BenchDatabase,
  type BenchScale,
  createBenchDatabase,
} from './data-sets.ts';
import { type FloorTarget, openFloor } from './floor.ts';
import type { LoadOptions } from './load.ts';
import { type PostGraphile, startPostGraphile } from './postgraphile.ts';
import {
  type Comparison,
  formatRun,
  notesOf,
  type RunReport,
  ratioTo,
  type ScenarioReport,
  statementConstancy,
  verdictsOf,
} from './report.ts';
import {
  type CapturedScenario,
  captureScenarios,
  measureUdx,
  startUdx,
  type UdxMeasurement,
} from './udx.ts';

// `pnpm bench --scale …` (README, Performance, "Load benchmark"): each scenario driven by a
// closed loop of keep-alive connections against the udx server in a process of its own, beside
// the same SQL over a plain driver (the floor), the contract schema on graphql-js without a
// database (the ceiling) and PostGraphile 5 on the same PostgreSQL database, all in one run.
// Targets are reported PASS or FAIL, never asserted; the exit code is 1 only when the harness
// could not measure (a request failed, a process did not start).

const USAGE =
  'pnpm bench [--scale tiny|demo|programme|national]… [--engine pglite|postgres]… ' +
  '[--connections 16] [--seconds 8] [--json FILE] [--no-postgraphile] [--scenario TEXT]…';

/** The connection pool of the udx server (openDatabase's default): the floor uses as many. */
const SERVER_POOL_SIZE = 10;

interface BenchOptions {
  scales: BenchScale[];
  engines: Engine[];
  load: LoadOptions;
  jsonFile: string;
  /** Why PostGraphile is not run, or undefined to run it. */
  noPostGraphile: string | undefined;
  nationalUrl: string | undefined;
  /** Whether a scenario is measured: all, or those whose name holds a `--scenario` text. */
  scenario: (name: string) => boolean;
}

function parseOptions(args: string[]): BenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      scale: { type: 'string', multiple: true },
      engine: { type: 'string', multiple: true },
      connections: { type: 'string', default: '16' },
      seconds: { type: 'string', default: '8' },
      json: { type: 'string' },
      'no-postgraphile': { type: 'boolean', default: false },
      scenario: { type: 'string', multiple: true },
    },
    strict: true,
    allowPositionals: false,
  });
  const scales = (values.scale ?? ['demo', 'programme']) as BenchScale[];
  const unknownScale = scales.find((scale) => !BENCH_SCALES.includes(scale));
  if (unknownScale) throw new Error(`unknown scale ${unknownScale}; ${USAGE}`);
  const available: Engine[] = testDatabaseUrl() ? ['pglite', 'postgres'] : ['pglite'];
  const engines = (values.engine ?? available) as Engine[];
  for (const engine of engines) {
    if (!['pglite', 'postgres'].includes(engine))
      throw new Error(`unknown engine ${engine}; ${USAGE}`);
    if (!available.includes(engine)) {
      throw new Error('--engine postgres needs DATABASE_URL or UDX_TEST_DATABASE_URL');
    }
  }
  const connections = Number(values.connections);
  const seconds = Number(values.seconds);
  if (!Number.isInteger(connections) || connections < 1 || !(seconds > 0)) {
    throw new Error(`--connections must be a whole number and --seconds positive; ${USAGE}`);
  }
  // pnpm runs scripts in the package's folder; INIT_CWD is where `pnpm bench` was typed
  const cwd = process.env.INIT_CWD ?? process.cwd();
  return {
    scales,
    engines,
    load: { connections, seconds },
    jsonFile: path.resolve(cwd, values.json ?? 'bench-results.json'),
    noPostGraphile: values['no-postgraphile']
      ? 'skipped (--no-postgraphile)'
      : process.env.CI
        ? 'skipped in CI (CI is set): it downloads Node 22 and PostGraphile'
        : undefined,
    nationalUrl: process.env.UDX_BENCH_NATIONAL_URL || undefined,
    scenario: (name) => !values.scenario || values.scenario.some((text) => name.includes(text)),
  };
}

const say = (line: string) => console.log(line);

/** Measures every scenario on the udx server, then the floor, the ceiling and PostGraphile. */
async function benchRun(
  engine: Engine,
  scale: BenchScale,
  options: BenchOptions,
): Promise<RunReport> {
  say(`\n${engine}, ${scale}: preparing the data set`);
  const database = await createBenchDatabase(engine, scale, options.nationalUrl);
  try {
    say(`  ${database.description}`);
    const { captured, failed } = await captureScenarios(
      database,
      new Date().getFullYear(),
      options.scenario,
    );
    for (const failure of failed) say(`  failed, not measured: ${failure}`);
    const measured = await measureAllOnUdx(database, captured, options.load);
    const floors = await measureFloors(database, captured, options.load);
    const ceilings = await measureCeilings(captured, options.load);
    const postgraphile =
      engine === 'postgres' ? await measurePostGraphile(database, captured, options) : undefined;
    const run = { engine, scale, connections: options.load.connections };
    const scenarios = captured.map((c, i): ScenarioReport => {
      const udx = measured[i] as UdxMeasurement;
      const report = {
        scenario: c.scenario.name,
        ...(c.scenario.target ? { target: c.scenario.target } : {}),
        ...udx,
        floor: floors[i] as Comparison,
        ceiling: ceilings[i] as Comparison,
        ...(postgraphile?.[i] ? { postgraphile: postgraphile[i] } : {}),
        ratios: {
          floor: ratioTo(udx.load, floors[i]),
          ceiling: ratioTo(udx.load, ceilings[i]),
          postgraphile: ratioTo(udx.load, postgraphile?.[i]),
        },
      };
      return { ...report, verdicts: verdictsOf(run, report) };
    });
    return {
      ...run,
      dataSet: database.description,
      seconds: options.load.seconds,
      scenarios,
      failed,
      notes: [
        ...captured.flatMap((c) => (c.scenario.note ? [c.scenario.note] : [])),
        ...notesOf(scenarios),
        ...(engine === 'pglite' ? ['PostGraphile: PostgreSQL only'] : []),
      ],
    };
  } finally {
    await database.remove();
  }
}

async function measureAllOnUdx(
  database: BenchDatabase,
  captured: readonly CapturedScenario[],
  load: LoadOptions,
): Promise<UdxMeasurement[]> {
  const udx = await startUdx(database);
  try {
    const measured: UdxMeasurement[] = [];
    for (const [index, { scenario }] of captured.entries()) {
      const result = await measureUdx(udx, scenario, index, load);
      say(
        `  udx  ${scenario.name}: ${result.load.rps.toFixed(0)} rps, p95 ` +
          `${result.load.p95.toFixed(1)} ms, ${result.load.errors} errors`,
      );
      measured.push(result);
    }
    return measured;
  } finally {
    await udx.server.stop();
  }
}

/** The floor of each scenario; on PGlite only once the udx server has let go of the folder. */
async function measureFloors(
  database: BenchDatabase,
  captured: readonly CapturedScenario[],
  load: LoadOptions,
): Promise<Comparison[]> {
  const target: FloorTarget = database.databaseUrl
    ? { engine: 'postgres', databaseUrl: database.databaseUrl, poolSize: SERVER_POOL_SIZE }
    : { engine: 'pglite', dataDir: database.dataDir as string };
  const floor = await openFloor(target);
  try {
    const results: Comparison[] = [];
    for (const { scenario, statements } of captured) {
      const result = await floor.run(statements, load);
      say(
        `  floor ${scenario.name}: ${result.rps.toFixed(0)} rps (${statements.length} statements)`,
      );
      results.push({ load: result });
    }
    return results;
  } finally {
    await floor.close();
  }
}

async function measureCeilings(
  captured: readonly CapturedScenario[],
  load: LoadOptions,
): Promise<Comparison[]> {
  const refusals = captured.map((c) => contractRefusal(c.scenario.query));
  const servable = captured.filter((_, i) => refusals[i] === undefined);
  let ceiling: Ceiling | undefined;
  if (servable.length > 0) {
    ceiling = await startCeiling(
      servable.map((c) => ({
        query: c.scenario.query,
        variables: c.scenario.variables,
        data: c.data,
      })),
    );
  }
  try {
    const results: Comparison[] = [];
    for (const [i, c] of captured.entries()) {
      const refusal = refusals[i];
      if (refusal !== undefined || !ceiling) {
        results.push({ unavailable: 'not executable on the contract schema' });
        continue;
      }
      const result = await ceiling.run(
        { query: c.scenario.query, variables: c.scenario.variables, data: c.data },
        load,
      );
      say(`  ceiling ${c.scenario.name}: ${result.rps.toFixed(0)} rps`);
      results.push({ load: result });
    }
    return results;
  } finally {
    await ceiling?.close();
  }
}

async function measurePostGraphile(
  database: BenchDatabase,
  captured: readonly CapturedScenario[],
  options: BenchOptions,
): Promise<(Comparison | undefined)[]> {
  const compared = captured.map((c) => c.scenario.postgraphile);
  const unavailable = (why: string) =>
    compared.map((request) => (request ? { unavailable: why } : undefined));
  if (options.noPostGraphile) return unavailable(options.noPostGraphile);
  let server: PostGraphile;
  try {
    say('  PostGraphile: starting (npx, Node 22)');
    server = await startPostGraphile(database.databaseUrl as string);
  } catch (error) {
    const why = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    say(`  PostGraphile: unavailable (${why})`);
    return unavailable(`unavailable (${why})`);
  }
  try {
    const results: (Comparison | undefined)[] = [];
    for (const [i, request] of compared.entries()) {
      if (!request) {
        results.push(undefined);
        continue;
      }
      const result = await server.run(request, options.load);
      say(`  PostGraphile ${captured[i]?.scenario.name}: ${result.rps.toFixed(0)} rps`);
      results.push({ load: result });
    }
    return results;
  } finally {
    await server.close();
  }
}

/** The machine, as the README's table names it. */
function machine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: os.loadavg()[0],
  };
}

/** Requests that failed anywhere: the harness did not measure what it says it did. */
function failuresOf(runs: readonly RunReport[]): string[] {
  const failures: string[] = [];
  for (const run of runs) {
    for (const failure of run.failed) failures.push(`${run.engine}, ${run.scale}, ${failure}`);
    for (const s of run.scenarios) {
      for (const [what, load] of [
        ['udx', s.load],
        ['floor', 'load' in s.floor ? s.floor.load : undefined],
        ['ceiling', 'load' in s.ceiling ? s.ceiling.load : undefined],
        [
          'PostGraphile',
          s.postgraphile && 'load' in s.postgraphile ? s.postgraphile.load : undefined,
        ],
      ] as const) {
        if (load && (load.errors > 0 || load.requests === 0)) {
          failures.push(
            `${run.engine}, ${run.scale}, ${s.scenario}, ${what}: ${load.errors} errors, ` +
              `${load.requests} answered${load.firstError ? `; first: ${load.firstError}` : ''}`,
          );
        }
      }
    }
  }
  return failures;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const host = machine();
  say(
    `udx load benchmark, ${new Date().toISOString().slice(0, 10)}: ${host.cores} cores ` +
      `(${host.cpu}), ${host.memoryGb} GB, Node ${host.node}; server, load driver and database ` +
      `share the machine. ${options.load.connections} connections, ${options.load.seconds} s each.`,
  );
  if (options.noPostGraphile) say(`PostGraphile: ${options.noPostGraphile}`);
  if (!options.engines.includes('postgres')) {
    say('PostgreSQL: skipped (set DATABASE_URL or UDX_TEST_DATABASE_URL to measure it as well)');
  }
  const runs: RunReport[] = [];
  for (const engine of options.engines) {
    for (const scale of options.scales) runs.push(await benchRun(engine, scale, options));
  }
  for (const run of runs) say(`\n${formatRun(run)}`);
  const constancy = statementConstancy(runs);
  if (constancy.length > 0) say(`\n${constancy.join('\n')}`);
  writeFileSync(
    options.jsonFile,
    `${JSON.stringify({ date: new Date().toISOString(), machine: host, load: options.load, runs, constancy }, null, 2)}\n`,
  );
  say(`\nJSON: ${options.jsonFile}`);
  const failures = failuresOf(runs);
  if (failures.length > 0) {
    console.error(`\nThe benchmark could not measure everything:\n${failures.join('\n')}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('The load benchmark could not measure:', error);
    process.exit(1);
  },
);
