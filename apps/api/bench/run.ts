import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { DatabaseHandle } from '@udx/db/database';
import { createTestDatabase, type Engine, testEngines } from '@udx/db/testing';
import { loadDemoDataSetIfEmpty } from '@udx/demo/load';
import { createServer } from '../src/server.ts';
import {
  formatTable,
  type Measurement,
  measure,
  postGraphQL,
  type Scenario,
  StatementCounter,
  signInForToken,
} from './measure.ts';
import { NESTED_PARTNERSHIPS } from './queries.ts';
import { BENCH_MONITOR, insertSyntheticProgramme } from './synthetic.ts';

// `pnpm bench` for the API: request latencies and SQL statements per request over HTTP against
// an in-process server on 127.0.0.1, on the embedded database and, when DATABASE_URL (or
// UDX_TEST_DATABASE_URL) is set, on a fresh PostgreSQL database that is dropped afterwards.
// Requests run one after another: the figures are latencies, not throughput.

const DEMO_RUNS = 30;
const LARGE_RUNS = 12;
const LARGE_SIZE = { partnerships: 200, exchangesPerPartnership: 100 };
/** A year inside the data sets, for the scenarios with from/to. */
const PERIOD = { from: '2024-01-01', to: '2024-12-31' };

const DASHBOARD = `query Dashboard($scope: ScopeInput) {
  dashboard(scope: $scope) {
    totals { partnerships cities departments exchanges outcomes participants }
    goals { goal indicators { indicator { code } value target progress status } }
    sdgs { goal { number } exchangeCount outcomeCount partnershipCount }
  }
}`;

const SERIES = `query Series($granularity: Granularity) {
  indicator(code: "U1") { code series(granularity: $granularity) { period value baseline target } }
}`;

// The per-partnership rows, every partnership of the scope (the API's `breakdown`).
const BREAKDOWN = `query Breakdown($scope: ScopeInput) {
  dashboard(scope: $scope) {
    breakdown {
      partnership { id }
      totals { exchanges outcomes participants }
      indicators { indicator { code } value target status }
    }
  }
}`;

// What the overview, goal and SDG pages show of it: the first 50 rows by German city.
const BREAKDOWN_PAGE = `query BreakdownPage($scope: ScopeInput) {
  dashboard(scope: $scope) {
    breakdownPage(first: 50) {
      totalCount
      edges { node {
        partnership { id }
        totals { exchanges outcomes participants }
        indicators { indicator { code } value target status }
      } }
    }
  }
}`;

// The series of one programme goal's five indicators, as the goal page shows them (batched).
const GOAL_SERIES = `query GoalSeries($scope: ScopeInput) {
  indicators(goal: UNDERSTAND) { code series(scope: $scope) { period value baseline target } }
}`;

// What the dashboard's overview page asks for on its first screen (without its fragments' texts).
const OVERVIEW = `query Overview($scope: ScopeInput) {
  dashboard(scope: $scope) {
    totals { partnerships cities departments exchanges outcomes participants }
    goals { goal indicators { indicator { code name } value target progress status } }
    sdgs { goal { number title colour } exchangeCount outcomeCount partnershipCount }
  }
  technical: indicator(code: "U1") { id series { period value } }
  political: indicator(code: "U2") { id series { period value } }
  partnerships(first: 100) { edges { node {
    id status
    germanCity { id name countryCode latitude longitude }
    partnerCity { id name countryCode latitude longitude }
  } } }
}`;

function scenarios(partnershipId: string, nestedPage: number): Scenario[] {
  const dashboard = (name: string, scope: Record<string, unknown>): Scenario => ({
    name: `dashboard ${name}`,
    query: DASHBOARD,
    variables: { scope },
  });
  return [
    dashboard('all', {}),
    dashboard('all, 2024', PERIOD),
    dashboard('country US', { countryCode: 'US' }),
    dashboard('country US, 2024', { countryCode: 'US', ...PERIOD }),
    dashboard('one partnership', { partnershipId }),
    dashboard('one partnership, 2024', { partnershipId, ...PERIOD }),
    { name: 'indicator U1 series YEAR', query: SERIES, variables: { granularity: 'YEAR' } },
    { name: 'indicator U1 series QUARTER', query: SERIES, variables: { granularity: 'QUARTER' } },
    { name: 'five series of a goal, YEAR', query: GOAL_SERIES, variables: { scope: {} } },
    { name: 'breakdown by partnership, all', query: BREAKDOWN, variables: { scope: {} } },
    { name: 'breakdown by partnership, 2024', query: BREAKDOWN, variables: { scope: PERIOD } },
    { name: 'breakdown, first page of 50', query: BREAKDOWN_PAGE, variables: { scope: PERIOD } },
    {
      name: `partnerships(first: ${nestedPage}) nested`,
      query: NESTED_PARTNERSHIPS,
      variables: { first: nestedPage },
    },
    { name: 'overview page query', query: OVERVIEW, variables: { scope: {} } },
  ];
}

interface DataSetRun {
  engine: Engine;
  label: string;
  measurements: Measurement[];
  nested: Measurement;
}

/** Starts the server over a prepared database, signs in and measures every scenario. */
async function benchDataSet(
  engine: Engine,
  label: string,
  prepare: (handle: DatabaseHandle) => Promise<string>,
  account: { email: string; password: string },
  runs: number,
): Promise<DataSetRun> {
  const counter = new StatementCounter();
  const handle = await createTestDatabase(engine, { log: counter.count, poolSize: 10 });
  try {
    const started = performance.now();
    const description = await prepare(handle);
    console.log(
      `  ${engine}: ${label} ready in ${((performance.now() - started) / 1000).toFixed(1)} s ` +
        `(${description})`,
    );
    const server = await createServer({ db: handle.db });
    try {
      const url = await server.listen(0, '127.0.0.1');
      const token = await signInForToken(url, account.email, account.password);
      const page = await postGraphQL<{
        partnerships: { totalCount: number; edges: { node: { id: string } }[] };
      }>(url, 'query { partnerships(first: 1) { totalCount edges { node { id } } } }', {}, token);
      const first = page.partnerships.edges[0]?.node.id;
      if (!first) throw new Error(`${label}: no partnership to measure`);
      // the largest page the API serves (Relay's default maximum is 100)
      const nestedPage = Math.min(page.partnerships.totalCount, 100);
      const measurements: Measurement[] = [];
      for (const scenario of scenarios(first, nestedPage)) {
        measurements.push(await measure(url, token, scenario, counter, runs));
      }
      const nested = measurements.find((m) => m.name.startsWith('partnerships('));
      if (!nested) throw new Error('the nested scenario is missing');
      return { engine, label, measurements, nested };
    } finally {
      await server.close();
    }
  } finally {
    await handle.close();
  }
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log(
    `udx API benchmark — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ` +
      `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), load average ` +
      `${os.loadavg()[0]?.toFixed(1)}, signed in as FOREIGN_OFFICE`,
  );
  console.log(
    `Each request: ${DEMO_RUNS} measured runs on the demo data set, ${LARGE_RUNS} on the large ` +
      'one, after 3 unmeasured ones; sequential HTTP requests to 127.0.0.1. SQL ms: median per ' +
      'request of the summed statement durations (on PostgreSQL, batched statements may overlap).',
  );
  const engines = testEngines();
  if (!engines.includes('postgres')) {
    console.log('PostgreSQL: skipped (set DATABASE_URL to measure it as well)');
  }
  const results: DataSetRun[] = [];
  for (const engine of engines) {
    results.push(
      await benchDataSet(
        engine,
        'demo data set',
        async (handle) => {
          const demo = await loadDemoDataSetIfEmpty(handle.db);
          const s = demo.summary;
          if (!s) throw new Error('the demo data set did not load into a fresh database');
          return `${s.partnerships} partnerships, ${s.exchanges} exchanges, ${s.outcomes} outcomes`;
        },
        { email: 'monitor@demo.udx', password: 'udx-demo-2030' },
        DEMO_RUNS,
      ),
    );
    results.push(
      await benchDataSet(
        engine,
        'large synthetic data set',
        async (handle) => {
          const s = await insertSyntheticProgramme(handle.db, LARGE_SIZE);
          return (
            `${s.partnerships} partnerships, ${s.cities} cities, ${s.departments} departments, ` +
            `${s.exchanges} exchanges, ${s.outcomes} outcomes, ${s.reportedValues} reported values`
          );
        },
        BENCH_MONITOR,
        LARGE_RUNS,
      ),
    );
  }
  for (const run of results) {
    console.log(`\n${formatTable(`${run.engine} — ${run.label}`, run.measurements)}`);
  }
  console.log('\nSQL statements of the nested partnership page (batched relations):');
  for (const engine of engines) {
    const [small, large] = results.filter((r) => r.engine === engine).map((r) => r.nested);
    if (!small || !large) continue;
    const same = small.statements[1] === large.statements[1];
    console.log(
      `  ${engine}: ${small.name} on the demo data set: ${small.statements[1]}; ` +
        `${large.name} on the large one: ${large.statements[1]} — ` +
        `${same ? 'PASS: independent of the page size' : 'FAIL: grows with the page size'}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error('The API benchmark could not measure:', error);
  process.exit(1);
});
