import type { Db } from '@udx/db/database';
import { sql } from 'kysely';

/** Row count and checksum of each table of the database. */
export type DatabaseSnapshot = Record<string, { rows: number; checksum: string }>;

/**
 * Columns that change by design on a mere read: a session's `last_seen_at` is touched when a
 * token is used after a minute (README, sessions idle out after 8 hours).
 */
const VOLATILE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  user_session: ['last_seen_at'],
};

const tablesOf = new WeakMap<Db, Promise<string[]>>();

/** Every table of the public schema, the migration bookkeeping included. */
function tables(db: Db): Promise<string[]> {
  let found = tablesOf.get(db);
  if (!found) {
    found = sql<{ name: string }>`select tablename as name from pg_tables
        where schemaname = 'public' order by tablename`
      .execute(db)
      .then((result) => result.rows.map((row) => row.name));
    tablesOf.set(db, found);
  }
  return found;
}

/**
 * Counts and checksums every table in one statement, as the owner of the tables (past
 * row-level security): an md5 over the rows as JSON, sorted, so that any changed, added or
 * removed row changes it, whoever wrote it.
 */
export async function snapshotDatabase(db: Db): Promise<DatabaseSnapshot> {
  const names = await tables(db);
  const selects = names.map((name) => {
    const volatile = VOLATILE_COLUMNS[name] ?? [];
    const row = sql`(to_jsonb(t) - ${sql.val(volatile)}::text[])::text`;
    return sql`select ${name}::text as name, count(*)::int as rows,
        coalesce(md5(string_agg(${row}, ',' order by ${row})), '') as checksum
      from ${sql.table(name)} t`;
  });
  const { rows } = await sql<{ name: string; rows: number; checksum: string }>`${sql.join(
    selects,
    sql` union all `,
  )}`.execute(db);
  return Object.fromEntries(
    rows.map((r) => [r.name, { rows: Number(r.rows), checksum: r.checksum }]),
  );
}

/** The tables whose rows differ between two snapshots, as "table: 3 → 4 rows" lines. */
export function changedTables(
  before: DatabaseSnapshot,
  after: DatabaseSnapshot,
  ignore: readonly string[] = [],
): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changes: string[] = [];
  for (const name of [...names].sort()) {
    if (ignore.includes(name)) continue;
    const b = before[name];
    const a = after[name];
    if (b?.checksum === a?.checksum && b?.rows === a?.rows) continue;
    changes.push(`${name}: ${b?.rows ?? '-'} → ${a?.rows ?? '-'} rows (checksum changed)`);
  }
  return changes;
}
