import { encodeGlobalID } from '@pothos/plugin-relay';
import type { DatabaseHandle } from '@udx/db/database';
import { createTestDatabase, testEngines } from '@udx/db/testing';
import { isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_FIELDS } from '../src/http/keepable-operations.ts';
import { operationFacts } from '../src/http/operation-access.ts';
import { schema } from '../src/schema.ts';
import { createServer, type UdxServer } from '../src/server.ts';
import { bearer, insertAccount, post, signInToken } from './auth-helpers.ts';
import { insertRlsFixture, type RlsFixture } from './rls-fixture.ts';

// Whole answers kept across requests (docs/architecture.md, "Caches and the data version"):
// served again only to the same audience, language and day at the same data version.

const PASSWORD = 'kept-password-2030';

const OVERVIEW = /* GraphQL */ `
  query Overview {
    dashboard {
      totals { partnerships cities departments exchanges outcomes participants }
      breakdown { partnership { id } totals { exchanges } }
    }
  }
`;
const WITH_ME = /* GraphQL */ `
  query WithMe {
    me { email }
    dashboard { totals { exchanges } }
  }
`;
const SDG_TITLES = /* GraphQL */ `
  query Titles {
    sdgGoals { number title }
  }
`;

describe.each(testEngines())('answers kept across requests on %s', (engine) => {
  let handle: DatabaseHandle;
  let server: UdxServer;
  let fresh: UdxServer;
  const url = { server: '', fresh: '' };
  let f: RlsFixture;
  const tokens = { monitor: '', bonn: '', leipzig: '' };
  /** The statements the database ran, in order. */
  const statements: string[] = [];

  const ask = async (
    where: keyof typeof url,
    query: string,
    token: string,
    headers: Record<string, string> = {},
  ) => {
    const answer = await post(url[where], query, {}, { ...bearer(token), ...headers });
    expect(answer.status).toBe(200);
    expect(answer.json.errors).toBeUndefined();
    return answer.json.data;
  };
  const statementsOf = async (request: () => Promise<unknown>) => {
    statements.length = 0;
    await request();
    return [...statements];
  };

  beforeAll(async () => {
    handle = await createTestDatabase(engine, {
      log: (event) => {
        if (event.level === 'query') statements.push(event.query.sql);
      },
    });
    server = await createServer({ db: handle.db });
    fresh = await createServer({ db: handle.db });
    url.server = await server.listen(0, '127.0.0.1');
    url.fresh = await fresh.listen(0, '127.0.0.1');
    f = await insertRlsFixture(handle.db);
    const accounts = [
      { email: 'monitor@kept.example', role: 'FOREIGN_OFFICE' as const },
      { email: 'bonn@kept.example', role: 'CITY_EDITOR' as const, cityId: f.city.a },
      { email: 'leipzig@kept.example', role: 'CITY_VIEWER' as const, cityId: f.city.c },
    ];
    for (const account of accounts)
      await insertAccount(handle.db, { ...account, password: PASSWORD });
    tokens.monitor = await signInToken(url.server, 'monitor@kept.example', PASSWORD);
    tokens.bonn = await signInToken(url.server, 'bonn@kept.example', PASSWORD);
    tokens.leipzig = await signInToken(url.server, 'leipzig@kept.example', PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await fresh?.close();
    await handle?.close();
  });

  it('answers an operation asked again with one statement that reads the data version', async () => {
    const first = await ask('server', OVERVIEW, tokens.monitor);
    const again = await statementsOf(async () => {
      expect(await ask('server', OVERVIEW, tokens.monitor)).toEqual(first);
    });
    // no transaction, no viewer settings, no execution
    expect(again).toHaveLength(1);
    expect(again[0]).toContain('from data_version');
    expect(again[0]).not.toContain('set_config');
  });

  it('never serves one city the answer kept for another, or for the programme', async () => {
    // what each city sees from a server that kept nothing for anyone else
    const bonnAlone = await ask('fresh', OVERVIEW, tokens.bonn);
    const leipzigAlone = await ask('fresh', OVERVIEW, tokens.leipzig);
    expect(bonnAlone).not.toEqual(leipzigAlone);
    const programme = await ask('server', OVERVIEW, tokens.monitor);
    await ask('server', OVERVIEW, tokens.bonn);
    expect(await ask('server', OVERVIEW, tokens.bonn)).toEqual(bonnAlone);
    expect(await ask('server', OVERVIEW, tokens.leipzig)).toEqual(leipzigAlone);
    expect(await ask('server', OVERVIEW, tokens.leipzig)).toEqual(leipzigAlone);
    expect(programme.dashboard.breakdown).toHaveLength(2);
    expect(leipzigAlone.dashboard.breakdown).toHaveLength(1);
  });

  it('keeps a city asked for by `city(id)`, within the reach of each audience', async () => {
    const CITY = 'query City($id: ID!) { city(id: $id) { name departments { name } } }';
    const cityOf = async (token: string, id: number) =>
      (await post(url.server, CITY, { id: encodeGlobalID('City', id) }, bearer(token))).json;
    const first = await cityOf(tokens.monitor, f.city.a);
    expect(first.errors).toBeUndefined();
    expect(first.data.city.departments.length).toBeGreaterThan(0);
    statements.length = 0;
    expect(await cityOf(tokens.monitor, f.city.a)).toEqual(first);
    expect(statements).toHaveLength(1);
    // Leipzig's reader sees Leipzig, and Bonn (of another partnership) as no city at all
    expect((await cityOf(tokens.leipzig, f.city.c)).data.city.name).toBeTruthy();
    const refused = await cityOf(tokens.leipzig, f.city.a);
    expect(refused.data.city).toBeNull();
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // an id of another type is refused by name
    const partnership = encodeGlobalID('Partnership', f.partnership.ab);
    const wrong = (await post(url.server, CITY, { id: partnership }, bearer(tokens.monitor))).json;
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('keeps answers apart by language', async () => {
    const english = await ask('server', SDG_TITLES, tokens.monitor, { 'Accept-Language': 'en' });
    const german = await ask('server', SDG_TITLES, tokens.monitor, { 'Accept-Language': 'de' });
    expect(await ask('server', SDG_TITLES, tokens.monitor, { 'Accept-Language': 'en' })).toEqual(
      english,
    );
    expect(await ask('server', SDG_TITLES, tokens.monitor, { 'Accept-Language': 'de' })).toEqual(
      german,
    );
    expect(german.sdgGoals[0].title).not.toBe(english.sdgGoals[0].title);
  });

  it('runs an operation that asks for anything about the viewer every time', async () => {
    expect(operationFacts({ query: WITH_ME }).keepable).toBe(false);
    await ask('server', WITH_ME, tokens.bonn);
    const again = await statementsOf(() => ask('server', WITH_ME, tokens.bonn));
    expect(again.some((text) => text.includes('set_config'))).toBe(true);
  });

  it('keeps nothing of a mutation, of `node` or of the audit trail', () => {
    const keepable = (query: string) => operationFacts({ query }).keepable;
    expect(keepable('mutation { signOut { errors { code } } }')).toBe(false);
    expect(keepable('{ node(id: "x") { id } }')).toBe(false);
    expect(keepable('{ city(id: "x") { name } }')).toBe(true);
    expect(keepable('{ auditLog(first: 5) { totalCount } }')).toBe(false);
    expect(keepable(OVERVIEW)).toBe(true);
    expect(keepable('{ publicProgramme { totals { exchanges } } }')).toBe(true);
  });

  it('serves nothing kept to a session ended meanwhile', async () => {
    const token = await signInToken(url.server, 'monitor@kept.example', PASSWORD);
    await ask('server', OVERVIEW, token);
    await ask('server', OVERVIEW, token);
    const signOut = await post(
      url.fresh,
      'mutation { signOut { errors { code } } }',
      {},
      bearer(token),
    );
    expect(signOut.json.data.signOut.errors).toEqual([]);
    const refused = await post(url.server, OVERVIEW, {}, bearer(token));
    // the request runs as a reader without an account, who sees no dashboard
    expect(refused.json.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.json.data?.dashboard ?? null).toBeNull();
  });
});

describe('the fields whose answers may be kept', () => {
  it('are all fields of the schema', () => {
    const missing = [...DATA_FIELDS].filter((coordinate) => {
      const [typeName = '', field = ''] = coordinate.split('.');
      const type = schema.getType(typeName);
      return !(isObjectType(type) && field in type.getFields());
    });
    expect(missing).toEqual([]);
  });
});
