import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createServer } from '../src/server.ts';
import type { BenchDatabase } from './data-sets.ts';
import { type CapturedStatement, StatementRecorder } from './floor.ts';
import { closedLoop, graphQLSender, type LoadOptions, type LoadResult } from './load.ts';
import { median, postGraphQL, signInForToken } from './measure.ts';
import { type ChildServer, freePort, peakMemory, startChildServer } from './processes.ts';
import {
  deepCursorQuery,
  deepOffsetOf,
  FACTS_QUERY,
  type LoadScenario,
  loadScenarios,
} from './scenarios.ts';

const apiDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** The monitoring account of the demo data set and the generator (FOREIGN_OFFICE). */
const MONITOR = { email: 'monitor@demo.udx', password: 'udx-demo-2030' };

/** Unmeasured requests before a scenario's statements are captured or its load starts. */
const WARM_UP = 3;

/** A scenario with what one request of it ran and answered. */
export interface CapturedScenario {
  scenario: LoadScenario;
  /** The SQL of one request after warm-up, for the floor. */
  statements: CapturedStatement[];
  /** The answer's data, for the ceiling. */
  data: unknown;
}

/** The scenarios one request of which succeeded, and why each of the others failed. */
export interface Capture {
  captured: CapturedScenario[];
  failed: string[];
}

/**
 * Serves the database in this process for a moment, to find the scenarios' facts (a city, the
 * number of exchanges) and to record, after warm-up, each scenario's statements and answer. A
 * scenario whose request fails is not measured further: it is reported as failed.
 */
export async function captureScenarios(
  database: BenchDatabase,
  year: number,
  only: (name: string) => boolean = () => true,
): Promise<Capture> {
  const recorder = new StatementRecorder();
  const handle = await database.open(recorder.log);
  const server = await createServer({ db: handle.db });
  try {
    const url = await server.listen(0, '127.0.0.1');
    const token = await signInForToken(url, MONITOR.email, MONITOR.password);
    const facts = await postGraphQL<{
      cities: { edges: { node: { id: string } }[] };
      exchanges: { totalCount: number };
    }>(url, FACTS_QUERY, {}, token);
    const cityId = facts.cities.edges[0]?.node.id;
    if (!cityId) throw new Error('the data set has no city to show a city page of');
    const deep = deepCursorQuery(deepOffsetOf(facts.exchanges.totalCount));
    const deepAnswer = await postGraphQL<{ exchanges: { edges: { cursor: string }[] } }>(
      url,
      deep.query,
      deep.variables,
      token,
    );
    const deepCursor = deepAnswer.exchanges.edges[0]?.cursor;
    if (!deepCursor) throw new Error('the data set has no exchange to start the deep page after');
    const capture: Capture = { captured: [], failed: [] };
    for (const scenario of loadScenarios({
      cityId,
      exchangeCount: facts.exchanges.totalCount,
      deepCursor,
      year,
    }).filter((s) => only(s.name))) {
      const ask = () => postGraphQL(url, scenario.query, scenario.variables, token);
      try {
        for (let i = 0; i < WARM_UP; i++) await ask();
        let data: unknown;
        const statements = await recorder.record(async () => {
          data = await ask();
        });
        capture.captured.push({ scenario, statements, data });
      } catch (error) {
        capture.failed.push(`${scenario.name}: ${error instanceof Error ? error.message : error}`);
      }
    }
    return capture;
  } finally {
    await server.close();
    await handle.close();
  }
}

/** The udx server under test, in a process of its own, and the token it signed in with. */
export interface UdxUnderTest {
  server: ChildServer;
  token: string;
}

/**
 * Starts `pnpm start`'s entry (src/main.ts through tsx, development settings as a developer
 * runs it) on the database, and signs in as the monitoring account.
 */
export async function startUdx(database: BenchDatabase): Promise<UdxUnderTest> {
  const port = await freePort();
  const server = await startChildServer({
    command: process.execPath,
    args: ['--import', 'tsx', 'src/main.ts'],
    cwd: apiDir,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      DATABASE_URL: database.databaseUrl ?? '',
      ...(database.dataDir ? { UDX_DATA_DIR: database.dataDir } : {}),
    },
    url: `http://127.0.0.1:${port}`,
    readyPath: '/livez',
  });
  try {
    const token = await signInForToken(server.url, MONITOR.email, MONITOR.password);
    return { server, token };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** What the udx server did under one scenario's load. */
export interface UdxMeasurement {
  load: LoadResult;
  /** SQL statements per request as the server's request log lines report them. */
  statements: { median: number; min: number; max: number };
  /** The server process's peak resident memory during the scenario, in MB. */
  peakMb: number | undefined;
}

/**
 * Drives the udx server with one scenario. Its requests carry a request id of their own, so
 * that the server's log lines (one per request, with its statement count) can be told apart.
 */
export async function measureUdx(
  udx: UdxUnderTest,
  scenario: LoadScenario,
  index: number,
  load: LoadOptions,
): Promise<UdxMeasurement> {
  const requestId = `udx-bench-scenario-${index}`;
  const sender = graphQLSender(
    {
      url: udx.server.url,
      query: scenario.query,
      variables: scenario.variables,
      token: udx.token,
      headers: {
        'X-Request-Id': requestId,
        ...(scenario.acceptEncoding ? { 'Accept-Encoding': scenario.acceptEncoding } : {}),
      },
    },
    load.connections,
  );
  const pid = udx.server.process.pid;
  try {
    peakMemory.resetPeak(pid);
    const result = await closedLoop(load, sender.send);
    const peakMb = peakMemory.megabytes(pid);
    // the last requests' log lines may still be on their way through the pipe
    await sleep(200);
    const counts = statementCounts(udx.server.lines, requestId);
    const notOk = outcomesOtherThanOk(udx.server.lines, requestId);
    udx.server.lines.length = 0;
    // The driver reads a compressed answer once (load.ts); the server's log says how each went.
    const measured =
      notOk.length > 0 && result.errors === 0
        ? { ...result, errors: notOk.length, firstError: `the server logged ${notOk[0]}` }
        : result;
    return { load: measured, statements: summariseCounts(counts), peakMb };
  } finally {
    sender.close();
  }
}

/** The statement counts of the request log lines with `requestId`. */
function statementCounts(lines: readonly string[], requestId: string): number[] {
  const pattern = new RegExp(`"requestId":"${requestId}".*?"statements":(\\d+)`);
  const counts: number[] = [];
  for (const line of lines) {
    const count = pattern.exec(line)?.[1];
    if (count !== undefined) counts.push(Number(count));
  }
  return counts;
}

/** The outcomes other than `ok` that the server logged for the requests with `requestId`. */
function outcomesOtherThanOk(lines: readonly string[], requestId: string): string[] {
  const pattern = new RegExp(`"requestId":"${requestId}".*?"outcome":"(\\w+)"`);
  return lines.flatMap((line) => {
    const outcome = pattern.exec(line)?.[1];
    return outcome === undefined || outcome === 'ok' ? [] : [`outcome "${outcome}"`];
  });
}

function summariseCounts(counts: number[]): UdxMeasurement['statements'] {
  if (counts.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  const sorted = counts.sort((a, b) => a - b);
  return {
    median: median(sorted),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
  };
}
