import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { testDatabaseUrl } from '@udx/config';
import { createServerDatabase } from '@udx/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port.ts';
import {
  exchangeCount,
  exchangeInput,
  recordExchange,
  signInDemoAdmin,
} from './read-your-writes.ts';

// Several udx processes on one database, as behind a load balancer (README, "Beyond one
// machine"): two real server processes share a fresh PostgreSQL database with the demo data
// set; a session opened through one is valid in the other, and a write through one is read
// through the other at once, although each process keeps computed figures in its own cache.
// PostgreSQL only: the embedded database belongs to one process and cannot be shared.

const API_DIR = fileURLToPath(new URL('..', import.meta.url));
/** How long a process may take to migrate, load the demo data set and listen. */
const START_LIMIT_MS = 90_000;

interface ServerProcess {
  url: string;
  stop(): Promise<void>;
}

/** `tsx src/main.ts` on `databaseUrl`, as `pnpm start` runs it; resolves once it is ready. */
async function startProcess(databaseUrl: string): Promise<ServerProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: API_DIR,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl,
      DATABASE_REPLICA_URL: '',
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`udx exited early:\n${output}`);
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { url, stop };
    if (performance.now() - started > START_LIMIT_MS) {
      await stop();
      throw new Error(`udx did not start within ${START_LIMIT_MS} ms:\n${output}`);
    }
    await sleep(200);
  }
}

describe.skipIf(!testDatabaseUrl())('two udx processes on one database', () => {
  let database: Awaited<ReturnType<typeof createServerDatabase>>;
  const processes: ServerProcess[] = [];

  beforeAll(async () => {
    database = await createServerDatabase('udx_processes');
    // the first migrates and loads the demo data set; the second finds both done
    processes.push(await startProcess(database.url));
    processes.push(await startProcess(database.url));
  });

  afterAll(async () => {
    await Promise.all(processes.map((server) => server.stop()));
    await database?.drop();
  });

  it('reads a write through the same process and through the other', async () => {
    const [a, b] = processes;
    if (!a || !b) throw new Error('the processes did not start');
    // signed in through A, the session is valid in B: sessions live in the database
    const admin = await signInDemoAdmin(a.url);
    const before = await exchangeCount(b.url, admin);
    // both have computed the figure now, each in its own cache
    expect(await exchangeCount(a.url, admin)).toBe(before);

    await recordExchange(a.url, admin, await exchangeInput(a.url, admin));

    expect(await exchangeCount(b.url, admin)).toBe(before + 1);
    expect(await exchangeCount(a.url, admin)).toBe(before + 1);
  });
});
