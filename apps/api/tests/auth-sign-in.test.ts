import { testEngines } from '@udx/db/testing';
import { graphql } from 'graphql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_THROTTLE } from '../src/auth/auth.repository.ts';
import { WRONG_CREDENTIALS } from '../src/auth/sign-in.ts';
import type { Context } from '../src/context.ts';
import { schema } from '../src/schema.ts';
import { createServer } from '../src/server.ts';
import {
  type AuthServer,
  bearer,
  insertAccount,
  ME,
  post,
  SIGN_IN,
  signInToken,
  startAuthServer,
} from './auth-helpers.ts';

const ADMIN = { email: 'admin@skew.example', password: 'admin-password-2030' };
const WRONG = [{ code: 'UNAUTHENTICATED', field: null, message: WRONG_CREDENTIALS.message }];

const CREATE_USER = /* GraphQL */ `
  mutation Create($input: CreateUserInput!) {
    createUser(input: $input) {
      user { id email role }
      errors { code field message }
    }
  }
`;

describe.each(testEngines())('sign-in and sessions on %s', (engine) => {
  let s: AuthServer;
  let adminToken: string;

  /** Creates an account through the API, as SKEW administration does. */
  async function createAccount(email: string, password: string): Promise<void> {
    const answer = await post(
      s.url,
      CREATE_USER,
      { input: { email, displayName: email, role: 'SKEW_EVALUATOR', password } },
      bearer(adminToken),
    );
    expect(answer.json.data.createUser.errors).toEqual([]);
  }

  const sessionOf = (token: string) =>
    s.db
      .selectFrom('user_session')
      .selectAll()
      .where('token_hash', '=', sql<string>`encode(sha256(convert_to(${token}, 'UTF8')), 'hex')`)
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    s = await startAuthServer(engine);
    await insertAccount(s.db, { ...ADMIN, role: 'SKEW_ADMIN' });
    adminToken = await signInToken(s.url, ADMIN.email, ADMIN.password);
    // generous: a loaded machine starts PGlite and hashes passwords slowly
  }, 180_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('signs in a new account: an Argon2id hash, a bearer token, an HttpOnly cookie, and me', async () => {
    await createAccount('Eva.Luator@SKEW.example ', 'a-long-secret-phrase');
    const stored = await s.db
      .selectFrom('app_user')
      .select('password_hash')
      .where('email', '=', 'eva.luator@skew.example')
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    const answer = await post(s.url, SIGN_IN, {
      email: 'eva.luator@skew.example',
      password: 'a-long-secret-phrase',
    });
    const payload = answer.json.data.signIn;
    expect(payload.errors).toEqual([]);
    expect(payload.user).toEqual({
      email: 'eva.luator@skew.example',
      displayName: 'Eva.Luator@SKEW.example',
      role: 'SKEW_EVALUATOR',
      city: null,
    });
    expect(payload.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // only the token's hash is stored
    const session = await sessionOf(payload.token);
    expect(session.token_hash).not.toContain(payload.token);
    const sessions = await s.db.selectFrom('user_session').select('token_hash').execute();
    expect(sessions.map((row) => row.token_hash)).not.toContain(payload.token);

    // a request to 127.0.0.1 over plain HTTP: no Secure, or the browser would drop the cookie
    expect(answer.cookies).toHaveLength(1);
    const cookie = answer.cookies[0] ?? '';
    expect(cookie).toMatch(new RegExp(`^udx_session=${payload.token};`));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');

    const viaToken = await post(s.url, ME, {}, bearer(payload.token));
    expect(viaToken.json.data.me).toEqual(payload.user);
    const viaCookie = await post(
      s.url,
      ME,
      {},
      { Cookie: `theme=dark; udx_session=${payload.token}` },
    );
    expect(viaCookie.json.data.me).toEqual(payload.user);
    const anonymous = await post(s.url, ME);
    expect(anonymous.json.data.me).toBeNull();
  });

  it('marks the cookie Secure for any host but localhost', async () => {
    await insertAccount(s.db, {
      email: 'remote@skew.example',
      role: 'FOREIGN_OFFICE',
      password: 'remote-password-1',
    });
    const signInAt = async (requestHost: string) => {
      const contextValue: Context = {
        db: s.db,
        viewer: null,
        language: 'en',
        response: { setCookies: [] },
        requestHost,
      };
      const result = await graphql({
        schema,
        source: SIGN_IN,
        variableValues: { email: 'remote@skew.example', password: 'remote-password-1' },
        contextValue,
      });
      expect(result.errors).toBeUndefined();
      return contextValue.response.setCookies;
    };
    const [remote] = await signInAt('udx.example.org');
    expect(remote).toMatch(/; Secure$/);
    expect(remote).toContain('HttpOnly');
    const [local] = await signInAt('localhost:4000');
    expect(local).not.toContain('Secure');
  });

  it('answers a wrong password and an unknown address with the same error, and sets no cookie', async () => {
    await createAccount('wrong@skew.example', 'the-right-password');
    const wrongPassword = await post(s.url, SIGN_IN, {
      email: 'wrong@skew.example',
      password: 'not-the-password',
    });
    const unknownEmail = await post(s.url, SIGN_IN, {
      email: 'nobody@skew.example',
      password: 'not-the-password',
    });
    expect(wrongPassword.json.data.signIn).toEqual({ token: null, user: null, errors: WRONG });
    expect(unknownEmail.json.data.signIn).toEqual(wrongPassword.json.data.signIn);
    expect(wrongPassword.cookies).toEqual([]);
    expect(unknownEmail.cookies).toEqual([]);
  });

  it('throttles by account and client: a guesser elsewhere never keeps the owner out', async () => {
    const email = 'throttled@skew.example';
    const password = 'throttled-password';
    await createAccount(email, password);
    // the server behind one reverse proxy: X-Forwarded-For names the client
    const proxied = await createServer({ db: s.db, trustedProxies: 1 });
    const url = await proxied.listen(0, '127.0.0.1');
    const from = (client: string, attempt: string, forwarded = client) =>
      post(url, SIGN_IN, { email, password: attempt }, { 'X-Forwarded-For': forwarded });
    try {
      // an attacker guesses twelve times; after the fifth failure each guess has to wait
      for (let i = 0; i < 12; i++) {
        expect((await from('203.0.113.7', `guess ${i}`)).json.data.signIn.errors).toEqual(WRONG);
      }
      // even the right password is refused to the attacker now, with the same answer
      const attacker = await from('203.0.113.7', password);
      expect(attacker.json.data.signIn).toEqual({ token: null, user: null, errors: WRONG });
      // a client cannot pretend to be someone else: entries before the proxy's are not believed
      const spoofed = await from('203.0.113.7', password, '198.51.100.2, 203.0.113.7');
      expect(spoofed.json.data.signIn.token).toBeNull();
      // the owner, from elsewhere, signs in at once
      const owner = await from('198.51.100.2', password);
      expect(owner.json.data.signIn.errors).toEqual([]);
      expect(owner.json.data.signIn.token).toEqual(expect.any(String));

      // the waits grow: 9 failures of the pair wait 2^(9-5) = 16 s, never more than 15 minutes
      const pair = () =>
        s.db
          .selectFrom('sign_in_throttle')
          .selectAll()
          .where('key', 'like', 'pair:%@203.0.113.7')
          .executeTakeFirstOrThrow();
      expect((await pair()).failures).toBeGreaterThanOrEqual(5);
      expect((await pair()).key).not.toContain('throttled');
      const setPair = (failures: number, ago: string) =>
        s.db
          .updateTable('sign_in_throttle')
          .set({ failures, last_failure_at: sql`now() - ${ago}::interval` })
          .where('key', 'like', 'pair:%@203.0.113.7')
          .execute();
      await setPair(9, '15 seconds');
      expect((await from('203.0.113.7', password)).json.data.signIn.token).toBeNull();
      await setPair(5000, '14 minutes');
      expect((await from('203.0.113.7', password)).json.data.signIn.token).toBeNull();
      // once the wait is over, the right password signs in and the pair's count is gone
      await setPair(9, '17 seconds');
      expect((await from('203.0.113.7', password)).json.data.signIn.token).toEqual(
        expect.any(String),
      );
      expect(
        await s.db
          .selectFrom('sign_in_throttle')
          .select('key')
          .where('key', 'like', 'pair:%@203.0.113.7')
          .execute(),
      ).toEqual([]);
    } finally {
      await proxied.close();
    }
  });

  it('throttles one client guessing many accounts, and no other client', async () => {
    const proxied = await createServer({ db: s.db, trustedProxies: 1 });
    const url = await proxied.listen(0, '127.0.0.1');
    try {
      const attempt = (client: string, email: string, password: string) =>
        post(url, SIGN_IN, { email, password }, { 'X-Forwarded-For': client });
      for (let i = 0; i < SIGN_IN_THROTTLE.clientFreeFailures; i++) {
        await attempt('192.0.2.50', `account${i}@skew.example`, 'a-guess');
      }
      const stuffer = await attempt('192.0.2.50', ADMIN.email, ADMIN.password);
      expect(stuffer.json.data.signIn).toEqual({ token: null, user: null, errors: WRONG });
      const admin = await attempt('192.0.2.51', ADMIN.email, ADMIN.password);
      expect(admin.json.data.signIn.token).toEqual(expect.any(String));
    } finally {
      await proxied.close();
    }
  });

  it('answers unknown, wrong, deactivated and throttled alike, in about the same time', async () => {
    await createAccount('alike@skew.example', 'alike-password-1');
    await createAccount('inactive@skew.example', 'inactive-password');
    await s.db
      .updateTable('app_user')
      .set({ active: false })
      .where('email', '=', 'inactive@skew.example')
      .execute();
    const proxied = await createServer({ db: s.db, trustedProxies: 1 });
    const url = await proxied.listen(0, '127.0.0.1');
    const timed = async (email: string, password: string, client: string) => {
      const started = performance.now();
      const answer = await post(url, SIGN_IN, { email, password }, { 'X-Forwarded-For': client });
      return { ms: performance.now() - started, signIn: answer.json.data.signIn };
    };
    try {
      for (let i = 0; i < 6; i++) await timed('alike@skew.example', `guess ${i}`, '192.0.2.9');
      // The fastest of three runs: a busy machine only ever adds time, so the minimum is the
      // cost of the answer itself, and a refusal that skipped hashing would stand out.
      const fastest = (values: number[]) => Math.min(...values);
      const cases = {
        unknown: ['nobody@skew.example', 'a-guess', '192.0.2.7'],
        wrong: ['alike@skew.example', 'a-guess', '192.0.2.8'],
        deactivated: ['inactive@skew.example', 'inactive-password', '192.0.2.8'],
        throttled: ['alike@skew.example', 'alike-password-1', '192.0.2.9'],
      } as const;
      const times: Record<string, number> = {};
      for (const [name, [email, password, client]] of Object.entries(cases)) {
        const runs = [];
        for (let i = 0; i < 3; i++) runs.push(await timed(email, password, client));
        for (const run of runs) {
          expect(run.signIn, name).toEqual({ token: null, user: null, errors: WRONG });
        }
        times[name] = fastest(runs.map((run) => run.ms));
      }
      // every refusal hashes a password (Argon2id): none is answered measurably faster
      for (const name of ['unknown', 'deactivated', 'throttled']) {
        expect(times[name], name).toBeGreaterThan((times.wrong ?? 0) * 0.4);
      }
    } finally {
      await proxied.close();
    }
  });

  it('refuses a session idle for more than 8 hours, and one older than 7 days', async () => {
    await createAccount('sessions@skew.example', 'session-password');
    const idle = await signInToken(s.url, 'sessions@skew.example', 'session-password');
    const old = await signInToken(s.url, 'sessions@skew.example', 'session-password');
    const fresh = await signInToken(s.url, 'sessions@skew.example', 'session-password');
    await s.db
      .updateTable('user_session')
      .set({ last_seen_at: sql`now() - interval '8 hours 1 minute'` })
      .where('id', '=', (await sessionOf(idle)).id)
      .execute();
    await s.db
      .updateTable('user_session')
      .set({
        created_at: sql`now() - interval '8 days'`,
        expires_at: sql`now() - interval '1 day'`,
        last_seen_at: sql`now()`,
      })
      .where('id', '=', (await sessionOf(old)).id)
      .execute();
    // used 7 hours ago: still alive, and the request counts as activity
    await s.db
      .updateTable('user_session')
      .set({ last_seen_at: sql`now() - interval '7 hours'` })
      .where('id', '=', (await sessionOf(fresh)).id)
      .execute();

    expect((await post(s.url, ME, {}, bearer(idle))).json.data.me).toBeNull();
    expect((await post(s.url, ME, {}, bearer(old))).json.data.me).toBeNull();
    expect((await post(s.url, ME, {}, bearer(fresh))).json.data.me.email).toBe(
      'sessions@skew.example',
    );
    const touched = await sessionOf(fresh);
    expect(Date.now() - new Date(touched.last_seen_at).getTime()).toBeLessThan(60_000);
    // within a minute, reading does not write again
    await post(s.url, ME, {}, bearer(fresh));
    expect((await sessionOf(fresh)).last_seen_at).toEqual(touched.last_seen_at);
  });

  it('ends the session on sign-out: the cookie is cleared and the old token refused', async () => {
    await createAccount('leaving@skew.example', 'leaving-password');
    const token = await signInToken(s.url, 'leaving@skew.example', 'leaving-password');
    const answer = await post(
      s.url,
      'mutation { signOut { errors { code field message } } }',
      {},
      { Cookie: `udx_session=${token}` },
    );
    expect(answer.json.data.signOut.errors).toEqual([]);
    expect(answer.cookies).toHaveLength(1);
    expect(answer.cookies[0]).toMatch(/^udx_session=;/);
    expect(answer.cookies[0]).toContain('Max-Age=0');
    expect(answer.cookies[0]).toContain('HttpOnly');
    expect((await sessionOf(token)).revoked_at).not.toBeNull();
    expect((await post(s.url, ME, {}, bearer(token))).json.data.me).toBeNull();
    expect((await post(s.url, ME, {}, { Cookie: `udx_session=${token}` })).json.data.me).toBeNull();
  });

  it('ignores tokens that are malformed or unknown', async () => {
    for (const headers of [
      bearer('not-a-token'),
      bearer('A'.repeat(43)),
      { Authorization: 'Basic YWRtaW46YWRtaW4=' },
      { Cookie: 'udx_session=' },
    ]) {
      const answer = await post(s.url, ME, {}, headers);
      expect(answer.status).toBe(200);
      expect(answer.json.data.me).toBeNull();
    }
  });

  it('signs in nobody whose account was deactivated, and ends their sessions', async () => {
    await createAccount('deactivated@skew.example', 'deactivated-password');
    const token = await signInToken(s.url, 'deactivated@skew.example', 'deactivated-password');
    const user = await post(
      s.url,
      'query { users(role: SKEW_EVALUATOR, first: 50) { edges { node { id email } } } }',
      {},
      bearer(adminToken),
    );
    const id = user.json.data.users.edges.find(
      (edge: { node: { email: string } }) => edge.node.email === 'deactivated@skew.example',
    ).node.id;
    const update = await post(
      s.url,
      `mutation ($input: UpdateUserInput!) {
        updateUser(input: $input) { user { active } errors { code field message } }
      }`,
      { input: { id, active: false } },
      bearer(adminToken),
    );
    expect(update.json.data.updateUser).toEqual({ user: { active: false }, errors: [] });
    expect((await post(s.url, ME, {}, bearer(token))).json.data.me).toBeNull();
    const again = await post(s.url, SIGN_IN, {
      email: 'deactivated@skew.example',
      password: 'deactivated-password',
    });
    expect(again.json.data.signIn.errors).toEqual(WRONG);
  });
});
