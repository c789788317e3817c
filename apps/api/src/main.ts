import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSettings, projectRoot, type Settings } from '@udx/config';
import { type DatabaseHandle, openDatabase } from '@udx/db/database';
import { prepareDatabase } from '@udx/db/migrate';
import { isDemoDataPresent, loadDemoDataSetIfEmpty } from '@udx/demo/load';
import { assertNoDemoAccountsInProduction } from './auth/demo-accounts.ts';
import { firstScreenEntryOf } from './http/first-screen.ts';
import { countStatement, createLogger, type Logger } from './logging.ts';
import { createServer } from './server.ts';

// `pnpm start` (TypeScript through tsx) and, in production, `node apps/api/dist/main.js` (the
// JavaScript `pnpm build` emits): migrate, load the demo data set into an empty database (not
// in production), then serve the API and the dashboard on one port.

/** The settings in force, as one start-up line; never a password (DATABASE_URL is not shown). */
function describeSettings(settings: Settings): string {
  const database = settings.databaseUrl
    ? 'DATABASE_URL set (PostgreSQL; UDX_DATA_DIR unused)'
    : `UDX_DATA_DIR=${settings.dataDir} (embedded PGlite; DATABASE_URL unset)`;
  const replica = settings.databaseReplicaUrl ? ', DATABASE_REPLICA_URL set (reads)' : '';
  return (
    `Settings: NODE_ENV=${settings.nodeEnv}, PORT=${settings.port}, ${database}${replica}, ` +
    `whole-schema introspection ${settings.introspection ? 'on' : 'off'}, ` +
    `public figures ${settings.publicFigures ? 'on' : 'off'}`
  );
}

/** What runs: the bundle of `pnpm build` or the TypeScript sources, and on which Node. */
function describeCode(): string {
  const file = fileURLToPath(import.meta.url);
  const shown = path.relative(projectRoot, file) || file;
  const kind = file.endsWith('.ts') ? 'TypeScript sources through tsx' : 'compiled JavaScript';
  const maps = process.sourceMapsEnabled ? 'on' : 'off';
  return `Code: ${kind} (${shown}) on Node ${process.version}, source maps ${maps}`;
}

/**
 * The streaming replica that serves reads, when `DATABASE_REPLICA_URL` is set (README, "Beyond
 * one machine"): a pool of its own, read-only. It is not migrated (it replays the primary) and
 * need not answer at start: until it does, the primary serves the reads.
 */
async function openReplica(settings: Settings, log: Logger): Promise<DatabaseHandle | undefined> {
  if (!settings.databaseReplicaUrl) return undefined;
  const replica = await openDatabase({
    databaseUrl: settings.databaseReplicaUrl,
    applicationName: 'udx-replica',
    readOnly: true,
    log: countStatement,
    onPoolError: (error) =>
      log.warn(`Replica connection lost (the pool reconnects): ${error.message}`),
  });
  log.info(`Replica for reads: PostgreSQL at ${replica.location}`);
  return replica;
}

async function main(): Promise<void> {
  const settings = loadSettings();
  // JSON lines in production (for the log collector), readable lines on a developer's terminal
  const log = createLogger({ pretty: !settings.isProduction });
  log.info(describeSettings(settings));
  log.info(describeCode());
  const database = await openDatabase({
    databaseUrl: settings.databaseUrl,
    dataDir: settings.dataDir,
    applicationName: 'udx-primary',
    // each request's log line reports how many SQL statements it ran
    log: countStatement,
    // a dropped idle connection is replaced by the pool; it must not end the process
    onPoolError: (error) =>
      log.warn(`Database connection lost (the pool reconnects): ${error.message}`),
  });
  const engine = database.engine === 'pglite' ? 'embedded PostgreSQL (PGlite)' : 'PostgreSQL';
  log.info(`Database: ${engine} at ${database.location}`);
  const replica = await openReplica(settings, log);

  const applied = await prepareDatabase(database.db);
  log.info(
    applied.length > 0
      ? `Migrations applied now: ${applied.join(', ')}`
      : 'Migrations: the database is up to date',
  );
  await assertNoDemoAccountsInProduction(database.db, settings);

  let dataSet: string;
  if (settings.isProduction) {
    if (await isDemoDataPresent(database.db)) {
      await database.close();
      throw new Error(
        'This database holds the demo data set or demo accounts, which must never exist in ' +
          'production. Use another database, or remove the demo data first.',
      );
    }
    dataSet = 'production data (the demo data set is never loaded in production)';
  } else {
    const demo = await loadDemoDataSetIfEmpty(database.db);
    if (demo.loaded && demo.summary) {
      const s = demo.summary;
      dataSet =
        `demo data set loaded now (synthetic figures): ${s.cities} cities, ${s.partnerships} ` +
        `partnerships, ${s.departments} departments, ${s.exchanges} exchanges, ${s.outcomes} ` +
        `outcomes, ${s.reportedValues} reported values, ${s.targets} targets, ${s.users} demo ` +
        'accounts (password udx-demo-2030)';
    } else if (await isDemoDataPresent(database.db)) {
      dataSet = 'demo data set, already present (synthetic figures)';
    } else {
      dataSet = 'the data already in the database (no demo data set)';
    }
  }
  log.info(`Data: ${dataSet}`);

  const dashboardDir = path.join(projectRoot, 'apps/dashboard/dist');
  const dashboardBuilt = existsSync(path.join(dashboardDir, 'index.html'));
  const server = await createServer({
    db: database.db,
    replicaDb: replica?.db,
    dashboardDir,
    logger: log,
    production: settings.isProduction,
    introspection: settings.introspection,
    publicFigures: settings.publicFigures,
    trustedProxies: settings.trustedProxies,
  });
  const url = await server.listen(settings.port);
  const firstScreen = existsSync(firstScreenEntryOf(dashboardDir))
    ? "; the overview's first screen rendered on the server"
    : '';
  log.info(
    dashboardBuilt
      ? `Dashboard: ${url}/ (from ${dashboardDir}${firstScreen})`
      : `Dashboard: not built, ${dashboardDir} has no index.html (pnpm build builds it)`,
  );
  log.info(`GraphQL API: ${url}/graphql (GraphiQL in the browser)`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    // a hung request must not keep the process alive for ever
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await server.close();
      await replica?.close();
      await database.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`udx could not start: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof Error && error.cause) console.error(error.cause);
  process.exit(1);
});
