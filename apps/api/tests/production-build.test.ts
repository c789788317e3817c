import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Production runs the JavaScript of `pnpm build` with plain Node (README, Production): the
// `udx` command line and the server start from apps/api/dist, the server on a fresh embedded
// database with NODE_ENV=production, and neither loads tsx or a TypeScript file.

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A port nobody listens on right now (the settings refuse PORT=0). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** What a process printed, and how it ended. */
interface Run {
  child: ChildProcess;
  output: () => string;
  /** The `msg` of every JSON log line so far. */
  messages: () => string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A GraphQL operation as a script sends it. */
async function post(url: string, query: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    // biome-ignore lint/suspicious/noExplicitAny: the answers are checked field by field
    json: (await response.json()) as { data?: any; errors?: unknown[] },
  };
}

describe('the production build', () => {
  let work: string;
  let dataDir: string;
  let loadedFile: string;
  let probe: string;
  let server: Run | undefined;

  /** Runs a file of dist with Node alone, in production, recording every module it loads. */
  function runBuilt(file: string, args: string[], extraEnv: Record<string, string> = {}): Run {
    // Only these variables: no NODE_OPTIONS (which could bring tsx in), no DATABASE_URL.
    const env = { NODE_ENV: 'production', UDX_DATA_DIR: dataDir, ...extraEnv };
    const child = spawn(
      process.execPath,
      ['--enable-source-maps', '--import', probe, path.join(apiDir, 'dist', file), ...args],
      // started from elsewhere: the build finds the repository from its own location
      { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const messages = () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => (JSON.parse(line) as { msg?: string }).msg ?? '');
    return { child, output: () => output, messages, exited };
  }

  beforeAll(() => {
    // the same command as `pnpm build` runs for this package, so the test sees today's sources
    execFileSync('pnpm', ['run', '--silent', 'build'], { cwd: apiDir, stdio: 'pipe' });
    work = mkdtempSync(path.join(tmpdir(), 'udx-production-'));
    dataDir = path.join(work, 'data');
    loadedFile = path.join(work, 'loaded.txt');
    // Node's module hooks record the URL of every module the process imports.
    const hooks = path.join(work, 'hooks.mjs');
    writeFileSync(
      hooks,
      `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  appendFileSync(${JSON.stringify(loadedFile)}, result.url + '\\n');
  return result;
}
`,
    );
    probe = pathToFileURL(path.join(work, 'probe.mjs')).href;
    writeFileSync(
      fileURLToPath(probe),
      `import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(hooks).href)});
`,
    );
  });

  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('emits JavaScript with source maps pointing at the TypeScript sources', () => {
    for (const file of ['main.js', 'cli.js']) {
      expect(existsSync(path.join(apiDir, 'dist', file))).toBe(true);
      const map = JSON.parse(readFileSync(path.join(apiDir, 'dist', `${file}.map`), 'utf8')) as {
        sources: string[];
      };
      expect(map.sources).toContain(`../src/${file.replace('.js', '.ts')}`);
      // the workspace packages are bundled in, from their sources
      expect(map.sources).toContain('../../../packages/config/src/settings.ts');
    }
  });

  it('runs the udx command line from dist/cli.js', async () => {
    const cli = runBuilt('cli.js', ['help']);
    const { code } = await cli.exited;
    expect(code, cli.output()).toBe(0);
    expect(cli.output()).toContain('pnpm udx user:create --email <address>');
  });

  it('serves the API from dist/main.js and says which settings it uses', async () => {
    const port = await freePort();
    const run = runBuilt('main.js', [], { PORT: String(port) });
    server = run;
    const deadline = Date.now() + 100_000;
    while (!run.messages().some((m) => m.startsWith('GraphQL API: '))) {
      if (run.child.exitCode !== null) throw new Error(`udx exited early:\n${run.output()}`);
      if (Date.now() > deadline) throw new Error(`udx did not start in time:\n${run.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const messages = run.messages();
    expect(messages).toContain(
      `Settings: NODE_ENV=production, PORT=${port}, UDX_DATA_DIR=${dataDir} (embedded PGlite; ` +
        'DATABASE_URL unset), whole-schema introspection off, public figures off',
    );
    expect(messages.find((m) => m.startsWith('Code: '))).toMatch(
      /^Code: compiled JavaScript \(apps\/api\/dist\/main\.js\) on Node v\d+\.\d+\.\d+, source maps on$/,
    );
    expect(messages).toContain(`Database: embedded PostgreSQL (PGlite) at ${dataDir}`);
    expect(messages.some((m) => m.startsWith('Migrations applied now: '))).toBe(true);
    expect(messages).toContain(
      'Data: production data (the demo data set is never loaded in production)',
    );
    // found or not, depending on whether the dashboard was built: either way it is said
    expect(messages.some((m) => m.startsWith('Dashboard: '))).toBe(true);
    expect(messages).toContain(
      `GraphQL API: http://localhost:${port}/graphql (GraphiQL in the browser)`,
    );

    const url = `http://127.0.0.1:${port}`;
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);

    // the SDG catalogue was bundled into the build and loaded into the fresh database
    const goals = await post(url, '{ sdgGoals { number } }');
    expect(goals.json.errors).toBeUndefined();
    expect(goals.json.data?.sdgGoals).toHaveLength(17);

    run.child.kill('SIGTERM');
    const { code } = await run.exited;
    expect(code, run.output()).toBe(0);
    expect(run.messages()).toContain('SIGTERM: shutting down');
  });

  it('never loads tsx, TypeScript or a TypeScript file', () => {
    const loaded = readFileSync(loadedFile, 'utf8').trim().split('\n');
    // the probe saw both programs and the packages they use
    expect(loaded).toContain(pathToFileURL(path.join(apiDir, 'dist', 'main.js')).href);
    expect(loaded).toContain(pathToFileURL(path.join(apiDir, 'dist', 'cli.js')).href);
    expect(loaded.some((url) => url.includes('/node_modules/@electric-sql/pglite/'))).toBe(true);
    expect(loaded.filter((url) => /\.[cm]?tsx?$/.test(url))).toEqual([]);
    expect(loaded.filter((url) => /\/node_modules\/(tsx|typescript|esbuild)\//.test(url))).toEqual(
      [],
    );
  });
});
