import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServerDatabase, testEngines } from '@udx/db/testing';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A port nothing listens on now, as the system hands them out. A port picked at random from a
 * fixed range can be another service's: RabbitMQ's port mapper listens on 4369, for one.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts udx as `pnpm start` does (the API package's start script: migrations, reference and
 * demo data, API and built dashboard on one port) on a fresh database, and waits until it prints
 * its address: a new database on the tests' PostgreSQL server when there is one
 * (`UDX_TEST_DATABASE_URL` or `DATABASE_URL`, as for every other test), else an embedded one in a
 * temporary folder. `production` starts it with NODE_ENV=production instead: no demo data, and
 * without UDX_PUBLIC=on no public figures (README, "Production").
 */
export async function startServer(options: { production?: boolean } = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'udx-e2e-'));
  const serverDatabase = testEngines().includes('postgres')
    ? await createServerDatabase('udx_e2e')
    : undefined;
  const port = await freePort();
  const child: ChildProcess = spawn('pnpm', ['--filter', '@udx/api', 'run', 'start'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      UDX_DATA_DIR: dataDir,
      NODE_ENV: options.production ? 'production' : 'development',
      // the tests' server publishes what its NODE_ENV publishes by default
      UDX_PUBLIC: undefined,
      DATABASE_URL: serverDatabase?.url ?? '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await serverDatabase?.drop();
      throw new Error(`udx exited early:\n${output}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (Date.now() >= deadline) throw new Error(`udx did not start in time:\n${output}`);
  return {
    url,
    output: () => output,
    stop: async () => {
      if (child.pid && child.exitCode === null) {
        process.kill(-child.pid, 'SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      rmSync(dataDir, { recursive: true, force: true });
      await serverDatabase?.drop();
    },
  };
}
