import { migrations } from '@udx/migrations/migrations';
import { loadReferenceData } from '@udx/migrations/reference';
import type { Kysely } from 'kysely';
import { type MigrationResult, Migrator } from 'kysely/migration';

/**
 * Brings a database to the latest schema and refreshes the reference data (SDG catalogue,
 * topics, programme indicators). Safe to run on every start and any number of times.
 * Returns the names of the migrations it applied now.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the app's types apply
export async function prepareDatabase(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r: MigrationResult) => r.status === 'Error');
  if (error || failed) {
    const where = failed ? ` in migration ${failed.migrationName}` : '';
    throw new Error(`Database migration failed${where}: ${String(error)}`, { cause: error });
  }
  await loadReferenceData(db);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
