import { type Kysely, sql } from 'kysely';

/**
 * Sign-in throttling that cannot lock an owner out. Failed sign-ins used to be counted on the
 * account, so anyone could keep an account waiting (the administrator's, say) by guessing
 * now and then, and the different answer told which addresses exist. Failures are now counted
 * per (account, client address) and per client address, in a table of their own; the API
 * answers a throttled attempt exactly as a wrong password (see the README, "Signing in").
 *
 * `key` is `pair:<sha256 of the address>@<client>` or `client:<client>`: no address is stored
 * in plain text. Nobody but the server's own connection reads or writes the table.
 *
 * Frozen in time: later changes go into new migrations, never into this file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE sign_in_throttle (
    key text PRIMARY KEY CHECK (key ~ '^(pair|client):'),
    failures integer NOT NULL CHECK (failures >= 0),
    last_failure_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  await sql`CREATE INDEX sign_in_throttle_last_failure_idx ON sign_in_throttle (last_failure_at)`.execute(
    db,
  );
  await sql`ALTER TABLE app_user DROP COLUMN failed_sign_ins, DROP COLUMN last_failed_sign_in_at`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE app_user
    ADD COLUMN failed_sign_ins integer NOT NULL DEFAULT 0,
    ADD COLUMN last_failed_sign_in_at timestamptz`.execute(db);
  await sql`DROP TABLE sign_in_throttle`.execute(db);
}
