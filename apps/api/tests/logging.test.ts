import { Writable } from 'node:stream';
import type { DatabaseHandle } from '@udx/db/database';
import { createTestDatabase, testEngines } from '@udx/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countStatement, createLogger } from '../src/logging.ts';
import { createServer, type UdxServer } from '../src/server.ts';
import { bearer, insertAccount, type Json, post, SIGN_IN } from './auth-helpers.ts';

// Structured logs: one JSON line per request that says what happened, and nothing a log reader
// must not see — no password, token, cookie or e-mail address, whatever the request was.

const PASSWORD = 'udx-demo-2030';
const EMAIL = 'monitor.logs@example.org';

describe.each(testEngines())('request logs on %s', (engine) => {
  let handle: DatabaseHandle;
  let server: UdxServer;
  let url: string;
  const lines: string[] = [];
  const entries = () => lines.map((line) => JSON.parse(line) as Json);

  beforeAll(async () => {
    handle = await createTestDatabase(engine, { log: countStatement });
    await insertAccount(handle.db, { email: EMAIL, role: 'FOREIGN_OFFICE', password: PASSWORD });
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    server = await createServer({
      db: handle.db,
      logger: createLogger({ level: 'debug', destination }),
    });
    url = await server.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await server?.close();
    await handle?.close();
  });

  /** The request lines logged while `fn` ran. */
  async function requestsDuring(fn: () => Promise<unknown>): Promise<Json[]> {
    const before = lines.length;
    await fn();
    // the line is written when the response closes, just after the client has read it
    await new Promise((resolve) => setTimeout(resolve, 50));
    return entries()
      .slice(before)
      .filter((entry) => entry.msg === 'request');
  }

  it('writes one line per request with its id, operation, role, duration and statements', async () => {
    let requestId = '';
    const [signIn] = await requestsDuring(async () => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          query: SIGN_IN,
          variables: { email: EMAIL, password: PASSWORD },
          operationName: 'SignIn',
        }),
      });
      requestId = response.headers.get('x-request-id') ?? '';
      await response.json();
    });
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(signIn).toMatchObject({
      level: 'info',
      requestId,
      method: 'POST',
      path: '/graphql',
      status: 200,
      operationName: 'SignIn',
      role: 'ANONYMOUS',
      outcome: 'ok',
    });
    expect(signIn.durationMs).toBeGreaterThan(0);
    expect(signIn.statements).toBeGreaterThan(0);

    const token = (await post(url, SIGN_IN, { email: EMAIL, password: PASSWORD })).json.data.signIn
      .token;
    const [query] = await requestsDuring(() =>
      post(url, 'query Topics { topics { code } me { role } }', {}, bearer(token)),
    );
    expect(query).toMatchObject({ operationName: 'Topics', role: 'FOREIGN_OFFICE', outcome: 'ok' });
    // a client's own request id is kept when it is a plain token
    const [traced] = await requestsDuring(() =>
      post(url, '{ topics { code } }', {}, { 'X-Request-Id': 'trace-0123456789' }),
    );
    expect(traced.requestId).toBe('trace-0123456789');
  });

  it('says how a request was refused or failed', async () => {
    const [refused] = await requestsDuring(() =>
      post(url, 'query Figures { dashboard { totals { exchanges } } }'),
    );
    expect(refused).toMatchObject({
      role: 'ANONYMOUS',
      outcome: 'refused',
      errorCodes: ['FORBIDDEN'],
    });
    const [malformed] = await requestsDuring(() =>
      fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{ not json',
      }),
    );
    expect(malformed).toMatchObject({ status: 400, outcome: 'refused' });
  });

  it('never writes a password, token, cookie or e-mail address', async () => {
    const signedIn = await post(url, SIGN_IN, { email: EMAIL, password: PASSWORD });
    const token: string = signedIn.json.data.signIn.token;
    const cookie = signedIn.cookies[0]?.split(';')[0] ?? '';
    expect(cookie).toContain('=');
    await post(url, SIGN_IN, { email: EMAIL, password: `${PASSWORD}-wrong` });
    await post(url, SIGN_IN, { email: 'nobody@example.org', password: PASSWORD });
    await post(url, '{ me { email } }', {}, bearer(token));
    await post(url, '{ me { email } }', {}, { Cookie: cookie });
    // variables in a GET's query string
    await fetch(
      `${url}/graphql?query=${encodeURIComponent('query ($e: String!) { topics { code } e: __typename }')}&variables=${encodeURIComponent(JSON.stringify({ e: EMAIL }))}`,
    );
    await post(url, 'mutation { signOut { errors { code } } }', {}, bearer(token));
    await new Promise((resolve) => setTimeout(resolve, 50));

    const everything = lines.join('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const secret of [PASSWORD, token, cookie.split('=')[1] ?? token, EMAIL, 'example.org']) {
      expect(everything).not.toContain(secret);
    }
  });
});
