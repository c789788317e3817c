import { type Kysely, sql } from 'kysely';

/**
 * Indexes in the order the lists of exchanges and outcomes are shown (README, "Performance"):
 * latest first, by start date or date and then by id. With the id in the index, a page is the
 * next rows of the index, however deep it lies, and the list's ids are read from the index alone
 * (an index-only scan) until the page's own rows. They replace the indexes on the date alone,
 * which they cover as well for the figures' periods.
 *
 * Frozen in time: later changes go into new migrations, never into this file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX exchange_start_id_idx ON exchange (starts_on, id)`.execute(db);
  await sql`DROP INDEX exchange_start_idx`.execute(db);
  await sql`CREATE INDEX outcome_date_id_idx ON outcome (date, id)`.execute(db);
  await sql`DROP INDEX outcome_date_idx`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX outcome_date_idx ON outcome (date)`.execute(db);
  await sql`DROP INDEX outcome_date_id_idx`.execute(db);
  await sql`CREATE INDEX exchange_start_idx ON exchange (starts_on)`.execute(db);
  await sql`DROP INDEX exchange_start_id_idx`.execute(db);
}
