import { encodeGlobalID } from '@pothos/plugin-relay';
import { testEngines } from '@udx/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/auth/password.ts';
import {
  type AuthServer,
  bearer,
  type Json,
  post,
  signInToken,
  startAuthServer,
} from './auth-helpers.ts';
import { insertRlsFixture, type RlsFixture } from './rls-fixture.ts';

// signIn and signOut change who a request acts for, and so its database role: they must be
// alone in their operation, refused before anything runs otherwise. Else an anonymous request
// could sign in as a city editor and write, or read a partnership's figures, in the same breath.

const PASSWORD = 'sign-in-alone-password';

describe.each(testEngines())('signIn and signOut alone in their operation on %s', (engine) => {
  let s: AuthServer;
  let f: RlsFixture;

  /** What a refused operation must leave as it was. */
  const snapshot = async () => {
    const n = async (
      table: 'reported_value' | 'user_session' | 'sign_in_throttle' | 'audit_entry',
    ) =>
      Number(
        (
          await s.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      values: await n('reported_value'),
      sessions: await n('user_session'),
      throttle: await n('sign_in_throttle'),
      audit: await n('audit_entry'),
      revoked: (
        await s.db
          .selectFrom('user_session')
          .select('id')
          .where('revoked_at', 'is not', null)
          .execute()
      ).length,
    };
  };
  const expectRefused = (
    answer: { status: number; json: Json; cookies: string[] },
    field: string,
  ) => {
    // GraphQL over HTTP: 400, or 200 for clients that accept only application/json
    expect([200, 400]).toContain(answer.status);
    expect(answer.json.data).toBeUndefined();
    expect(answer.json.errors).toHaveLength(1);
    expect(answer.json.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.json.errors[0].message).toMatch(
      new RegExp(`^${field} must be the only field of its operation`),
    );
    expect(answer.cookies).toEqual([]);
  };
  const valueInput = () => ({
    values: [
      {
        indicatorCode: 'U5',
        cityId: encodeGlobalID('City', f.city.a),
        year: 2027,
        numerator: 5,
        denominator: 10,
      },
    ],
  });

  beforeAll(async () => {
    s = await startAuthServer(engine);
    f = await insertRlsFixture(s.db);
    await s.db
      .updateTable('app_user')
      .set({ password_hash: await hashPassword(PASSWORD) })
      .where('id', 'in', [f.user.editorA, f.user.monitor])
      .execute();
    // generous: a loaded machine starts PGlite and hashes passwords slowly
  }, 180_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('refuses signIn beside reportValues before anything runs: no session, no value, no cookie', async () => {
    const before = await snapshot();
    const answer = await post(
      s.url,
      `mutation ($email: String!, $password: String!, $input: ReportValuesInput!) {
        signIn(email: $email, password: $password) { errors { code } }
        reportValues(input: $input) { values { status } errors { code } }
      }`,
      { email: 'editor.a@example.org', password: PASSWORD, input: valueInput() },
    );
    expectRefused(answer, 'signIn');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses it however the operation hides the second field: fragments, aliases, a query', async () => {
    const before = await snapshot();
    const attempts = [
      // through a fragment on the root
      `mutation ($input: ReportValuesInput!) { ...Both }
       fragment Both on Mutation {
         signIn(email: "editor.a@example.org", password: "${PASSWORD}") { token }
         reportValues(input: $input) { errors { code } }
       }`,
      // through an inline fragment
      `mutation ($input: ReportValuesInput!) {
         signIn(email: "editor.a@example.org", password: "${PASSWORD}") { token }
         ... on Mutation { reportValues(input: $input) { errors { code } } }
       }`,
      // two sessions at once
      `mutation {
         a: signIn(email: "editor.a@example.org", password: "${PASSWORD}") { token }
         b: signIn(email: "monitor@example.org", password: "${PASSWORD}") { token }
       }`,
    ];
    for (const query of attempts) {
      const answer = await post(s.url, query, { input: valueInput() });
      expectRefused(answer, 'signIn');
    }
    // signIn beside a partnership's figures: a query cannot hold signIn at all
    const figures = await post(
      s.url,
      `query ($partnership: ID!) {
        signIn(email: "editor.a@example.org", password: "${PASSWORD}") { token }
        dashboard(scope: { partnershipId: $partnership }) { totals { exchanges } }
        indicator(code: "U1") { series(scope: { partnershipId: $partnership }) { value } }
      }`,
      { partnership: encodeGlobalID('Partnership', f.partnership.ab) },
    );
    expect([200, 400]).toContain(figures.status);
    expect(figures.json.data).toBeUndefined();
    expect(figures.json.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(figures.cookies).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 400 to clients that accept application/graphql-response+json', async () => {
    const answer = await post(
      s.url,
      `mutation { signIn(email: "editor.a@example.org", password: "${PASSWORD}") { token } me: signOut { errors { code } } }`,
      {},
      { Accept: 'application/graphql-response+json' },
    );
    expect(answer.status).toBe(400);
    expect(answer.json.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.cookies).toEqual([]);
  });

  it('refuses signOut beside other fields, and keeps the session', async () => {
    const token = await signInToken(s.url, 'monitor@example.org', PASSWORD);
    const before = await snapshot();
    const answer = await post(
      s.url,
      `mutation ($input: SetTargetInput!) {
        setTarget(input: $input) { errors { code } }
        signOut { errors { code } }
      }`,
      { input: { indicatorCode: 'U5', year: 2027, target: 10 } },
      bearer(token),
    );
    expectRefused(answer, 'signOut');
    expect(await snapshot()).toEqual(before);
    const me = await post(s.url, 'query { me { email } }', {}, bearer(token));
    expect(me.json.data.me).toEqual({ email: 'monitor@example.org' });
  });

  it('still signs in alone, and its payload reads as the account signed in to', async () => {
    const before = await snapshot();
    const answer = await post(
      s.url,
      `mutation ($email: String!, $password: String!) {
        __typename
        signIn(email: $email, password: $password) {
          token
          user { email role city { name } }
          errors { code }
        }
      }`,
      { email: 'editor.a@example.org', password: PASSWORD },
    );
    expect(answer.status).toBe(200);
    expect(answer.json.errors).toBeUndefined();
    expect(answer.json.data.signIn).toMatchObject({
      user: { email: 'editor.a@example.org', role: 'CITY_EDITOR', city: { name: 'Bonn' } },
      errors: [],
    });
    expect(answer.cookies).toEqual([expect.stringMatching(/^udx_session=/)]);
    expect((await snapshot()).sessions).toBe(before.sessions + 1);
    const token = answer.json.data.signIn.token as string;
    const out = await post(s.url, 'mutation { signOut { errors { code } } }', {}, bearer(token));
    expect(out.json.data.signOut.errors).toEqual([]);
    expect(out.cookies).toEqual([expect.stringMatching(/^udx_session=;/)]);
  });
});
