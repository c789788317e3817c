import { loadSettings } from '@udx/config';
import { type DatabaseHandle, openDatabase } from '@udx/db/database';
import { prepareDatabase } from '@udx/db/migrate';
import type { Viewer } from '../context.ts';
import type { Executor } from '../modules/shared/transaction.ts';
import { CommandError, UsageError } from './errors.ts';

/**
 * Opens the database the server uses, by the same settings (`DATABASE_URL`, else the embedded
 * database in `UDX_DATA_DIR`), migrated as the server would on start. The embedded database
 * serves one process at a time: stop the server before using it from the command line.
 */
export async function openServerDatabase(): Promise<DatabaseHandle> {
  const settings = loadSettings();
  const database = await openDatabase({
    databaseUrl: settings.databaseUrl,
    dataDir: settings.dataDir,
    poolSize: 2,
  });
  try {
    await prepareDatabase(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/**
 * The account a command acts for (`--as <email>`): an existing, active account, whose rights
 * apply exactly as to its requests to the API: the commands run in a transaction as its
 * database role with row-level security (`withViewerScope`), through the same services as the
 * HTTP endpoints. It is read on the command line's own connection, which the server uses to
 * find accounts too; no password is asked, as whoever runs the command holds the database's
 * settings anyway.
 */
export async function actingAccount(db: Executor, email: string | undefined): Promise<Viewer> {
  if (!email) throw new UsageError('--as <email> is required: the account whose rights apply');
  const address = email.trim().toLowerCase();
  const row = await db
    .selectFrom('app_user')
    .select(['id', 'email', 'display_name', 'role', 'city_id', 'active'])
    .where('email', '=', address)
    .executeTakeFirst();
  if (!row) throw new CommandError(`No account ${address}`);
  if (!row.active) throw new CommandError(`The account ${address} is deactivated`);
  return {
    userId: row.id,
    // the command line has no session: nothing of a command reads or ends one
    sessionId: 0,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    cityId: row.city_id,
  };
}
