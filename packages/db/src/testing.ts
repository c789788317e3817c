import { randomBytes } from 'node:crypto';
import { testDatabaseUrl } from '@udx/config';
import pg from 'pg';
import { type DatabaseHandle, type OpenDatabaseOptions, openDatabase } from './database.ts';
import { prepareDatabase } from './migrate.ts';

/**
 * Test support: every test runs against a real, freshly migrated database — embedded PGlite
 * always, and a PostgreSQL server as well when `UDX_TEST_DATABASE_URL` or `DATABASE_URL` is set.
 */
export type Engine = DatabaseHandle['engine'];

/** The engines the tests run on in this environment. */
export function testEngines(): Engine[] {
  return testDatabaseUrl() ? ['pglite', 'postgres'] : ['pglite'];
}

let pgliteTemplate: Promise<File | Blob> | undefined;

/** A migrated PGlite database with reference data, made once per test process and copied. */
function migratedPgliteTemplate(): Promise<File | Blob> {
  pgliteTemplate ??= (async () => {
    const handle = await openDatabase({ dataDir: 'memory://' });
    try {
      await prepareDatabase(handle.db);
      if (!handle.dump) throw new Error('the embedded database cannot be dumped');
      return await handle.dump();
    } finally {
      await handle.close();
    }
  })();
  return pgliteTemplate;
}

export type TestDatabaseOptions = Pick<OpenDatabaseOptions, 'log' | 'poolSize'>;

/**
 * A fresh, migrated database with reference data and nothing else. On PostgreSQL it is a new
 * database created for this test and dropped by `close()`.
 */
export async function createTestDatabase(
  engine: Engine,
  options: TestDatabaseOptions = {},
): Promise<DatabaseHandle> {
  if (engine === 'pglite') {
    const handle = await openDatabase({
      ...options,
      dataDir: 'memory://',
      pgliteDump: await migratedPgliteTemplate(),
    });
    return handle;
  }
  const database = await createServerDatabase('udx_test');
  const handle = await openDatabase({
    ...options,
    databaseUrl: database.url,
    poolSize: options.poolSize ?? 4,
  });
  await prepareDatabase(handle.db);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await database.drop();
    },
  };
}

/**
 * A new, empty database on the tests' PostgreSQL server (`UDX_TEST_DATABASE_URL` or
 * `DATABASE_URL`), e.g. for a udx process that migrates and fills it itself; `drop` removes it
 * with whatever is still connected.
 */
export async function createServerDatabase(
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = testDatabaseUrl();
  if (!serverUrl) throw new Error('No PostgreSQL server for tests: set UDX_TEST_DATABASE_URL');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
