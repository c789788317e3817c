import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/server.ts';
import { verdict } from './bundle.ts';
import { ACCOUNT, prepareBenchFile, ROWS, TARGET_SECONDS } from './import.ts';

// (d) The command line (README, "Import" and "Exports") with the file of (c), 100,000 rows, on
// the embedded database and, when UDX_BENCH_DATABASE_URL names an empty PostgreSQL database,
// on PostgreSQL: the import killed hard (SIGKILL) half-way through writing keeps nothing (one
// transaction); the import then puts every row in, and again leaves every row unchanged (no
// duplicates); then the programme's exports of that data set are timed.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const apiDir = path.join(repoRoot, 'apps/api');

/** Where the data lives: the settings the server and the command line both read. */
type Settings = { UDX_DATA_DIR: string } | { DATABASE_URL: string };

/** The environment with these database settings only (none of the caller's). */
function environment(settings: Settings): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, UDX_DATA_DIR: _dir, ...rest } = process.env;
  return { ...rest, NODE_ENV: 'development', ...settings };
}

/** `pnpm start` on these settings (migrations, demo data set), until `stop`. */
async function startServerOn(
  settings: Settings,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn('pnpm', ['--filter', '@udx/api', 'run', 'start'], {
    cwd: repoRoot,
    env: { ...environment(settings), PORT: String(port) },
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
  const stop = async () => {
    if (child.pid && child.exitCode === null) {
      process.kill(-child.pid, 'SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  };
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`udx exited early:\n${output}`);
    const healthy = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await stop();
  throw new Error(`udx did not start in time:\n${output}`);
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  seconds: number;
  /** Values written in the import's transaction when it was killed. */
  killedAt?: number;
}

/**
 * Runs `pnpm udx …` as the package script does (node with tsx, no pnpm between, so that a kill
 * reaches the command itself). `killAtWritten`: SIGKILL once the progress says that many
 * values are written, before the transaction's commit.
 */
function udx(settings: Settings, args: string[], killAtWritten?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: apiDir,
      env: environment(settings),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killedAt: number | undefined;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (killAtWritten === undefined || killedAt !== undefined) return;
      const written = [...stderr.matchAll(/([\d,]+) written/g)].map((m) =>
        Number(m[1]?.replaceAll(',', '')),
      );
      const last = written.at(-1) ?? 0;
      if (last >= killAtWritten) {
        killedAt = last;
        child.kill('SIGKILL');
      }
    });
    child.once('error', reject);
    child.once('close', (code, signal) =>
      resolve({
        code,
        signal,
        stdout: stdout || stderr,
        seconds: (performance.now() - started) / 1000,
        ...(killedAt === undefined ? {} : { killedAt }),
      }),
    );
  });
}

/** The counts of a command's summary line: "… 100,000 created, 0 updated, 0 unchanged …". */
function counts(stdout: string): { created: number; updated: number; unchanged: number } {
  const number = (word: string) =>
    Number(new RegExp(`([\\d,]+) ${word}`).exec(stdout)?.[1]?.replaceAll(',', '') ?? Number.NaN);
  return { created: number('created'), updated: number('updated'), unchanged: number('unchanged') };
}

const rate = (seconds: number) => `${Math.round(ROWS / seconds).toLocaleString('en')} rows/s`;

async function benchOn(engine: string, settings: Settings, work: string): Promise<void> {
  console.log(`\n(d) The command line on ${engine}, as ${ACCOUNT}`);
  const server = await startServerOn(settings);
  let file: string;
  try {
    file = (await prepareBenchFile(server.url)).file;
  } finally {
    // the embedded database serves one process at a time
    await server.stop();
  }
  const csv = path.join(work, 'values.csv');
  const summary = (run: Run) => run.stdout.trim().split('\n')[0]?.replace(`${csv}: `, '');
  writeFileSync(csv, file);
  const as = ['--as', ACCOUNT];
  // what a command spends before its work, the first time (cold): Node with tsx, the database
  // opened and its migrations checked (an account that does not exist ends it there)
  const start = await udx(settings, [
    'export',
    'iati',
    '--out',
    path.join(work, 'none.xml'),
    '--as',
    'nobody@bench.udx',
  ]);
  console.log(`  first start  ${start.seconds.toFixed(1).padStart(6)} s, before any work (cold)`);

  const killed = await udx(settings, ['import', 'values', csv, ...as], ROWS / 2);
  const afterKill = await udx(settings, ['import', 'values', csv, '--dry-run', ...as]);
  const kept = ROWS - counts(afterKill.stdout).created;
  const killedHalfWay = killed.signal === 'SIGKILL' && killed.killedAt !== undefined;
  console.log(
    `  killed       ${killed.seconds.toFixed(1).padStart(6)} s, ${
      killedHalfWay
        ? `SIGKILL at ${killed.killedAt?.toLocaleString('en')} values written`
        : `not killed: ${killed.stdout.trim().split('\n').at(-1)}`
    }; a dry run afterwards: ${summary(afterKill)}`,
  );
  console.log(
    `${verdict(killedHalfWay && kept === 0 && afterKill.code === 0)}: an import killed half-way ` +
      `keeps nothing (${kept.toLocaleString('en')} values kept)`,
  );
  console.log(
    `  dry run      ${afterKill.seconds.toFixed(1).padStart(6)} s, ${rate(afterKill.seconds)}`,
  );

  const imported = await udx(settings, ['import', 'values', csv, ...as]);
  const again = await udx(settings, ['import', 'values', csv, ...as]);
  for (const [label, run] of [
    ['import', imported],
    ['again', again],
  ] as const) {
    console.log(
      `  ${label.padEnd(12)} ${run.seconds.toFixed(1).padStart(6)} s, ${rate(run.seconds)} — ` +
        `exit ${run.code}: ${summary(run)}`,
    );
  }
  const allIn = imported.code === 0 && counts(imported.stdout).created === ROWS;
  const noDuplicates = again.code === 0 && counts(again.stdout).unchanged === ROWS;
  console.log(
    `${verdict(allIn && noDuplicates)}: all ${ROWS.toLocaleString('en')} rows in, and the same ` +
      'file again leaves every one unchanged (no duplicates)',
  );
  const slowest = Math.max(afterKill.seconds, imported.seconds, again.seconds);
  console.log(
    `${verdict(slowest <= TARGET_SECONDS)}: checked and imported from the command line in at ` +
      `most ${slowest.toFixed(0)} s each (target ≤ ${TARGET_SECONDS} s; the command's start included)`,
  );

  console.log('  exports of the whole programme (demo data set and the 100,000 values):');
  for (const [kind, format] of [
    ['indicators', 'csv'],
    ['indicators', 'xlsx'],
    ['exchanges', 'csv'],
    ['outcomes', 'csv'],
    ['iati', 'xml'],
  ] as const) {
    const out = path.join(work, `${kind}.${format}`);
    const formatOption = kind === 'iati' ? [] : ['--format', format];
    const run = await udx(settings, ['export', kind, ...formatOption, '--out', out, ...as]);
    if (run.code !== 0) throw new Error(`the export of ${kind} failed: ${run.stdout}`);
    console.log(
      `    ${`${kind}.${format}`.padEnd(16)} ${run.seconds.toFixed(1).padStart(6)} s, ` +
        `${(statSync(out).size / 1024).toFixed(0)} KiB`,
    );
  }
}

export async function benchImportCommandLine(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'udx-bench-cli-'));
  try {
    await benchOn('PGlite', { UDX_DATA_DIR: path.join(work, 'data') }, work);
    const databaseUrl = process.env.UDX_BENCH_DATABASE_URL;
    if (databaseUrl) await benchOn('PostgreSQL', { DATABASE_URL: databaseUrl }, work);
    else {
      console.log(
        '\n(d) PostgreSQL: skipped (set UDX_BENCH_DATABASE_URL to an empty database to measure it)',
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
