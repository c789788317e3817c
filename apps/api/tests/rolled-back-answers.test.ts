import type { DatabaseHandle } from '@udx/db/database';
import { createTestDatabase, testEngines } from '@udx/db/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type UdxServer } from '../src/server.ts';
import { bearer, insertAccount, post, signInToken } from './auth-helpers.ts';

// A statement that fails inside a request (a deadline, a lock not granted) makes PostgreSQL roll
// the request's transaction back instead of committing it. Here a grant taken away for a moment
// makes one field's statement fail, as such a fault would.

const PASSWORD = 'rolled-back-password';

describe.each(testEngines())('answers after a failed statement on %s', (engine) => {
  let handle: DatabaseHandle;
  let server: UdxServer;
  let url: string;
  let token: string;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    server = await createServer({ db: handle.db });
    url = await server.listen(0, '127.0.0.1');
    await insertAccount(handle.db, {
      email: 'admin@example.org',
      role: 'SKEW_ADMIN',
      password: PASSWORD,
    });
    token = await signInToken(url, 'admin@example.org', PASSWORD);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await handle?.close();
  });

  /** Runs `fn` while the admin's role may not read `table`. */
  const withoutReading = async <T>(table: 'indicator' | 'department', fn: () => Promise<T>) => {
    await sql`revoke select on ${sql.table(table)} from udx_skew_admin`.execute(handle.db);
    try {
      return await fn();
    } finally {
      await sql`grant select on ${sql.table(table)} to udx_skew_admin`.execute(handle.db);
    }
  };

  it('keeps the data of a read beside the error of its failed field, never a server error', async () => {
    const answer = await withoutReading('indicator', () =>
      post(url, '{ me { email } indicator(code: "U1") { code } }', {}, bearer(token)),
    );
    expect(answer.status).toBe(200);
    expect(answer.json.data.me).toEqual({ email: 'admin@example.org' });
    expect(answer.json.errors).toHaveLength(1);
    expect(answer.json.errors[0].path).toEqual(['indicator']);
  });

  it('says that nothing of a mutation was saved when its transaction was rolled back', async () => {
    // the city is written; reading its departments for the answer then fails
    const create = `mutation { createCity(input: { name: "Rolled Back", countryCode: "DE" }) {
      city { name departments { name } } errors { code } } }`;
    const answer = await withoutReading('department', () => post(url, create, {}, bearer(token)));
    expect(answer.status).toBe(503);
    expect(answer.json.data).toBeUndefined();
    expect(answer.json.errors[0].message).toBe('The operation failed: nothing of it was saved.');
    const kept = await handle.db.selectFrom('city').where('name', '=', 'Rolled Back').execute();
    expect(kept).toEqual([]);
  });
});
