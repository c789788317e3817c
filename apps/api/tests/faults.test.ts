import { type ChildProcess, execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { testDatabaseUrl } from '@udx/config';
import { type DatabaseHandle, openDatabase } from '@udx/db/database';
import { prepareDatabase } from '@udx/db/migrate';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logging.ts';
import { createServer, type UdxServer } from '../src/server.ts';
import { bearer, insertAccount, type Json, signInToken } from './auth-helpers.ts';
import { freePort } from './free-port.ts';
import { gid } from './mutations-fixture.ts';

// Database and process faults: PostgreSQL stopped and started under load, a pool with no free
// connection, clients that hang up mid-request, a server killed during a batch and one stopped
// with requests in flight. Each client must get an answer that says what happened (success, or
// DATABASE_UNAVAILABLE / DATABASE_BUSY), never a 500 or a hang, and the data must stay whole.
//
// The file starts its own short-lived PostgreSQL cluster, because it stops and kills it; the
// shared server of the other tests is never touched. It needs root (initdb refuses root, so the
// cluster runs as `postgres` through runuser). CI runs the suite twice (README, "Continuous
// integration"); with its own cluster a second run would test nothing new, so it runs once, in
// the embedded-database pass (no UDX_TEST_DATABASE_URL or DATABASE_URL), the lighter of the two.

const PG_BIN = '/usr/lib/postgresql/15/bin';
const API_DIR = fileURLToPath(new URL('..', import.meta.url));
const PASSWORD = 'faults-password-2030';
const execFileAsync = promisify(execFile);

function skipReason(): string | null {
  if (testDatabaseUrl()) {
    return 'runs in the embedded-database pass of the suite (it brings its own cluster)';
  }
  if (process.getuid?.() !== 0) return 'needs root to run initdb as postgres through runuser';
  if (!existsSync(`${PG_BIN}/initdb`) || !existsSync(`${PG_BIN}/pg_ctl`)) {
    return `PostgreSQL 15 binaries missing in ${PG_BIN}`;
  }
  if (spawnSync('runuser', ['--help']).error) return 'runuser is missing';
  return null;
}

const SKIP = skipReason();

/** A PostgreSQL cluster of this file's own, in a temporary folder, on a free port. */
interface Cluster {
  port: number;
  url(database: string, applicationName: string): string;
  start(): Promise<void>;
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  remove(): Promise<void>;
}

async function createCluster(): Promise<Cluster> {
  const dir = mkdtempSync(path.join(tmpdir(), 'udx-faults-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres']));
  const gidOf = Number(execFileSync('id', ['-g', 'postgres']));
  chownSync(dir, uid, gidOf);
  const data = path.join(dir, 'data');
  const asPostgres = (binary: string, args: string[]) =>
    execFileAsync('runuser', ['-u', 'postgres', '--', `${PG_BIN}/${binary}`, ...args]);
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-N']);
  const port = await freePort();
  // fsync off: the cluster dies with the test, and an immediate stop loses nothing the OS holds
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const pgCtl = (args: string[]) =>
    asPostgres('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', ...args]);
  const cluster: Cluster = {
    port,
    url: (database, applicationName) =>
      `postgresql://postgres@127.0.0.1:${port}/${database}?application_name=${applicationName}`,
    start: async () => {
      await pgCtl(['-o', options, 'start']);
    },
    stop: async (mode) => {
      await pgCtl(['-m', mode, 'stop']);
    },
    remove: async () => {
      await pgCtl(['-m', 'immediate', 'stop']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}

/** Polls `check` until it holds; resolves with the milliseconds it took, throws after `limit`. */
async function until(
  what: string,
  check: () => Promise<boolean>,
  limit: number,
  every = 50,
  explain: () => Promise<unknown> = async () => '',
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check().catch(() => false)) return performance.now() - started;
    if (performance.now() - started > limit) {
      const details = await explain().catch((error: Error) => error.message);
      throw new Error(`${what}: not within ${limit} ms ${JSON.stringify(details)}`);
    }
    await sleep(every);
  }
}

/** One answer of the API as a client sees it, or the network error instead. */
interface Answer {
  status: number;
  json: Json;
  ms: number;
  error?: string;
}

async function send(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
      signal,
    });
    const json = await response.json();
    return { status: response.status, json, ms: performance.now() - started };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : null;
    const message =
      error instanceof Error
        ? `${error.name}: ${error.message}${cause ? ` (${cause.message})` : ''}`
        : String(error);
    return { status: 0, json: null, ms: performance.now() - started, error: message };
  }
}

async function readiness(url: string): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) });
  return { status: response.status, json: await response.json() };
}

/**
 * What an answer amounts to: `ok`, a database fault with its HTTP status, or a description of
 * anything else (which the tests refuse).
 */
function outcomeOf(answer: Answer): string {
  if (answer.error) return `no answer (${answer.error})`;
  const errors: Json[] = answer.json?.errors ?? [];
  const payloadErrors = Object.values(answer.json?.data ?? {}).flatMap(
    (field: Json) => field?.errors ?? [],
  );
  if (answer.status === 200 && errors.length === 0 && payloadErrors.length === 0) return 'ok';
  const codes = [...new Set(errors.map((error) => String(error.extensions?.code)))];
  if (
    (answer.status === 503 || answer.status === 200) &&
    codes.length === 1 &&
    (codes[0] === 'DATABASE_UNAVAILABLE' || codes[0] === 'DATABASE_BUSY')
  ) {
    return `${codes[0]} ${answer.status}`;
  }
  return `HTTP ${answer.status}: ${JSON.stringify(answer.json).slice(0, 300)}`;
}

/** udx's server as a child process (`pnpm --filter @udx/api start` in production mode). */
interface ChildServer {
  process: ChildProcess;
  url: string;
  port: number;
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

async function startChildServer(databaseUrl: string): Promise<ChildServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: API_DIR,
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exit = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    at: performance.now(),
  }));
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  void exit.then(() => {
    exited = true;
  });
  await until(
    'the child server answers /livez',
    async () => {
      if (exited) throw new Error('exited');
      return (await fetch(`${url}/livez`)).status === 200;
    },
    30_000,
    100,
  ).catch((error: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${error.message}; its output:\n${output}`);
  });
  return { process: child, url, port, output: () => output, exit };
}

/** Whether a fresh TCP connection to `port` is refused (a pooled keep-alive one would not tell). */
function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

const SIGNED_IN_QUERY = /* GraphQL */ `
  query Load { topics { code } me { role } }
`;
const DASHBOARD_QUERY = /* GraphQL */ `
  query Dashboard { me { role } dashboard { totals { exchanges participants } goals { indicators { value } } } }
`;
const DASHBOARD_SINCE_2020 = DASHBOARD_QUERY.replace(
  'dashboard {',
  'dashboard(scope: { from: "2020-01-01" }) {',
);
const REPORT_VALUES = /* GraphQL */ `
  mutation Report($input: ReportValuesInput!) {
    reportValues(input: $input) { values { id } errors { code field message } }
  }
`;

/** N5 (a COUNT indicator reported per year) for each city and year: one grain per city and year. */
function countValues(cityIds: readonly number[], years: readonly number[], note: string) {
  return cityIds.flatMap((cityId) =>
    years.map((year) => ({
      indicatorCode: 'N5',
      cityId: gid('City', cityId),
      year,
      value: year % 7,
      note,
    })),
  );
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

/**
 * How many audit entries the given reported values have: a batch stored whole has one per value
 * (docs/methodology.md, "The data model", audit trail), one not stored has none.
 */
async function countValueAuditEntries(
  admin: DatabaseHandle,
  values: readonly { id: number }[],
): Promise<number> {
  if (values.length === 0) return 0;
  const { n } = await admin.db
    .selectFrom('audit_entry')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('entity', '=', 'reported_value')
    .where(
      'entity_id',
      'in',
      values.map((row) => String(row.id)),
    )
    .executeTakeFirstOrThrow();
  return Number(n);
}

describe.skipIf(SKIP !== null)(
  `udx under database and process faults${SKIP ? ` (skipped: ${SKIP})` : ''}`,
  () => {
    let cluster: Cluster;
    /** Sessions on the cluster's `postgres` database, for pg_stat_activity and set-up. */
    let monitor: DatabaseHandle;
    /** The test's own connections to udx's database: seeding, checks, locks. */
    let admin: DatabaseHandle;
    /** The in-process server's database handle and server. */
    let handle: DatabaseHandle;
    let server: UdxServer;
    let url: string;
    const poolErrors: string[] = [];
    const errorLines: string[] = [];
    const tokens = { admin: '', monitor: '', bonnEditor: '' };
    const cities = { bonn: 0, laCrosse: 0, others: [] as number[] };
    const children: ChildProcess[] = [];

    const activity = async (where = sql`true`) => {
      const { rows } = await sql<{
        pid: number;
        application_name: string;
        state: string | null;
        wait_event_type: string | null;
        xact_start: string | null;
        query: string;
      }>`select pid, application_name, state, wait_event_type, xact_start::text, query
        from pg_stat_activity
        where datname = 'udx' and backend_type = 'client backend' and pid <> pg_backend_pid()
          and ${where}`.execute(monitor.db);
      return rows;
    };
    const idleInTransaction = () =>
      activity(sql`state like 'idle in transaction%'`).then((rows) => rows.length);
    const sessionsOf = (applicationName: string) =>
      activity(sql`application_name = ${applicationName}`);
    /** Until the in-process server has no session in a transaction or running a statement. */
    const serverSettled = () =>
      until(
        'no session of the server is left in a transaction or busy',
        async () =>
          (await idleInTransaction()) === 0 &&
          (await activity(sql`application_name = 'faults-server' and state <> 'idle'`)).length ===
            0,
        10_000,
        50,
        () => activity(),
      );
    /**
     * Runs `fn` while the test holds a lock on reported_value in a transaction of its own;
     * `release` commits it, and it is rolled back at the end whatever happens.
     */
    const withTableLock = async <T>(
      mode: 'share' | 'access exclusive',
      fn: (release: () => Promise<void>) => Promise<T>,
    ): Promise<T> => {
      const trx = await admin.db.startTransaction().execute();
      let open = true;
      const release = async () => {
        if (!open) return;
        open = false;
        await trx.commit().execute();
      };
      try {
        await sql`lock table reported_value in ${sql.raw(mode)} mode`.execute(trx);
        return await fn(release);
      } finally {
        if (open) {
          open = false;
          await trx.rollback().execute();
        }
      }
    };

    beforeAll(async () => {
      cluster = await createCluster();
      monitor = await openDatabase({
        databaseUrl: cluster.url('postgres', 'faults-monitor'),
        poolSize: 2,
        onPoolError: () => {},
      });
      await sql`create database udx`.execute(monitor.db);
      admin = await openDatabase({
        databaseUrl: cluster.url('udx', 'faults-admin'),
        poolSize: 3,
        onPoolError: () => {},
      });
      await prepareDatabase(admin.db);
      const city = async (name: string, country_code: string) =>
        (
          await admin.db
            .insertInto('city')
            .values({ name, country_code })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      cities.bonn = await city('Bonn', 'DE');
      cities.laCrosse = await city('La Crosse', 'US');
      for (const i of range(1, 30)) cities.others.push(await city(`Teststadt ${i}`, 'DE'));
      await admin.db
        .insertInto('partnership')
        .values({
          german_city_id: cities.bonn,
          partner_city_id: cities.laCrosse,
          twinned_since: 1990,
          joined_on: '2024-01-01',
        })
        .execute();
      const emails = {
        admin: 'admin@faults.example.org',
        monitor: 'monitor@faults.example.org',
        bonnEditor: 'editor.bonn@faults.example.org',
      };
      await insertAccount(admin.db, {
        email: emails.admin,
        role: 'SKEW_ADMIN',
        password: PASSWORD,
      });
      await insertAccount(admin.db, {
        email: emails.monitor,
        role: 'FOREIGN_OFFICE',
        password: PASSWORD,
      });
      await insertAccount(admin.db, {
        email: emails.bonnEditor,
        role: 'CITY_EDITOR',
        cityId: cities.bonn,
        password: PASSWORD,
      });

      handle = await openDatabase({
        databaseUrl: cluster.url('udx', 'faults-server'),
        poolSize: 4,
        onPoolError: (error) => poolErrors.push(error.message),
      });
      const destination = new Writable({
        write(chunk, _encoding, done) {
          for (const line of String(chunk).split('\n').filter(Boolean)) {
            if (JSON.parse(line).level === 'error') errorLines.push(line);
          }
          done();
        },
      });
      server = await createServer({
        db: handle.db,
        logger: createLogger({ level: 'warn', destination }),
      });
      url = await server.listen(0, '127.0.0.1');
      for (const key of Object.keys(tokens) as (keyof typeof tokens)[]) {
        tokens[key] = await signInToken(url, emails[key], PASSWORD);
      }
    });

    beforeEach(() => {
      errorLines.length = 0;
    });

    afterAll(async () => {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      // the cluster first: a failed test may leave a connection checked out, and a pool waits
      // for it on close; without its server nothing is left to wait for
      await cluster?.remove();
      await server?.close();
      for (const database of [handle, admin, monitor]) await database?.close().catch(() => {});
    });

    it('answers success or DATABASE_UNAVAILABLE while PostgreSQL stops and starts, and recovers by itself', async () => {
      const HANG_LIMIT = 8_000;
      const answers: { client: string; answer: Answer; at: number }[] = [];
      let loading = true;
      const clients: [string, string, Record<string, unknown>, string][] = [
        ['monitor: topics and me', SIGNED_IN_QUERY, {}, tokens.monitor],
        ['city editor: dashboard', DASHBOARD_QUERY, {}, tokens.bonnEditor],
        ['admin: dashboard', DASHBOARD_QUERY, {}, tokens.admin],
        [
          'city editor: reportValues',
          REPORT_VALUES,
          { input: { values: countValues([cities.bonn], [2099], 'load') } },
          tokens.bonnEditor,
        ],
      ];
      const loops = clients.map(async ([client, query, variables, token]) => {
        while (loading) {
          const answer = await send(
            url,
            query,
            variables,
            bearer(token),
            AbortSignal.timeout(HANG_LIMIT),
          );
          answers.push({ client, answer, at: performance.now() });
          await sleep(40);
        }
      });
      const succeededSince = (since: number) =>
        clients.every(([client]) =>
          answers.some((a) => a.client === client && a.at > since && outcomeOf(a.answer) === 'ok'),
        );

      const phases: Record<string, number>[] = [];
      await sleep(1_000);
      for (const mode of ['fast', 'immediate'] as const) {
        const stopStarted = performance.now();
        await cluster.stop(mode);
        const stopMs = performance.now() - stopStarted;
        await sleep(300);
        const down = await readiness(url);
        expect(down.status).toBe(503);
        expect(down.json).toMatchObject({ status: 'unavailable', code: 'DATABASE_UNAVAILABLE' });
        await sleep(2_500);
        const startBegan = performance.now();
        await cluster.start();
        const started = performance.now();
        const readyMs = await until(
          'readyz is 200 again',
          async () => (await readiness(url)).status === 200,
          10_000,
        );
        const everyClientMs = await until(
          'every client succeeds again',
          async () => succeededSince(started),
          10_000,
        );
        phases.push({
          stopMs: Math.round(stopMs),
          startMs: Math.round(started - startBegan),
          readyAfterStartMs: Math.round(readyMs),
          everyClientOkAfterStartMs: Math.round(everyClientMs),
        });
        await sleep(500);
      }
      loading = false;
      await Promise.all(loops);

      const counts: Record<string, number> = {};
      for (const { answer } of answers) {
        const outcome = outcomeOf(answer);
        counts[outcome] = (counts[outcome] ?? 0) + 1;
      }
      const slowest = Math.max(...answers.map((a) => a.answer.ms));
      console.info('PostgreSQL stop/start under load', {
        phases,
        answers: answers.length,
        counts,
        slowestMs: Math.round(slowest),
        poolErrors: poolErrors.length,
      });
      const refused = Object.keys(counts).filter(
        (outcome) => outcome !== 'ok' && !outcome.startsWith('DATABASE_UNAVAILABLE'),
      );
      expect({ refused, errorLines }).toEqual({ refused: [], errorLines: [] });
      expect(counts['DATABASE_UNAVAILABLE 503'] ?? 0).toBeGreaterThan(0);
      expect(slowest).toBeLessThan(HANG_LIMIT);
      // the lost connections were reported, and the process went on
      expect(poolErrors.length).toBeGreaterThan(0);
    }, 60_000);

    it('answers DATABASE_BUSY after a bounded wait when every pool connection is held, then serves again', async () => {
      const small = await openDatabase({
        databaseUrl: cluster.url('udx', 'faults-small-pool'),
        poolSize: 2,
        onPoolError: () => {},
      });
      const busyServer = await createServer({ db: small.db });
      const busyUrl = await busyServer.listen(0, '127.0.0.1');
      try {
        const holds = [1, 2].map(() => sql`select pg_sleep(8)`.execute(small.db));
        await until(
          'both pool connections sleep',
          async () =>
            (
              await activity(
                sql`application_name = 'faults-small-pool' and query like '%pg_sleep%'`,
              )
            ).length === 2,
          5_000,
        );
        const readyStarted = performance.now();
        const [signedIn, anonymous, ready] = await Promise.all([
          send(busyUrl, SIGNED_IN_QUERY, {}, bearer(tokens.monitor), AbortSignal.timeout(10_000)),
          send(busyUrl, '{ topics { code } }', {}, {}, AbortSignal.timeout(10_000)),
          readiness(busyUrl).then((answer) => ({
            ...answer,
            ms: performance.now() - readyStarted,
          })),
        ]);
        console.info('pool exhaustion', {
          signedIn: { status: signedIn.status, ms: Math.round(signedIn.ms), body: signedIn.json },
          anonymous: { outcome: outcomeOf(anonymous), ms: Math.round(anonymous.ms) },
          readiness: { status: ready.status, ms: Math.round(ready.ms), body: ready.json },
        });
        // before execution (signing in needs a connection): HTTP 503 with a sentence and the code
        expect(signedIn.status).toBe(503);
        expect(signedIn.json.errors).toEqual([
          {
            message: expect.stringMatching(/busy.*nothing was changed/i),
            extensions: { code: 'DATABASE_BUSY' },
          },
        ]);
        // the pool's wait (connectionTimeoutMillis, 5 s), not the 8 s the connections are held
        expect(signedIn.ms).toBeGreaterThan(4_500);
        expect(signedIn.ms).toBeLessThan(7_500);
        // anonymous: the same 503 where its request opens a transaction first, else a field
        // error of the first resolver that needs the database
        expect(['DATABASE_BUSY 503', 'DATABASE_BUSY 200']).toContain(outcomeOf(anonymous));
        expect(anonymous.ms).toBeLessThan(7_500);
        // /readyz gives the database 2 s
        expect(ready.status).toBe(503);
        expect(ready.ms).toBeLessThan(4_000);
        await Promise.all(holds);
        const after = await send(
          busyUrl,
          SIGNED_IN_QUERY,
          {},
          bearer(tokens.monitor),
          AbortSignal.timeout(5_000),
        );
        expect(outcomeOf(after)).toBe('ok');
        expect((await readiness(busyUrl)).status).toBe(200);
      } finally {
        await busyServer.close();
        await small.close();
      }
    }, 30_000);

    it('leaves no transaction open when clients hang up mid-request, and the data whole', async () => {
      const mutations: { cityId: number; years: number[]; note: string }[] = [];
      const outcomes: Record<string, number> = {};
      const count = (outcome: string) => {
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      };
      const report = (token: string, cityId: number, years: number[], note: string) => {
        mutations.push({ cityId, years, note });
        return [
          REPORT_VALUES,
          { input: { values: countValues([cityId], years, note) } },
          token,
        ] as const;
      };
      const [firstCity, secondCity] = cities.others as [number, number];

      // hung up at once or after a few milliseconds: before, during or after the transaction
      const delays = [0, 1, 2, 4, 8, 15, 30, 60, 120, 250];
      await Promise.all(
        delays.map(async (delay, i) => {
          const controller = new AbortController();
          const years = range(2000 + 5 * i, 5);
          const requests = [
            report(tokens.bonnEditor, cities.bonn, years, `hung up, editor ${i}`),
            report(tokens.admin, firstCity, years, `hung up, admin ${i}`),
            [DASHBOARD_QUERY, {}, tokens.bonnEditor] as const,
            [DASHBOARD_QUERY, {}, tokens.monitor] as const,
          ];
          const sent = requests.map(([query, variables, token]) =>
            send(url, query, variables, bearer(token), controller.signal),
          );
          setTimeout(() => controller.abort(), delay);
          for (const answer of await Promise.all(sent)) {
            count(answer.error?.startsWith('AbortError') ? 'hung up' : outcomeOf(answer));
          }
        }),
      );

      // the server goes on with what the clients left: it ends each transaction all the same
      const afterHangUpsMs = await serverSettled();

      // hung up while the transaction certainly is open: its insert waits for a lock we hold
      await withTableLock('share', async (release) => {
        const controller = new AbortController();
        const blocked = [
          report(tokens.bonnEditor, cities.bonn, range(2060, 5), 'hung up while waiting, editor'),
          report(tokens.admin, secondCity, range(2000, 5), 'hung up while waiting, admin'),
        ].map(([query, variables, token]) =>
          send(url, query, variables, bearer(token), controller.signal),
        );
        await until(
          'both mutations wait for the lock inside their transaction',
          async () =>
            (
              await activity(
                sql`application_name = 'faults-server' and wait_event_type = 'Lock' and xact_start is not null`,
              )
            ).length === 2,
          10_000,
          50,
          () => activity(),
        );
        controller.abort();
        for (const answer of await Promise.all(blocked)) {
          expect(answer.error).toMatch(/^AbortError/);
          count('hung up while waiting');
        }
        await sleep(200);
        await release();
      });
      const afterLockMs = await serverSettled();
      const whole: Record<string, number> = {};
      for (const { cityId, years, note } of mutations) {
        const rows = await admin.db
          .selectFrom('reported_value')
          .select(['id', 'note'])
          .where('city_id', '=', cityId)
          .where('year', 'in', years)
          .execute();
        // all of the mutation or nothing, and one audit entry per value stored
        expect([0, years.length]).toContain(rows.length);
        expect(rows.every((row) => row.note === note)).toBe(true);
        expect(await countValueAuditEntries(admin, rows)).toBe(rows.length);
        const key = rows.length ? 'stored' : 'not stored';
        whole[key] = (whole[key] ?? 0) + 1;
      }
      // the pool lost no connection: more requests at once than it holds all succeed
      const afterwards = await Promise.all(
        range(0, 10).map(() =>
          send(url, DASHBOARD_QUERY, {}, bearer(tokens.bonnEditor), AbortSignal.timeout(10_000)),
        ),
      );
      console.info('clients hanging up', {
        outcomes,
        mutations: whole,
        settledAfterHangUpsMs: Math.round(afterHangUpsMs),
        settledAfterLockMs: Math.round(afterLockMs),
      });
      expect(afterwards.map(outcomeOf)).toEqual(afterwards.map(() => 'ok'));
      expect(Object.keys(outcomes).filter((o) => o !== 'ok' && !o.startsWith('hung up'))).toEqual(
        [],
      );
      expect(errorLines).toEqual([]);
    }, 30_000);

    it('stores all of a batch or none of it when the server is killed during it', async () => {
      const appName = 'faults-child-kill';
      const databaseUrl = cluster.url('udx', appName);
      const citiesOf = (attempt: number) => cities.others.slice(2 + 5 * attempt, 7 + 5 * attempt);
      // 500 values (the most a batch may hold): N5 for five cities, a hundred years each
      const batch = (attempt: number) => ({
        input: { values: countValues(citiesOf(attempt), range(2000, 100), `batch ${attempt}`) },
      });
      const stored = async (attempt: number) => {
        const values = await admin.db
          .selectFrom('reported_value')
          .select(['id'])
          .where('city_id', 'in', citiesOf(attempt))
          .execute();
        return { values: values.length, audit: await countValueAuditEntries(admin, values) };
      };

      let child = await startChildServer(databaseUrl);
      children.push(child.process);
      const startMs = [] as number[];
      // once to the end: the batch is stored whole, and how long it takes sets the kill times
      const full = await send(
        child.url,
        REPORT_VALUES,
        batch(0),
        bearer(tokens.admin),
        AbortSignal.timeout(60_000),
      );
      expect(outcomeOf(full)).toBe('ok');
      expect(full.json.data.reportValues.values).toHaveLength(500);
      expect(await stored(0)).toEqual({ values: 500, audit: 500 });
      const batchMs = full.ms;

      const attempts: Record<string, unknown>[] = [];
      const fractions = [0.05, 0.35, 0.65, 0.9];
      for (const [i, fraction] of fractions.entries()) {
        const attempt = i + 1;
        if (attempt > 1) {
          const started = performance.now();
          child = await startChildServer(databaseUrl);
          children.push(child.process);
          startMs.push(Math.round(performance.now() - started));
        }
        const sent = performance.now();
        const request = send(
          child.url,
          REPORT_VALUES,
          batch(attempt),
          bearer(tokens.admin),
          AbortSignal.timeout(60_000),
        );
        await until(
          "the batch's transaction is open",
          async () =>
            (await activity(sql`application_name = ${appName} and xact_start is not null`)).length >
            0,
          10_000,
          5,
        );
        await sleep(fraction * batchMs);
        const atKill = await activity(sql`application_name = ${appName}`);
        child.process.kill('SIGKILL');
        const answer = await request;
        const exit = await child.exit;
        expect(exit.signal).toBe('SIGKILL');
        const goneMs = await until(
          "the killed server's sessions end",
          async () => (await activity(sql`application_name = ${appName}`)).length === 0,
          5_000,
        );
        const result = await stored(attempt);
        attempts.push({
          killedAfterMs: Math.round(exit.at - sent),
          sessionsAtKill: atKill.map((s) => `${s.state}: ${s.query.slice(0, 40)}`),
          answer: answer.error ? 'none (connection lost)' : outcomeOf(answer),
          sessionsGoneMs: Math.round(goneMs),
          ...result,
        });
        expect(result.audit).toBe(result.values);
        // a completed answer (the commit won the race) must mean the batch is there
        if (!answer.error) expect(result.values).toBe(500);
        else expect([0, 500]).toContain(result.values);
      }
      console.info('SIGKILL during a batch', {
        batchMs: Math.round(batchMs),
        restartMs: startMs,
        attempts,
      });
      // at least one kill landed inside the transaction and left nothing of it
      expect(attempts.some((a) => a.values === 0)).toBe(true);
      const orphans = await sql<{ n: number }>`select count(*)::int as n from audit_entry a
        where a.entity = 'reported_value'
          and not exists (select 1 from reported_value r where r.id::text = a.entity_id)`.execute(
        admin.db,
      );
      expect(orphans.rows[0]?.n).toBe(0);
    }, 90_000);

    it('answers the requests in flight on SIGTERM, refuses new connections and exits 0', async () => {
      const appName = 'faults-child-term';
      const child = await startChildServer(cluster.url('udx', appName));
      children.push(child.process);
      const lastCity = cities.others[29] as number;
      const timeout = () => AbortSignal.timeout(20_000);
      // the requests wait for a lock we hold: in flight, with their connections checked out
      const run = await withTableLock('access exclusive', async (release) => {
        const inFlight = [
          send(child.url, DASHBOARD_QUERY, {}, bearer(tokens.monitor), timeout()),
          send(child.url, DASHBOARD_QUERY, {}, bearer(tokens.bonnEditor), timeout()),
          // another period than the monitor's: a figure being computed for one request is
          // shared with others of the same audience (figure-cache.ts), and each of the four
          // must wait on the lock with a connection of its own
          send(child.url, DASHBOARD_SINCE_2020, {}, bearer(tokens.admin), timeout()),
          send(
            child.url,
            REPORT_VALUES,
            { input: { values: countValues([lastCity], range(2000, 20), 'sent before SIGTERM') } },
            bearer(tokens.admin),
            timeout(),
          ),
        ];
        // a dashboard runs its statements side by side, so the four wait on more connections
        await until(
          'the requests wait for the lock',
          async () =>
            (await activity(sql`application_name = ${appName} and wait_event_type = 'Lock'`))
              .length >= 4,
          10_000,
          50,
          async () => ({ sessions: await sessionsOf(appName), output: child.output() }),
        );
        await sleep(300);
        const atSigterm = await sessionsOf(appName);
        const terminated = performance.now();
        child.process.kill('SIGTERM');
        const refusedMs = await until(
          'new connections are refused',
          () => connectionRefused(child.port),
          3_000,
          20,
        );
        await sleep(1_000);
        // still answering the four
        expect(child.process.exitCode).toBeNull();
        await release();
        return { inFlight, atSigterm, terminated, refusedMs, released: performance.now() };
      });
      const answers = await Promise.all(run.inFlight);
      const exit = await child.exit;
      const sessionsGoneMs = await until(
        "the stopped server's sessions end",
        async () => (await sessionsOf(appName)).length === 0,
        2_000,
        20,
        () => sessionsOf(appName),
      );
      console.info('SIGTERM with requests in flight', {
        sessionsAtSigterm: run.atSigterm.map((w) => `${w.state}/${w.wait_event_type}`),
        refusedAfterMs: Math.round(run.refusedMs),
        answers: answers.map((a) => `${outcomeOf(a)} after ${Math.round(a.ms)} ms`),
        exit: { code: exit.code, signal: exit.signal },
        exitAfterSigtermMs: Math.round(exit.at - run.terminated),
        exitAfterReleaseMs: Math.round(exit.at - run.released),
        sessionsGoneAfterExitMs: Math.round(sessionsGoneMs),
      });
      expect(answers.map(outcomeOf)).toEqual(['ok', 'ok', 'ok', 'ok']);
      for (const answer of answers.slice(0, 3)) {
        expect(answer.json.data.dashboard.goals.length).toBeGreaterThan(0);
      }
      expect(answers[3]?.json.data.reportValues.values).toHaveLength(20);
      expect(exit.code).toBe(0);
      expect(exit.at - run.terminated).toBeLessThan(10_000);
      const kept = await admin.db
        .selectFrom('reported_value')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('city_id', '=', lastCity)
        .executeTakeFirstOrThrow();
      expect(Number(kept.n)).toBe(20);
    }, 45_000);
  },
);
