import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type LoadOptions, type LoadResult, loadGraphQL } from './load.ts';
import { postGraphQL } from './measure.ts';
import { freePort, startChildServer } from './processes.ts';

/** PostGraphile 5 needs Node 22 or later; npx brings both from the npm registry. */
const NPX_PACKAGES = ['-p', 'node@22', '-p', 'postgraphile@5'];
/** Downloading both on a first run takes a while. */
const START_TIMEOUT_MS = 300_000;

/**
 * The amber preset, with relations exposed whether or not an index covers their columns:
 * udx's exchange_department refers to (exchange, partnership) through a key no index leads
 * with, and the nested list needs that relation. The preset is imported from the PostGraphile
 * that npx runs, which this file's folder cannot resolve.
 */
const CONFIG = `import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(realpathSync(process.argv[1]));
const { PostGraphileAmberPreset } = await import(require.resolve('postgraphile/presets/amber'));
export default { extends: [PostGraphileAmberPreset], disablePlugins: ['PgIndexBehaviorsPlugin'] };
`;

/** A GraphQL request in PostGraphile's naming. */
export interface PostGraphileRequest {
  query: string;
  variables: Record<string, unknown>;
}

/** PostGraphile serving a database; `close` stops it. */
export interface PostGraphile {
  run(request: PostGraphileRequest, load: LoadOptions): Promise<LoadResult>;
  close(): Promise<void>;
}

/**
 * Starts PostGraphile 5 (amber preset) on `databaseUrl`, schema public, in production mode, as
 * the role of the connection string (the database's owner: row-level security does not apply
 * to it as it does to udx's viewer roles). Throws with the reason when it cannot start.
 */
export async function startPostGraphile(databaseUrl: string): Promise<PostGraphile> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'udx-postgraphile-'));
  const configFile = path.join(folder, 'graphile.config.mjs');
  writeFileSync(configFile, CONFIG);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  try {
    const server = await startChildServer({
      command: 'npx',
      args: [
        '-y',
        ...NPX_PACKAGES,
        '--',
        'postgraphile',
        '-C',
        configFile,
        '-c',
        databaseUrl,
        '-s',
        'public',
        '-p',
        String(port),
        '-n',
        '127.0.0.1',
      ],
      cwd: folder,
      env: { ...process.env, GRAPHILE_ENV: 'production' },
      url,
      readyPath: '/graphql',
      timeoutMs: START_TIMEOUT_MS,
      detached: true,
    });
    return {
      run: async (request, load) => {
        // a wrong field name would otherwise be measured as a fast error
        await postGraphQL(url, request.query, request.variables);
        return loadGraphQL({ url, ...request }, load);
      },
      close: async () => {
        await server.stop();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}
