import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
