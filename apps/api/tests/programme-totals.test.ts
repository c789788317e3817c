import { testEngines } from '@udx/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/auth/password.ts';
import { type AuthServer, bearer, post, signInToken, startAuthServer } from './auth-helpers.ts';
import { insertRlsFixture, type RlsFixture } from './rls-fixture.ts';

// A city account sees other cities only as programme totals (docs/methodology.md, "Who sees which
// figure"): the whole programme's counts, the same as the Foreign Office gets, while its own
// dashboard stays its own.

const PASSWORD = 'programme-totals-password';
const TOTALS = 'partnerships cities departments exchanges outcomes participants';
const PROGRAMME_AND_OWN = /* GraphQL */ `
  query Figures($from: Date, $to: Date) {
    programmeTotals(from: $from, to: $to) { ${TOTALS} }
    dashboard(scope: { from: $from, to: $to }) { totals { ${TOTALS} } }
  }
`;
const PROGRAMME = /* GraphQL */ `
  query Programme($from: Date, $to: Date) { programmeTotals(from: $from, to: $to) { ${TOTALS} } }
`;

/** Bonn–Minneapolis and Köln–Liverpool, one exchange and one outcome each (rls-fixture.ts). */
const WHOLE_PROGRAMME = {
  partnerships: 2,
  cities: 4,
  departments: 4,
  exchanges: 2,
  outcomes: 2,
  participants: 42,
};

describe.each(testEngines())('programme totals on %s', (engine) => {
  let s: AuthServer;
  let f: RlsFixture;
  let viewerToken: string;
  let monitorToken: string;
  /** Every statement the server ran, in order. */
  const statements: string[] = [];

  beforeAll(async () => {
    s = await startAuthServer(engine, {
      log: (event) => {
        statements.push(event.query.sql);
      },
    });
    f = await insertRlsFixture(s.db);
    await s.db
      .updateTable('app_user')
      .set({ password_hash: await hashPassword(PASSWORD) })
      .where('id', 'in', [f.user.viewerA, f.user.monitor])
      .execute();
    viewerToken = await signInToken(s.url, 'viewer.a@example.org', PASSWORD);
    monitorToken = await signInToken(s.url, 'monitor@example.org', PASSWORD);
    // generous: a loaded machine starts PGlite and hashes passwords slowly
  }, 180_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('gives a city viewer the whole programme, the Foreign Office’s numbers, beside its own scope', async () => {
    statements.length = 0;
    const city = await post(s.url, PROGRAMME_AND_OWN, {}, bearer(viewerToken));
    expect(city.json.errors).toBeUndefined();
    // the request ran as udx_city_viewer (after its session was looked up as udx_session):
    // row-level security was on for both fields
    expect(statements.filter((q) => q.includes("set_config('role'"))).toHaveLength(2);
    const monitor = await post(s.url, PROGRAMME_AND_OWN, {}, bearer(monitorToken));
    expect(monitor.json.errors).toBeUndefined();

    expect(city.json.data.programmeTotals).toEqual(WHOLE_PROGRAMME);
    expect(monitor.json.data.programmeTotals).toEqual(WHOLE_PROGRAMME);
    // Bonn's own figures: its one partnership, both its cities and their departments
    expect(city.json.data.dashboard.totals).toEqual({
      partnerships: 1,
      cities: 2,
      departments: 2,
      exchanges: 1,
      outcomes: 1,
      participants: 12,
    });
    // for the Foreign Office the unfiltered dashboard is the programme: both paths agree
    expect(monitor.json.data.dashboard.totals).toEqual(WHOLE_PROGRAMME);
  });

  it('counts the period it is asked for, the same for both accounts', async () => {
    const period = { from: '2025-04-01', to: '2025-12-31' };
    const city = await post(s.url, PROGRAMME_AND_OWN, period, bearer(viewerToken));
    const monitor = await post(s.url, PROGRAMME, period, bearer(monitorToken));
    const expected = { ...WHOLE_PROGRAMME, exchanges: 1, participants: 30 };
    expect(city.json.data.programmeTotals).toEqual(expected);
    expect(monitor.json.data.programmeTotals).toEqual(expected);
    // Köln's exchange of April is not Bonn's: its own dashboard has none in the period
    expect(city.json.data.dashboard.totals).toMatchObject({ exchanges: 0, participants: 0 });
  });

  it('follows what is recorded anywhere in the programme, and names no other city', async () => {
    await s.db
      .insertInto('exchange')
      .values({
        partnership_id: f.partnership.cd,
        kind: 'TECHNICAL',
        format: 'HYBRID',
        title: 'Rain gardens in Liverpool',
        starts_on: '2026-02-01',
        host_city_id: f.city.d,
        participant_count: 8,
      })
      .execute();
    const answer = await post(s.url, PROGRAMME, { from: '2026-01-01' }, bearer(viewerToken));
    expect(answer.json.data.programmeTotals).toEqual({
      ...WHOLE_PROGRAMME,
      exchanges: 1,
      outcomes: 0,
      participants: 8,
    });
    expect(JSON.stringify(answer.json)).not.toMatch(/Köln|Liverpool|Rain gardens/);
  });

  it('refuses anonymous requests and a period that ends before it starts', async () => {
    const anonymous = await post(s.url, PROGRAMME);
    expect(anonymous.json.data).toBeNull();
    expect(anonymous.json.errors).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
    const reversed = await post(
      s.url,
      PROGRAMME,
      { from: '2025-12-31', to: '2025-01-01' },
      bearer(viewerToken),
    );
    expect(reversed.json.data).toBeNull();
    expect(reversed.json.errors).toMatchObject([
      { extensions: { code: 'BAD_USER_INPUT', field: 'to' } },
    ]);
  });
});
