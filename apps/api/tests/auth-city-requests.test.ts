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

// Requests of city accounts over HTTP: the server runs each in a transaction under row-level
// security. A foreign object's id must read as nothing, whatever module answers it.

const PASSWORD = 'city-account-password';
const NODE = /* GraphQL */ `
  query Node($id: ID!) {
    node(id: $id) {
      id
      ... on Exchange { title }
      ... on Outcome { title }
      ... on Department { name }
      ... on Partnership { id }
      ... on ReportedValue { year }
    }
  }
`;
const EXCHANGE_TITLES = /* GraphQL */ `
  query { exchanges(first: 50) { edges { node { title } } } }
`;
const RECORD_EXCHANGE = /* GraphQL */ `
  mutation Record($input: RecordExchangeInput!) {
    recordExchange(input: $input) { exchange { title } errors { code field message } }
  }
`;

describe.each(testEngines())('requests of city accounts on %s', (engine) => {
  let s: AuthServer;
  let f: RlsFixture;
  let editorToken: string;
  let evaluatorToken: string;
  /** Every statement the server ran, in order, with its parameters. */
  const statements: { sql: string; parameters: readonly unknown[] }[] = [];
  /** The database roles the statements since the last reset switched to, in order. */
  const roles = () =>
    statements.filter((q) => q.sql.includes("set_config('role'")).map((q) => q.parameters[0]);

  const titles = async (token: string) =>
    (await post(s.url, EXCHANGE_TITLES, {}, bearer(token))).json.data.exchanges.edges
      .map((edge: { node: { title: string } }) => edge.node.title)
      .sort();

  beforeAll(async () => {
    s = await startAuthServer(engine, {
      log: (event) => {
        statements.push({ sql: event.query.sql, parameters: event.query.parameters });
      },
    });
    f = await insertRlsFixture(s.db);
    const passwordHash = await hashPassword(PASSWORD);
    await s.db
      .updateTable('app_user')
      .set({ password_hash: passwordHash })
      .where('id', 'in', [f.user.editorA, f.user.evaluator])
      .execute();
    editorToken = await signInToken(s.url, 'editor.a@example.org', PASSWORD);
    evaluatorToken = await signInToken(s.url, 'evaluator@example.org', PASSWORD);
    // generous: a loaded machine starts PGlite and hashes passwords slowly
  }, 180_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('answers a foreign object id with nothing, and names nothing of it', async () => {
    const foreign = [
      encodeGlobalID('Exchange', f.exchange.cd),
      encodeGlobalID('Outcome', f.outcome.cd),
      encodeGlobalID('Department', f.department.c),
      encodeGlobalID('Partnership', f.partnership.cd),
      encodeGlobalID('ReportedValue', f.value.cApproved),
      encodeGlobalID('ReportedValue', f.value.cSubmitted),
      // the partner city's values not approved: same partnership, still not this city's to read
      encodeGlobalID('ReportedValue', f.value.bSubmitted),
      encodeGlobalID('ReportedValue', f.value.bDraft),
      encodeGlobalID('ReportedValue', f.value.bRejected),
    ];
    for (const id of foreign) {
      const answer = await post(s.url, NODE, { id }, bearer(editorToken));
      expect(answer.json.data?.node ?? null, id).toBeNull();
      expect(JSON.stringify(answer.json)).not.toMatch(
        /Mayors on sponge|Sponge city charter|Stadtplanungsamt/,
      );
    }
    const own = await post(
      s.url,
      NODE,
      { id: encodeGlobalID('Exchange', f.exchange.ab) },
      bearer(editorToken),
    );
    expect(own.json.data.node).toEqual({
      id: encodeGlobalID('Exchange', f.exchange.ab),
      title: 'Zero waste workshop',
    });
  });

  it("reads its partner city's approved values, by id and in lists, and no other of theirs", async () => {
    const approved = encodeGlobalID('ReportedValue', f.value.bApproved);
    const node = await post(s.url, NODE, { id: approved }, bearer(editorToken));
    expect(node.json.data.node).toEqual({ id: approved, year: 2024 });
    const list = async (cityId: number) =>
      (
        await post(
          s.url,
          `query ($city: ID) { reportedValues(cityId: $city, first: 50) {
            totalCount edges { node { id status } }
          } }`,
          { city: encodeGlobalID('City', cityId) },
          bearer(editorToken),
        )
      ).json.data.reportedValues;
    expect(await list(f.city.b)).toEqual({
      totalCount: 1,
      edges: [{ node: { id: approved, status: 'APPROVED' } }],
    });
    expect((await list(f.city.a)).totalCount).toBe(4);
    expect(await list(f.city.c)).toEqual({ totalCount: 0, edges: [] });
  });

  it("lists only its partnerships' exchanges, while SKEW sees all on the same server", async () => {
    statements.length = 0;
    expect(await titles(editorToken)).toEqual(['Zero waste workshop']);
    // the request ran as udx_app: row-level security was on, whatever the resolvers filtered
    // (its session, checked by an earlier request and unchanged since, was not looked up again)
    expect(roles()).toEqual(['udx_app']);
    // the evaluator's first request looks its session up as udx_session, the next need not
    statements.length = 0;
    expect(await titles(evaluatorToken)).toHaveLength(2);
    expect(roles()).toEqual(['udx_session', 'udx_skew_evaluator']);
    statements.length = 0;
    expect(await titles(evaluatorToken)).toHaveLength(2);
    // the same request again gets the answer kept for SKEW evaluators (docs/architecture.md,
    // "Caches and the data version"): it reads the data version and nothing else
    expect(roles()).toEqual([]);
    expect(statements).toHaveLength(1);
    // another request runs as the evaluator's role, its session trusted without a lookup
    statements.length = 0;
    const other = await post(
      s.url,
      '{ exchanges(first: 1) { totalCount } }',
      {},
      bearer(evaluatorToken),
    );
    expect(other.json.data.exchanges.totalCount).toBe(2);
    expect(roles()).toEqual(['udx_skew_evaluator']);
    expect(await titles(evaluatorToken)).toEqual([
      'Mayors on sponge cities',
      'Zero waste workshop',
    ]);
    // and once more: a pooled connection must not carry the city scope into the next request
    expect(await titles(editorToken)).toEqual(['Zero waste workshop']);
    expect(await titles(evaluatorToken)).toHaveLength(2);
  });

  it('commits a city editor’s write before answering, and refuses one into another partnership', async () => {
    const input = (partnershipId: number, hostCityId: number) => ({
      partnershipId: encodeGlobalID('Partnership', partnershipId),
      kind: 'TECHNICAL',
      format: 'VIRTUAL',
      title: 'Composting follow-up',
      startsOn: '2025-10-01',
      hostCityId: encodeGlobalID('City', hostCityId),
      departmentIds: [],
      participantCount: 5,
      governanceLevels: ['MUNICIPAL'],
      topics: ['ZERO_WASTE'],
      sdgTargets: ['12.5'],
    });
    const recorded = await post(
      s.url,
      RECORD_EXCHANGE,
      { input: input(f.partnership.ab, f.city.a) },
      bearer(editorToken),
    );
    expect(recorded.json.data.recordExchange).toEqual({
      exchange: { title: 'Composting follow-up' },
      errors: [],
    });
    // the very next request, from anyone, sees it
    expect(await titles(evaluatorToken)).toContain('Composting follow-up');

    const refused = await post(
      s.url,
      RECORD_EXCHANGE,
      { input: { ...input(f.partnership.cd, f.city.c), title: 'Not ours' } },
      bearer(editorToken),
    );
    expect(refused.json.data.recordExchange.exchange).toBeNull();
    expect(refused.json.data.recordExchange.errors[0].code).toBe('FORBIDDEN');
    expect(await titles(evaluatorToken)).not.toContain('Not ours');
  });

  it('lets a city editor do the whole of its work under row-level security', async () => {
    const gql = async (query: string, input: Record<string, unknown>) => {
      const answer = await post(s.url, query, { input }, bearer(editorToken));
      expect(answer.json.errors, query).toBeUndefined();
      const payload = Object.values(answer.json.data)[0] as { errors: unknown[] };
      expect(payload.errors, query).toEqual([]);
      return payload as Record<string, Json>;
    };
    const department = await gql(
      `mutation ($input: AddDepartmentInput!) {
        addDepartment(input: $input) { department { id name } errors { code field message } }
      }`,
      {
        cityId: encodeGlobalID('City', f.city.a),
        name: 'Abfallwirtschaft',
        type: 'WASTE_MANAGEMENT',
      },
    );
    const exchange = await gql(
      RECORD_EXCHANGE.replace('exchange { title }', 'exchange { id title }'),
      {
        partnershipId: encodeGlobalID('Partnership', f.partnership.ab),
        kind: 'POLITICAL',
        format: 'IN_PERSON',
        title: 'Council visit',
        startsOn: '2025-11-01',
        hostCityId: encodeGlobalID('City', f.city.b),
        departmentIds: [department.department.id, encodeGlobalID('Department', f.department.b)],
        participantCount: 9,
        governanceLevels: ['MUNICIPAL', 'NATIONAL'],
        topics: ['ZERO_WASTE'],
        sdgTargets: ['12.5', '17.17'],
      },
    );
    await gql(
      `mutation ($input: UpdateExchangeInput!) {
        updateExchange(input: $input) { exchange { title } errors { code field message } }
      }`,
      {
        id: exchange.exchange.id,
        title: 'Council visit to Minneapolis',
        topics: ['ZERO_WASTE', 'SOCIAL_CITY'],
      },
    );
    await gql(
      `mutation ($input: RecordOutcomeInput!) {
        recordOutcome(input: $input) { outcome { title } errors { code field message } }
      }`,
      {
        partnershipId: encodeGlobalID('Partnership', f.partnership.ab),
        exchangeId: exchange.exchange.id,
        kind: 'AGREEMENT',
        status: 'PLANNED',
        title: 'Memorandum on waste',
        date: '2025-12-01',
        sdgTargets: ['12.5'],
      },
    );
    const reported = await gql(
      `mutation ($input: ReportValuesInput!) {
        reportValues(input: $input) { values { status } errors { code field message } }
      }`,
      {
        values: [
          {
            indicatorCode: 'U5',
            cityId: encodeGlobalID('City', f.city.a),
            year: 2026,
            numerator: 7,
            denominator: 9,
          },
        ],
      },
    );
    expect(reported.values).toEqual([{ status: 'SUBMITTED' }]);
    await gql(
      `mutation ($input: DeleteExchangeInput!) {
        deleteExchange(input: $input) { exchange { id } errors { code field message } }
      }`,
      { id: exchange.exchange.id },
    );
    // everything it did is in the audit trail, in its name
    const audit = await s.db
      .selectFrom('audit_entry')
      .select(['entity', 'action'])
      .where('actor_id', '=', f.user.editorA)
      .where('entity', 'in', ['department', 'reported_value', 'outcome'])
      .execute();
    expect([...new Set(audit.map((a) => a.entity))].sort()).toEqual([
      'department',
      'outcome',
      'reported_value',
    ]);
  });

  it('lets a city account sign out from inside its scope', async () => {
    const token = await signInToken(s.url, 'editor.a@example.org', PASSWORD);
    const answer = await post(s.url, 'mutation { signOut { errors { code } } }', {}, bearer(token));
    expect(answer.json.data.signOut.errors).toEqual([]);
    expect(
      (await post(s.url, 'query { me { email } }', {}, bearer(token))).json.data.me,
    ).toBeNull();
  });
});
