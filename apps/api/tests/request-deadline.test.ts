import { createTestDatabase, testEngines } from '@udx/db/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRequestScope } from '../src/auth/row-level-security.ts';
import { endedByDeadline } from '../src/http/graphql.ts';
import { runWithRequestRecord } from '../src/logging.ts';
import { createServer, type UdxServer } from '../src/server.ts';
import { insertAccount, post, SIGN_IN } from './auth-helpers.ts';
import { type RunningServer, startServer } from './read/server.ts';

// A request past its deadline starts no further statement: the embedded database cannot
// interrupt a running statement, so this is what bounds how long one request holds it.

describe('request deadline', () => {
  let running: RunningServer;
  let expired: UdxServer;
  let expiredUrl: string;
  beforeAll(async () => {
    running = await startServer('pglite');
    await insertAccount(running.handle.db, {
      email: 'monitor@example.org',
      role: 'FOREIGN_OFFICE',
      password: 'deadline-password',
    });
    // a server whose requests are past their deadline from the start
    expired = await createServer({ db: running.handle.db, requestDeadlineMs: -1 });
    expiredUrl = await expired.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await expired?.close();
    await running?.stop();
  });

  it('stops a request past its deadline with REQUEST_TIMEOUT, never a server error', async () => {
    // before the operation could start (every request first switches to its database role,
    // and a signed-in one reads its session): a 503 that says so
    const anonymous = await post(expiredUrl, '{ sdgGoals { number } }');
    expect(anonymous.status).toBe(503);
    expect(anonymous.json.errors[0].extensions.code).toBe('REQUEST_TIMEOUT');
    expect(anonymous.json.errors[0].message).toMatch(/took too long/);
    const token = (
      await post(running.url, SIGN_IN, {
        email: 'monitor@example.org',
        password: 'deadline-password',
      })
    ).json.data.signIn.token;
    const signedIn = await post(
      expiredUrl,
      '{ me { role } }',
      {},
      { Authorization: `Bearer ${token}` },
    );
    expect(signedIn.status).toBe(503);
    expect(signedIn.json.errors[0].extensions.code).toBe('REQUEST_TIMEOUT');
  });

  it('leaves requests within their deadline alone', async () => {
    const answer = await post(running.url, SIGN_IN, {
      email: 'monitor@example.org',
      password: 'deadline-password',
    });
    expect(answer.json.data.signIn.token).toEqual(expect.any(String));
    expect((await post(running.url, '{ sdgGoals { number } }')).json.data.sdgGoals).toHaveLength(
      17,
    );
  });
});

// On PostgreSQL a statement can also end by the connection's statement_timeout (30 s), and a
// statement sent before the deadline can find the transaction aborted by such a one: past the
// deadline, both are the deadline's doing and answer REQUEST_TIMEOUT, never an internal error.
describe.skipIf(!testEngines().includes('postgres'))('request deadline on postgres', () => {
  it('takes a cancelled statement, and one behind it in an aborted transaction, for the deadline', async () => {
    const handle = await createTestDatabase('postgres');
    try {
      const record = {
        requestId: 'deadline-test',
        statements: 0,
        deadline: performance.now() + 300,
      };
      const [outcome, queued] = await runWithRequestRecord(record, async () => {
        const scope = await openRequestScope(handle.db, {});
        // the connection's limit, made short here so that the test need not wait 30 s
        await sql`set local statement_timeout = 500`.execute(scope.db);
        // a second statement sent at once waits behind the first on the connection
        const sleeping = sql`select pg_sleep(10)`.execute(scope.db).then(
          () => 'finished',
          (error: unknown) => error,
        );
        const next = sql`select 1`.execute(scope.db).then(
          () => 'finished',
          (error: unknown) => error,
        );
        try {
          return await Promise.all([sleeping, next]);
        } finally {
          await scope.end().catch(() => {});
        }
      });
      // 57014: canceled on statement timeout; the statement behind it finds the transaction
      // aborted (25P02)
      expect((outcome as { code?: string }).code).toBe('57014');
      expect((queued as { code?: string }).code).toBe('25P02');
      runWithRequestRecord(record, () => {
        expect(endedByDeadline(outcome)).toBe(true);
        expect(endedByDeadline(queued)).toBe(true);
      });
      // an aborted transaction within the deadline is another statement's failure
      runWithRequestRecord({ ...record, deadline: performance.now() + 60_000 }, () => {
        expect(endedByDeadline(queued)).toBe(false);
      });
    } finally {
      await handle.close();
    }
  });
});
