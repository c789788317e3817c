import path from 'node:path';
import { loadSettings, projectRoot } from '@udx/config';
import { openDatabase } from '@udx/db/database';
import { prepareDatabase } from '@udx/db/migrate';
import { isDemoDataPresent, loadDemoDataSetIfEmpty } from '@udx/demo/load';
import { assertNoDemoAccountsInProduction } from './auth/demo-accounts.ts';
import { countStatement, createLogger } from './logging.ts';
import { createServer } from './server.ts';

// `pnpm start`: migrate, load the demo data set into an empty database (not in production),
// then serve the API and the dashboard on one port.

async function main(): Promise<void> {
  const settings = loadSettings();
  // JSON lines in production (for the log collector), readable lines on a developer's terminal
  const log = createLogger({ pretty: !settings.isProduction });
  const database = await openDatabase({
    databaseUrl: settings.databaseUrl,
    dataDir: settings.dataDir,
    // each request's log line reports how many SQL statements it ran
    log: countStatement,
    // a dropped idle connection is replaced by the pool; it must not end the process
    onPoolError: (error) =>
      log.warn(`Database connection lost (the pool reconnects): ${error.message}`),
  });
  const engine = database.engine === 'pglite' ? 'embedded PostgreSQL (PGlite)' : 'PostgreSQL';
  log.info(`Database: ${engine} at ${database.location}`);

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

  const server = await createServer({
    db: database.db,
    dashboardDir: path.join(projectRoot, 'apps/dashboard/dist'),
    logger: log,
    production: settings.isProduction,
    introspection: settings.introspection,
  });
  const url = await server.listen(settings.port);
  log.info(`Dashboard: ${url}/`);
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
