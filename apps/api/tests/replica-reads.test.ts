import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { testDatabaseUrl } from '@udx/config';
import { type DatabaseHandle, openDatabase } from '@udx/db/database';
import { prepareDatabase } from '@udx/db/migrate';
import { loadDemoDataSetIfEmpty } from '@udx/demo/load';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  WAL_POSITION_COOKIE,
  WAL_POSITION_HEADER,
  walPositionFrom,
} from '../src/http/replica-routing.ts';
import { createServer, type UdxServer } from '../src/server.ts';
import { freePort } from './free-port.ts';
import {
  exchangeCount,
  exchangeInput,
  recordExchange,
  send,
  signInDemoAdmin,
} from './read-your-writes.ts';

// Reads from a PostgreSQL streaming replica (README, "Beyond one machine"). The file starts a
// primary and a hot standby of its own (initdb, pg_basebackup) on free ports, and udx on both:
// a read goes to the standby, a write to the primary, and a client's read after its own write
// shows it, from the primary while the standby has not replayed the write (replay paused
// here), from the standby again once it has. Which pool served a request is counted from the
// statements each ran.
//
// It needs root (initdb refuses root, so the clusters run as `postgres` through runuser). CI runs
// the suite twice (README, "Continuous integration"); with clusters of its own a second run
// would test nothing new, so it runs once, in the PostgreSQL pass (UDX_TEST_DATABASE_URL or
// DATABASE_URL set), beside the other PostgreSQL-only tests.

const PG_BIN = '/usr/lib/postgresql/15/bin';
const BINARIES = ['initdb', 'pg_ctl', 'pg_basebackup'];
const execFileAsync = promisify(execFile);
/** How long the standby may take to replay what the primary wrote. */
const REPLAY_LIMIT_MS = 20_000;

function skipReason(): string | null {
  if (!testDatabaseUrl()) return 'runs in the PostgreSQL pass of the suite';
  if (process.getuid?.() !== 0) return 'needs root to run initdb as postgres through runuser';
  const missing = BINARIES.filter((binary) => !existsSync(`${PG_BIN}/${binary}`));
  if (missing.length > 0) return `${missing.join(', ')} missing in ${PG_BIN}`;
  if (spawnSync('runuser', ['-u', 'postgres', '--', 'true']).status !== 0) {
    return 'cannot run commands as postgres through runuser';
  }
  return null;
}

const SKIP = skipReason();

/** A primary and its hot standby in one temporary folder owned by `postgres`. */
interface Clusters {
  primaryUrl(database: string): string;
  standbyUrl(database: string): string;
  remove(): Promise<void>;
}

async function startClusters(): Promise<Clusters> {
  const dir = mkdtempSync(path.join(tmpdir(), 'udx-replica-'));
  const started: string[] = [];
  const asPostgres = (binary: string, args: string[]) =>
    execFileAsync('runuser', ['-u', 'postgres', '--', `${PG_BIN}/${binary}`, ...args]);
  const pgCtl = (data: string, args: string[]) =>
    asPostgres('pg_ctl', ['-D', data, '-l', `${data}.log`, '-w', ...args]);
  const remove = async () => {
    for (const data of started.reverse())
      await pgCtl(data, ['-m', 'immediate', 'stop']).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    chownSync(
      dir,
      Number(execFileSync('id', ['-u', 'postgres'])),
      Number(execFileSync('id', ['-g', 'postgres'])),
    );
    const primary = path.join(dir, 'primary');
    const standby = path.join(dir, 'standby');
    const [primaryPort, standbyPort] = [await freePort(), await freePort()];
    // initdb's pg_hba.conf trusts local and 127.0.0.1 connections, replication ones included
    await asPostgres('initdb', ['-D', primary, '-A', 'trust', '-U', 'postgres', '-N']);
    const common = `-k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await pgCtl(primary, [
      '-o',
      `-p ${primaryPort} ${common} -c wal_level=replica -c max_wal_senders=4`,
      'start',
    ]);
    started.push(primary);
    // -R writes primary_conninfo and standby.signal: the copy starts as a streaming standby
    await asPostgres('pg_basebackup', [
      ...['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres'],
      ...['-D', standby, '-R', '-X', 'stream', '-c', 'fast'],
    ]);
    await pgCtl(standby, ['-o', `-p ${standbyPort} ${common} -c hot_standby=on`, 'start']);
    started.push(standby);
    return {
      primaryUrl: (database) => `postgresql://postgres@127.0.0.1:${primaryPort}/${database}`,
      standbyUrl: (database) => `postgresql://postgres@127.0.0.1:${standbyPort}/${database}`,
      remove,
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** Runs one statement on its own connection (the test's, counted in neither pool of udx). */
async function query<Row>(url: string, statement: string, values: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(statement, values)).rows as Row[];
  } finally {
    await client.end();
  }
}

/** Statements run by each of udx's pools. */
const statements = { primary: 0, replica: 0 };

/** How many statements each pool ran while `fn` ran. */
async function statementsDuring<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; primary: number; replica: number }> {
  const before = { ...statements };
  const value = await fn();
  return {
    value,
    primary: statements.primary - before.primary,
    replica: statements.replica - before.replica,
  };
}

describe.skipIf(SKIP !== null)('reads from a streaming replica', () => {
  let clusters: Clusters | undefined;
  let primary: DatabaseHandle;
  let replica: DatabaseHandle;
  let server: UdxServer;
  let url: string;

  /** Waits until the standby has replayed the primary's WAL up to `position`. */
  async function replayed(position: string): Promise<void> {
    const started = performance.now();
    for (;;) {
      const [row] = await query<{ done: boolean }>(
        clusters?.standbyUrl('postgres') ?? '',
        'select pg_last_wal_replay_lsn() >= $1::pg_lsn as done',
        [position],
      );
      if (row?.done) return;
      if (performance.now() - started > REPLAY_LIMIT_MS) {
        throw new Error(`the standby did not replay ${position} in ${REPLAY_LIMIT_MS} ms`);
      }
      await sleep(50);
    }
  }

  async function primaryPosition(): Promise<string> {
    const [row] = await query<{ position: string }>(
      clusters?.primaryUrl('postgres') ?? '',
      'select pg_current_wal_insert_lsn()::text as position',
    );
    return row?.position ?? '';
  }

  beforeAll(async () => {
    clusters = await startClusters();
    await query(clusters.primaryUrl('postgres'), 'create database udx');
    primary = await openDatabase({
      databaseUrl: clusters.primaryUrl('udx'),
      applicationName: 'udx-primary',
      log: () => {
        statements.primary += 1;
      },
    });
    await prepareDatabase(primary.db);
    await loadDemoDataSetIfEmpty(primary.db);
    await replayed(await primaryPosition());
    replica = await openDatabase({
      databaseUrl: clusters.standbyUrl('udx'),
      applicationName: 'udx-replica',
      readOnly: true,
      log: () => {
        statements.replica += 1;
      },
    });
    server = await createServer({ db: primary.db, replicaDb: replica.db });
    url = await server.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await server?.close();
    await replica?.close();
    await primary?.close();
    await clusters?.remove();
  });

  it('reads from the replica, and a client reads its own write even while replay lags', async () => {
    const signingIn = await statementsDuring(() => signInDemoAdmin(url));
    const admin = signingIn.value;
    // signing in writes a session: the primary's
    expect(signingIn.replica).toBe(0);

    // a new session may not have reached the replica: the primary answers until it has
    await replayed(await primaryPosition());
    const plain = await statementsDuring(() => exchangeCount(url, admin));
    expect(plain.replica).toBeGreaterThan(0);
    expect(plain.primary).toBe(0);
    const before = plain.value;
    const input = await exchangeInput(url, admin);

    const standby = clusters?.standbyUrl('postgres') ?? '';
    await query(standby, 'select pg_wal_replay_pause()');
    try {
      const writing = await statementsDuring(() => recordExchange(url, admin, input));
      expect(writing.replica).toBe(0);
      const written = writing.value;
      const position = written.headers.get(WAL_POSITION_HEADER) ?? '';
      expect(position).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      const cookie = written.headers.getSetCookie().find((c) => c.startsWith(WAL_POSITION_COOKIE));
      expect(cookie).toContain(`${WAL_POSITION_COOKIE}=${position};`);
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Lax');

      // without its position a read is the replica's, which has not replayed the write yet
      expect(await exchangeCount(url, admin)).toBe(before);
      // with it (header for scripts, cookie for the dashboard) the primary answers, with the write
      const carriers: Record<string, string>[] = [
        { [WAL_POSITION_HEADER]: position },
        { Cookie: `${WAL_POSITION_COOKIE}=${position}` },
      ];
      for (const carried of carriers) {
        const ownRead = await statementsDuring(() => exchangeCount(url, { ...admin, ...carried }));
        expect(ownRead.value).toBe(before + 1);
        expect(ownRead.primary).toBeGreaterThan(0);
        // one statement on the replica: has it replayed the position? (not yet)
        expect(ownRead.replica).toBe(1);
      }

      await query(standby, 'select pg_wal_replay_resume()');
      await replayed(position);
      const caughtUp = await statementsDuring(() =>
        exchangeCount(url, { ...admin, [WAL_POSITION_HEADER]: position }),
      );
      expect(caughtUp.value).toBe(before + 1);
      expect(caughtUp.primary).toBe(0);

      // a download is a read too: the replica's, with the exchange written
      const download = await statementsDuring(async () => {
        const response = await fetch(`${url}/export/exchanges.csv`, { headers: admin });
        return { status: response.status, text: await response.text() };
      });
      expect(download.value.status).toBe(200);
      expect(download.value.text).toContain('Read-your-writes workshop');
      expect(download.primary).toBe(0);
      expect(download.replica).toBeGreaterThan(0);
    } finally {
      await query(standby, 'select pg_wal_replay_resume()');
    }
  });

  it('ignores a WAL position that is none, and never fails a read for it', async () => {
    const admin = await signInDemoAdmin(url);
    await replayed(await primaryPosition());
    for (const garbage of ['yesterday', '0/', 'FFFFFFFFF/0', "0/0'; select 1"]) {
      expect(walPositionFrom({ 'x-udx-wal-position': garbage })).toBeUndefined();
      const read = await statementsDuring(() =>
        send(
          url,
          '{ programmeTotals { exchanges } }',
          {},
          {
            ...admin,
            [WAL_POSITION_HEADER]: garbage,
            Cookie: `${WAL_POSITION_COOKIE}=${garbage}`,
          },
        ),
      );
      expect(read.value.status).toBe(200);
      expect(read.value.json.errors).toBeUndefined();
      expect(read.primary).toBe(0);
    }
  });

  it('serves a read from the primary when its session must be written as used', async () => {
    const admin = await signInDemoAdmin(url);
    // the session was last written as used long ago: the read must write it, which a standby
    // refuses. A server of its own: a server remembers sessions it has checked.
    await query(
      clusters?.primaryUrl('udx') ?? '',
      "update user_session set last_seen_at = now() - interval '10 minutes'",
    );
    await replayed(await primaryPosition());
    const fresh = await createServer({ db: primary.db, replicaDb: replica.db });
    const freshUrl = await fresh.listen(0, '127.0.0.1');
    try {
      const first = await statementsDuring(() => exchangeCount(freshUrl, admin));
      expect(first.primary).toBeGreaterThan(0);
      const [touched] = await query<{ count: string }>(
        clusters?.primaryUrl('udx') ?? '',
        "select count(*) from user_session where last_seen_at > now() - interval '1 minute'",
      );
      expect(Number(touched?.count)).toBe(1);
      await replayed(await primaryPosition());
      const next = await statementsDuring(() => exchangeCount(freshUrl, admin));
      expect(next.value).toBe(first.value);
      expect(next.primary).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('serves reads from the primary when the replica cannot be reached', async () => {
    const unreachable = await openDatabase({
      databaseUrl: `postgresql://postgres@127.0.0.1:${await freePort()}/udx`,
      readOnly: true,
    });
    const alone = await createServer({ db: primary.db, replicaDb: unreachable.db });
    const aloneUrl = await alone.listen(0, '127.0.0.1');
    try {
      const admin = await signInDemoAdmin(aloneUrl);
      expect(await exchangeCount(aloneUrl, admin)).toBeGreaterThan(0);
      // anonymous too, and again while the replica is left alone
      const anonymous = await send(aloneUrl, '{ sdgGoals { number } }', {}, {});
      expect(anonymous.status).toBe(200);
      expect(anonymous.json.errors).toBeUndefined();
    } finally {
      await alone.close();
      await unreachable.close();
    }
  });
});
