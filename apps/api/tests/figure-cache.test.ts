import { encodeGlobalID } from '@pothos/plugin-relay';
import type { DatabaseHandle } from '@udx/db/database';
import { createTestDatabase, testEngines } from '@udx/db/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_TOUCH_SECONDS } from '../src/auth/session.ts';
import { type DataVersion, SessionCache } from '../src/auth/session-cache.ts';
import type { Viewer } from '../src/context.ts';
import {
  FigureCache,
  type FigureReads,
  readsOfPeriod,
} from '../src/modules/shared/figure-cache.ts';
import { createServer, type UdxServer } from '../src/server.ts';
import { bearer, insertAccount, ME, post, signInToken } from './auth-helpers.ts';
import { insertRlsFixture, type RlsFixture } from './rls-fixture.ts';

// Figures and sessions kept across requests (docs/architecture.md, "Caches and the data
// version"): two servers on one database stand for two API processes behind a load balancer.

const PASSWORD = 'cache-password-2030';

const OVERVIEW = /* GraphQL */ `
  query Overview($scope: ScopeInput) {
    dashboard(scope: $scope) {
      totals { partnerships cities departments exchanges outcomes participants }
      goals { goal indicators { indicator { code } value target progress status } }
      sdgs { goal { number } exchangeCount outcomeCount partnershipCount }
    }
  }
`;

/** Tables whose changes move no version: no figure and no session depends on them. */
const UNVERSIONED = ['audit_entry', 'sign_in_throttle', 'data_version', 'figure_year_version'];

describe.each(testEngines())('caches keyed by the data version on %s', (engine) => {
  let handle: DatabaseHandle;
  let first: UdxServer;
  let second: UdxServer;
  const url = { first: '', second: '' };
  let f: RlsFixture;
  const tokens = { monitor: '', editor: '' };
  /** The statements the database ran, in order. */
  const statements: string[] = [];

  const overview = async (server: keyof typeof url, token: string) => {
    const answer = await post(url[server], OVERVIEW, { scope: {} }, bearer(token));
    expect(answer.json.errors).toBeUndefined();
    return answer.json.data.dashboard;
  };
  /** What one request costs: the statements it ran, besides opening and ending its transaction. */
  const statementsOf = async (request: () => Promise<unknown>) => {
    statements.length = 0;
    await request();
    return statements.filter((text) => !/^(begin|commit|rollback)$/i.test(text.trim()));
  };

  beforeAll(async () => {
    handle = await createTestDatabase(engine, {
      log: (event) => {
        if (event.level === 'query') statements.push(event.query.sql);
      },
    });
    first = await createServer({ db: handle.db });
    second = await createServer({ db: handle.db });
    url.first = await first.listen(0, '127.0.0.1');
    url.second = await second.listen(0, '127.0.0.1');
    f = await insertRlsFixture(handle.db);
    await insertAccount(handle.db, {
      email: 'monitor@cache.example',
      role: 'FOREIGN_OFFICE',
      password: PASSWORD,
    });
    await insertAccount(handle.db, {
      email: 'editor@cache.example',
      role: 'CITY_EDITOR',
      cityId: f.city.a,
      password: PASSWORD,
    });
    tokens.monitor = await signInToken(url.first, 'monitor@cache.example', PASSWORD);
    tokens.editor = await signInToken(url.first, 'editor@cache.example', PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await handle?.close();
  });

  it('holds every table of the schema to a version, or to none for a reason', async () => {
    const { rows } = await sql<{ table: string; trigger: string | null }>`
      select c.relname as table, t.tgname as trigger
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
      left join pg_trigger t on t.tgrelid = c.oid and t.tgname like 'bump_%_version'
      where c.relkind = 'r' and c.relname not like 'kysely_%'
      order by c.relname`.execute(handle.db);
    const unversioned = rows.filter((row) => row.trigger === null).map((row) => row.table);
    expect(unversioned.sort()).toEqual([...UNVERSIONED].sort());
    const accounts = rows.filter((row) => row.trigger === 'bump_accounts_version');
    expect(accounts.map((row) => row.table).sort()).toEqual(['app_user', 'user_session']);
    expect(rows.filter((row) => row.trigger === 'bump_figures_version').length).toBeGreaterThan(20);
  });

  it('answers an overview asked again, with nothing written since, with one statement', async () => {
    const cold = await statementsOf(() => overview('first', tokens.monitor));
    expect(cold.some((text) => text.startsWith('/* indicators:'))).toBe(true);
    let kept: unknown;
    const warm = await statementsOf(async () => {
      kept = await overview('first', tokens.monitor);
    });
    // the statement that sets the viewer and reads the data version, and nothing else
    expect(warm).toHaveLength(1);
    expect(warm[0]).toContain('from data_version');
    expect(kept).toEqual(await overview('second', tokens.monitor));
  });

  it('shows a write through one server in the next read through the other', async () => {
    const before = await overview('second', tokens.monitor);
    // Bonn's editor deletes the Bonn–Minneapolis exchange through the first server
    const deleted = await post(
      url.first,
      'mutation ($id: ID!) { deleteExchange(input: { id: $id }) { errors { code field } } }',
      { id: encodeGlobalID('Exchange', f.exchange.ab) },
      bearer(tokens.editor),
    );
    expect(deleted.json.data.deleteExchange.errors).toEqual([]);
    const after = await overview('second', tokens.monitor);
    expect(after.totals.exchanges).toBe(before.totals.exchanges - 1);
    expect(await overview('first', tokens.monitor)).toEqual(after);
  });

  it('shows a write made past the API (another program on the database) in the next read', async () => {
    const before = await overview('first', tokens.monitor);
    await handle.db.deleteFrom('outcome').where('id', '=', f.outcome.cd).execute();
    const after = await overview('first', tokens.monitor);
    expect(after.totals.outcomes).toBe(before.totals.outcomes - 1);
  });

  it('trusts a checked session without looking it up, and refuses it everywhere once ended', async () => {
    const me = async (server: keyof typeof url) =>
      (await post(url[server], ME, {}, bearer(tokens.editor))).json.data.me;
    expect(await me('second')).toMatchObject({ email: 'editor@cache.example' });
    const lookups = await statementsOf(() => me('second'));
    expect(lookups.filter((text) => text.includes('user_session'))).toEqual([]);
    const signedOut = await post(
      url.first,
      'mutation { signOut { errors { code } } }',
      {},
      {
        ...bearer(tokens.editor),
      },
    );
    expect(signedOut.json.data.signOut.errors).toEqual([]);
    expect(await me('second')).toBeNull();
    expect(await me('first')).toBeNull();
  });

  it('refuses the session of an account deactivated past the API at its next request', async () => {
    expect(await overview('second', tokens.monitor)).toBeTruthy();
    await handle.db
      .updateTable('app_user')
      .set({ active: false })
      .where('email', '=', 'monitor@cache.example')
      .execute();
    const answer = await post(url.second, OVERVIEW, { scope: {} }, bearer(tokens.monitor));
    expect(answer.json.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await post(url.second, ME, {}, bearer(tokens.monitor))).json.data.me).toBeNull();
  });
});

describe('a checked session', () => {
  const viewer: Viewer = {
    userId: 1,
    sessionId: 1,
    email: 'someone@example.org',
    displayName: 'someone',
    role: 'FOREIGN_OFFICE',
    cityId: null,
  };
  const now = Date.UTC(2026, 11, 1, 12);
  const at = (version: Partial<DataVersion>): DataVersion => ({
    figures: 7,
    undatedFigures: 2,
    figureYears: { 2026: 5 },
    accounts: 3,
    now,
    ...version,
  });
  const cacheWith = (lastSeenAt: number, expiresAt = now + 3_600_000) => {
    const cache = new SessionCache();
    cache.remember('hash', { viewer, accounts: 3, expiresAt, lastSeenAt });
    return cache;
  };

  it('is trusted while no account changed and it need not be written as used', () => {
    expect(cacheWith(now - 1_000).trusted('hash', at({ figures: 99 }))).toEqual(viewer);
  });

  it('is looked up again once any account or session changed', () => {
    expect(cacheWith(now - 1_000).trusted('hash', at({ accounts: 4 }))).toBeNull();
  });

  it('is looked up again when it is due to be written as used, or has expired', () => {
    expect(cacheWith(now - SESSION_TOUCH_SECONDS * 1000).trusted('hash', at({}))).toBeNull();
    expect(cacheWith(now - 1_000, now).trusted('hash', at({}))).toBeNull();
  });

  it('keeps at most its number of entries, dropping the oldest', () => {
    const cache = new SessionCache(2);
    for (const hash of ['a', 'b', 'c']) {
      cache.remember(hash, { viewer, accounts: 3, expiresAt: now + 1, lastSeenAt: now });
    }
    expect(cache.candidate('a')).toBeNull();
    expect(cache.candidate('c')).toEqual(viewer);
  });
});

describe('kept figures and the years a write reaches', () => {
  const at = (figures: number, undatedFigures: number, figureYears: Record<string, number>) => ({
    figures,
    undatedFigures,
    figureYears,
  });
  /** Asks `cache` for each figure at `versions`: which of them it had to compute. */
  const computedAt = async (
    cache: FigureCache,
    versions: ReturnType<typeof at>,
    figures: Record<string, FigureReads>,
  ) => {
    const computed: string[] = [];
    for (const [key, reads] of Object.entries(figures)) {
      await cache.remember(
        versions,
        key,
        async () => {
          computed.push(key);
          return key;
        },
        reads,
      );
    }
    return computed;
  };
  const FIGURES: Record<string, FigureReads> = {
    everything: 'all',
    places: 'undated',
    year2024: readsOfPeriod({ from: '2024-01-01', to: '2024-12-31' }),
    years2024to2025: readsOfPeriod({ from: '2024-07-01', to: '2025-06-30' }),
  };

  it('keeps a figure while no write reached its years or an undated record', async () => {
    const cache = new FigureCache();
    expect(await computedAt(cache, at(1, 1, { 2024: 3, 2025: 4 }), FIGURES)).toEqual(
      Object.keys(FIGURES),
    );
    // a write of 2025
    expect(await computedAt(cache, at(2, 1, { 2024: 3, 2025: 5 }), FIGURES)).toEqual([
      'everything',
      'years2024to2025',
    ]);
    // a write of 2026, a year no figure but `everything` reads
    expect(await computedAt(cache, at(3, 1, { 2024: 3, 2025: 5, 2026: 1 }), FIGURES)).toEqual([
      'everything',
    ]);
    // a write of a city: every figure
    expect(await computedAt(cache, at(4, 2, { 2024: 3, 2025: 5, 2026: 1 }), FIGURES)).toEqual(
      Object.keys(FIGURES),
    );
  });

  it('neither reads nor fills the cache for a request that read older versions', async () => {
    const cache = new FigureCache();
    await computedAt(cache, at(5, 1, { 2024: 3 }), FIGURES);
    expect(await computedAt(cache, at(4, 1, { 2024: 3 }), FIGURES)).toEqual(Object.keys(FIGURES));
    expect(await computedAt(cache, at(5, 1, { 2024: 3 }), FIGURES)).toEqual([]);
  });

  it('takes an open period, or one of too many years, for one that reads everything', () => {
    expect(readsOfPeriod({ from: '2024-01-01' })).toBe('all');
    expect(readsOfPeriod({ to: '2024-12-31' })).toBe('all');
    expect(readsOfPeriod({ from: '2025-01-01', to: '2024-12-31' })).toBe('all');
    expect(readsOfPeriod({ from: '0001-01-01', to: '9999-12-31' })).toBe('all');
    expect(readsOfPeriod({ from: '2021-03-01', to: '2026-02-28' })).toEqual({
      first: 2021,
      last: 2026,
    });
  });
});
