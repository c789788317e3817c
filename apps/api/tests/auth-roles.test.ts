import { encodeGlobalID } from '@pothos/plugin-relay';
import { testEngines } from '@udx/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/auth/password.ts';
import {
  type AuthServer,
  bearer,
  insertAccount,
  type Json,
  post,
  signInToken,
  startAuthServer,
} from './auth-helpers.ts';
import { insertRlsFixture, type RlsFixture } from './rls-fixture.ts';

// Every account over HTTP: each request runs in one transaction as the database role of its
// account (anonymous ones included), and everything the account may do still works there,
// every mutation with its audit entry. Rights at the database itself: rls-roles.test.ts.

const PASSWORD = 'role-account-password';
type Account = 'anonymous' | 'cityViewer' | 'cityEditor' | 'foreignOffice' | 'evaluator' | 'admin';

const REPORT_VALUES = /* GraphQL */ `
  mutation ($input: ReportValuesInput!) {
    reportValues(input: $input) { values { status } errors { code field message } }
  }
`;
const REVIEW_VALUE = /* GraphQL */ `
  mutation ($input: ReviewValueInput!) {
    reviewValue(input: $input) { value { status } errors { code field message } }
  }
`;
const SET_TARGET = /* GraphQL */ `
  mutation ($input: SetTargetInput!) {
    setTarget(input: $input) { target { target } errors { code field message } }
  }
`;
const VALUES = /* GraphQL */ `
  query { reportedValues(first: 50) { totalCount edges { node { id status } } } }
`;

/** The error codes of an answer, top-level and in payloads. */
function codesOf(json: Json): string[] {
  const codes = (json.errors ?? []).map((e: Json) => e.extensions?.code);
  for (const payload of Object.values(json.data ?? {})) {
    if (payload && typeof payload === 'object' && 'errors' in payload) {
      codes.push(...(payload as { errors: { code: string }[] }).errors.map((e) => e.code));
    }
  }
  return codes;
}

describe.each(testEngines())('every account over HTTP on %s', (engine) => {
  let s: AuthServer;
  let f: RlsFixture;
  const tokens = {} as Record<Exclude<Account, 'anonymous'>, string>;
  /** Every statement the server ran, with its parameters. */
  const statements: { sql: string; parameters: readonly unknown[] }[] = [];

  const as = (account: Account, query: string, variables: Record<string, unknown> = {}) =>
    post(s.url, query, variables, account === 'anonymous' ? {} : bearer(tokens[account]));
  /** Runs an operation that must succeed for the account, payload errors included. */
  const ok = async (account: Account, query: string, input: Record<string, unknown>) => {
    const answer = await as(account, query, { input });
    expect(answer.json.errors, query).toBeUndefined();
    const payload = Object.values(answer.json.data)[0] as Record<string, Json>;
    expect(payload.errors, query).toEqual([]);
    return payload;
  };
  const count = async (table: 'reported_value' | 'target' | 'audit_entry' | 'user_session') =>
    Number(
      (
        await s.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    s = await startAuthServer(engine, {
      log: (event) => {
        statements.push({ sql: event.query.sql, parameters: event.query.parameters });
      },
    });
    f = await insertRlsFixture(s.db);
    await s.db
      .updateTable('app_user')
      .set({ password_hash: await hashPassword(PASSWORD) })
      .where('id', 'in', [f.user.viewerA, f.user.editorA, f.user.monitor, f.user.evaluator])
      .execute();
    await insertAccount(s.db, {
      email: 'admin@example.org',
      role: 'SKEW_ADMIN',
      password: PASSWORD,
    });
    tokens.cityViewer = await signInToken(s.url, 'viewer.a@example.org', PASSWORD);
    tokens.cityEditor = await signInToken(s.url, 'editor.a@example.org', PASSWORD);
    tokens.foreignOffice = await signInToken(s.url, 'monitor@example.org', PASSWORD);
    tokens.evaluator = await signInToken(s.url, 'evaluator@example.org', PASSWORD);
    tokens.admin = await signInToken(s.url, 'admin@example.org', PASSWORD);
    // generous: a loaded machine starts PGlite and hashes passwords slowly
  }, 180_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('runs every request as the database role of its account, anonymous ones too', async () => {
    const expected: Record<Account, string[]> = {
      // a development server publishes the approved figures: anonymous requests read as udx_public
      anonymous: ['udx_public'],
      cityViewer: ['udx_session', 'udx_city_viewer'],
      cityEditor: ['udx_session', 'udx_app'],
      foreignOffice: ['udx_session', 'udx_foreign_office'],
      evaluator: ['udx_session', 'udx_skew_evaluator'],
      admin: ['udx_session', 'udx_skew_admin'],
    };
    for (const [account, roles] of Object.entries(expected) as [Account, string[]][]) {
      statements.length = 0;
      const answer = await as(account, 'query { sdgGoals { number } }');
      expect(answer.json.data.sdgGoals, account).toHaveLength(17);
      expect(
        statements.filter((q) => q.sql.includes("set_config('role'")).map((q) => q.parameters[0]),
        account,
      ).toEqual(roles);
    }
  });

  it('answers anonymous requests from the reference data, and refuses the rest without a fault', async () => {
    const reference = await as(
      'anonymous',
      'query { sdgGoals { number } topics { code } indicators { code } me { email } }',
    );
    expect(reference.json.errors).toBeUndefined();
    expect(reference.json.data.indicators).toHaveLength(15);
    expect(reference.json.data.me).toBeNull();
    const refused = [
      'query { cities(first: 5) { edges { node { name } } } }',
      'query { partnerships(first: 5) { edges { node { id } } } }',
      'query { exchanges(first: 5) { edges { node { title } } } }',
      'query { reportedValues(first: 5) { edges { node { id } } } }',
      'query { programmeTotals { exchanges } }',
      'query { dashboard { totals { exchanges } } }',
      `query { indicator(code: "U1") { series { value } } }`,
      'query { users(first: 5) { edges { node { email } } } }',
    ];
    for (const query of refused) {
      const answer = await as('anonymous', query);
      expect(codesOf(answer.json), query).not.toContain('INTERNAL_SERVER_ERROR');
      expect(codesOf(answer.json).length, query).toBeGreaterThan(0);
    }
    for (const [type, id] of [
      ['Exchange', f.exchange.ab],
      ['City', f.city.a],
      ['Partnership', f.partnership.ab],
      ['ReportedValue', f.value.aApproved],
      ['Department', f.department.a],
      ['Outcome', f.outcome.ab],
    ] as const) {
      const answer = await as('anonymous', 'query ($id: ID!) { node(id: $id) { id } }', {
        id: encodeGlobalID(type, id),
      });
      expect(answer.json.data?.node ?? null, type).toBeNull();
      expect(codesOf(answer.json), type).not.toContain('INTERNAL_SERVER_ERROR');
    }
    const out = await as('anonymous', 'mutation { signOut { errors { code } } }');
    expect(out.json.data.signOut.errors).toEqual([]);
  });

  it('shows the Foreign Office every partnership and approved values only, and lets it change nothing', async () => {
    const values = (await as('foreignOffice', VALUES)).json.data.reportedValues;
    expect(values.totalCount).toBe(3);
    expect(values.edges.map((e: Json) => e.node.status)).toEqual([
      'APPROVED',
      'APPROVED',
      'APPROVED',
    ]);
    const figures = await as(
      'foreignOffice',
      `query { programmeTotals { partnerships exchanges } me { email role }
        partnerships(first: 10) { totalCount } dashboard { totals { exchanges } } }`,
    );
    expect(figures.json.errors).toBeUndefined();
    expect(figures.json.data).toEqual({
      programmeTotals: { partnerships: 2, exchanges: 2 },
      me: { email: 'monitor@example.org', role: 'FOREIGN_OFFICE' },
      partnerships: { totalCount: 2 },
      dashboard: { totals: { exchanges: 2 } },
    });
    const before = {
      values: await count('reported_value'),
      targets: await count('target'),
      audit: await count('audit_entry'),
    };
    const attempts: Array<[string, Record<string, unknown>]> = [
      [
        REPORT_VALUES,
        {
          values: [
            { indicatorCode: 'N5', cityId: encodeGlobalID('City', f.city.a), year: 2026, value: 3 },
          ],
        },
      ],
      [
        REVIEW_VALUE,
        { valueId: encodeGlobalID('ReportedValue', f.value.aSubmitted), decision: 'APPROVE' },
      ],
      [SET_TARGET, { indicatorCode: 'U5', year: 2026, target: 10 }],
    ];
    for (const [query, input] of attempts) {
      const answer = await as('foreignOffice', query, { input });
      expect(codesOf(answer.json), query).toEqual(['FORBIDDEN']);
    }
    expect({
      values: await count('reported_value'),
      targets: await count('target'),
      audit: await count('audit_entry'),
    }).toEqual(before);
  });

  it('lets SKEW evaluation read drafts, review values and set targets, in its own name', async () => {
    expect((await as('evaluator', VALUES)).json.data.reportedValues.totalCount).toBe(10);
    const reviewed = await ok('evaluator', REVIEW_VALUE, {
      valueId: encodeGlobalID('ReportedValue', f.value.cSubmitted),
      decision: 'REJECT',
      reason: 'Survey of another year',
    });
    expect(reviewed.value).toEqual({ status: 'REJECTED' });
    const target = await ok('evaluator', SET_TARGET, {
      indicatorCode: 'U5',
      year: 2026,
      partnershipId: encodeGlobalID('Partnership', f.partnership.cd),
      target: 65,
    });
    expect(target.target).toEqual({ target: 65 });
    const audit = await s.db
      .selectFrom('audit_entry')
      .select('entity')
      .where('actor_id', '=', f.user.evaluator)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.entity)).toEqual(['reported_value', 'target']);
    const log = await as('evaluator', 'query { auditLog(first: 10) { totalCount } }');
    expect(log.json.errors).toBeUndefined();
    const city = await as(
      'evaluator',
      'mutation { createCity(input: { name: "Gera", countryCode: "DE" }) { errors { code } } }',
    );
    expect(codesOf(city.json)).toEqual(['FORBIDDEN']);
  });

  it('lets SKEW administration do every change of the API under its role', async () => {
    const city = await ok(
      'admin',
      `mutation ($input: CreateCityInput!) {
        createCity(input: $input) { city { id } errors { code field message } } }`,
      { name: 'Erfurt', countryCode: 'DE' },
    );
    const partnership = await ok(
      'admin',
      `mutation ($input: CreatePartnershipInput!) {
        createPartnership(input: $input) { partnership { id } errors { code field message } } }`,
      {
        germanCityId: city.city.id,
        partnerCityId: encodeGlobalID('City', f.city.d),
        topics: ['ZERO_WASTE'],
      },
    );
    const department = await ok(
      'admin',
      `mutation ($input: AddDepartmentInput!) {
        addDepartment(input: $input) { department { id } errors { code field message } } }`,
      { cityId: city.city.id, name: 'Umweltamt', type: 'ENVIRONMENT' },
    );
    const exchange = await ok(
      'admin',
      `mutation ($input: RecordExchangeInput!) {
        recordExchange(input: $input) { exchange { id } errors { code field message } } }`,
      {
        partnershipId: partnership.partnership.id,
        kind: 'TECHNICAL',
        format: 'VIRTUAL',
        title: 'Erfurt meets Liverpool',
        startsOn: '2026-02-01',
        hostCityId: city.city.id,
        departmentIds: [department.department.id],
        participantCount: 4,
        governanceLevels: ['MUNICIPAL'],
        topics: ['ZERO_WASTE'],
        sdgTargets: ['12.5'],
      },
    );
    await ok(
      'admin',
      `mutation ($input: UpdateExchangeInput!) {
        updateExchange(input: $input) { exchange { id } errors { code field message } } }`,
      { id: exchange.exchange.id, participantCount: 6 },
    );
    await ok(
      'admin',
      `mutation ($input: RecordOutcomeInput!) {
        recordOutcome(input: $input) { outcome { id } errors { code field message } } }`,
      {
        partnershipId: partnership.partnership.id,
        exchangeId: exchange.exchange.id,
        kind: 'FOLLOW_UP',
        status: 'PLANNED',
        title: 'A second meeting',
        date: '2026-03-01',
        sdgTargets: [],
      },
    );
    await ok('admin', REPORT_VALUES, {
      values: [{ indicatorCode: 'N5', cityId: city.city.id, year: 2026, value: 2 }],
    });
    const user = await ok(
      'admin',
      `mutation ($input: CreateUserInput!) {
        createUser(input: $input) { user { id } errors { code field message } } }`,
      {
        email: 'viewer.erfurt@example.org',
        displayName: 'Erfurt',
        role: 'CITY_VIEWER',
        cityId: city.city.id,
        password: PASSWORD,
      },
    );
    const erfurtToken = await signInToken(s.url, 'viewer.erfurt@example.org', PASSWORD);
    // a new password ends the account's sessions at once
    await ok(
      'admin',
      `mutation ($input: UpdateUserInput!) {
        updateUser(input: $input) { user { id } errors { code field message } } }`,
      { id: user.user.id, password: 'another-password-2030' },
    );
    expect(
      (await post(s.url, 'query { me { email } }', {}, bearer(erfurtToken))).json.data.me,
    ).toBeNull();
    await ok(
      'admin',
      `mutation ($input: DeleteExchangeInput!) {
        deleteExchange(input: $input) { exchange { id } errors { code field message } } }`,
      { id: exchange.exchange.id },
    );
    const audit = await s.db
      .selectFrom('audit_entry')
      .innerJoin('app_user', 'app_user.id', 'audit_entry.actor_id')
      .select('audit_entry.entity')
      .where('app_user.email', '=', 'admin@example.org')
      .execute();
    expect([...new Set(audit.map((a) => a.entity))].sort()).toEqual([
      'app_user',
      'city',
      'department',
      'exchange',
      'outcome',
      'partnership',
      'reported_value',
    ]);
  });

  it('lets a city viewer read its partnerships and change nothing', async () => {
    const read = await as(
      'cityViewer',
      'query { exchanges(first: 10) { edges { node { title } } } }',
    );
    expect(read.json.data.exchanges.edges).toEqual([{ node: { title: 'Zero waste workshop' } }]);
    const report = await as('cityViewer', REPORT_VALUES, {
      input: {
        values: [
          { indicatorCode: 'N5', cityId: encodeGlobalID('City', f.city.a), year: 2026, value: 3 },
        ],
      },
    });
    expect(codesOf(report.json)).toEqual(['FORBIDDEN']);
  });

  it("refuses a city editor's report over its own approved value, as the database does", async () => {
    const answer = await as('cityEditor', REPORT_VALUES, {
      input: {
        values: [
          {
            indicatorCode: 'U5',
            cityId: encodeGlobalID('City', f.city.a),
            year: 2024,
            numerator: 1,
            denominator: 2,
          },
        ],
      },
    });
    expect(answer.json.data.reportValues.errors).toEqual([
      expect.objectContaining({ code: 'CONFLICT', field: 'values.0' }),
    ]);
    expect(answer.json.data.reportValues.errors[0].message).toMatch(/approved already/);
    const stored = await s.db
      .selectFrom('reported_value')
      .select(['numerator', 'status'])
      .where('id', '=', f.value.aApproved)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ numerator: 10, status: 'APPROVED' });
    // its draft it still replaces, submitted for review
    const replaced = await ok('cityEditor', REPORT_VALUES, {
      values: [
        {
          indicatorCode: 'U5',
          cityId: encodeGlobalID('City', f.city.a),
          year: 2023,
          numerator: 3,
          denominator: 4,
        },
      ],
    });
    expect(replaced.values).toEqual([{ status: 'SUBMITTED' }]);
  });

  it('signs every kind of account out through the session role', async () => {
    for (const email of ['monitor@example.org', 'evaluator@example.org', 'viewer.a@example.org']) {
      const token = await signInToken(s.url, email, PASSWORD);
      const sessions = await count('user_session');
      const out = await post(s.url, 'mutation { signOut { errors { code } } }', {}, bearer(token));
      expect(out.json.data.signOut.errors, email).toEqual([]);
      expect(
        (await post(s.url, 'query { me { email } }', {}, bearer(token))).json.data.me,
      ).toBeNull();
      expect(await count('user_session')).toBe(sessions);
    }
  });
});
