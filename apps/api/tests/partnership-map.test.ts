import { encodeGlobalID } from '@pothos/plugin-relay';
import { testEngines } from '@udx/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withViewerScope } from '../src/auth/row-level-security.ts';
import { findPartnershipMap } from '../src/modules/partnership/partnership.repository.ts';
import {
  type AuthServer,
  bearer,
  insertAccount,
  type Json,
  post,
  signInToken,
  startAuthServer,
} from './auth-helpers.ts';
import { insertIds } from './insert-rows.ts';
import { viewerOf } from './rls-fixture.ts';

// `Dashboard.partnershipMap`: the map of a scope's partnerships and the choices of places, one
// item per city, pair of cities and country. Expected by hand from five partnerships:
//   Bonn–Minneapolis (US), Bonn–Oxford (GB, no coordinates), Köln–Liverpool (GB),
//   Köln–Potsdam and Potsdam–Köln (DE, the same two cities each way round).

const PASSWORD = 'map-password-2030';

const MAP = /* GraphQL */ `
  query Map($scope: ScopeInput) {
    dashboard(scope: $scope) {
      totals { partnerships }
      partnershipMap {
        cities { id name countryCode latitude longitude isGerman partnershipCount }
        links { germanCityId partnerCityId partnershipCount partnershipId }
        countries { countryCode partnershipCount }
      }
    }
  }
`;

const COORDINATES: Record<string, [number, number] | [null, null]> = {
  Bonn: [50.7374, 7.0982],
  Minneapolis: [44.9778, -93.265],
  Oxford: [null, null],
  Köln: [50.9375, 6.9603],
  Liverpool: [53.4084, -2.9916],
  Potsdam: [52.3906, 13.0645],
};

describe.each(testEngines())('the map of the partnerships on %s', (engine) => {
  let s: AuthServer;
  const city: Record<string, number> = {};
  const partnership: Record<string, number> = {};
  const tokens = { monitor: '', bonn: '' };
  let bonnEditor = 0;

  const cityId = (name: string) => encodeGlobalID('City', city[name] ?? 0);
  const partnershipId = (name: string) => encodeGlobalID('Partnership', partnership[name] ?? 0);
  /** The map's city as the API answers it, from the fixture's name and a count. */
  const mapCity = (name: string, country: string, isGerman: boolean, partnershipCount: number) => {
    const [latitude, longitude] = COORDINATES[name] ?? [null, null];
    return {
      id: cityId(name),
      name,
      countryCode: country,
      latitude,
      longitude,
      isGerman,
      partnershipCount,
    };
  };
  const link = (german: string, partner: string, count: number, id: string | null) => ({
    germanCityId: cityId(german),
    partnerCityId: cityId(partner),
    partnershipCount: count,
    partnershipId: id === null ? null : partnershipId(id),
  });

  async function map(token: string, scope: Record<string, string> = {}): Promise<Json> {
    const answer = await post(s.url, MAP, { scope }, bearer(token));
    expect(answer.json.errors).toBeUndefined();
    return answer.json.data.dashboard;
  }

  beforeAll(async () => {
    s = await startAuthServer(engine);
    const names = ['Bonn', 'Minneapolis', 'Oxford', 'Köln', 'Liverpool', 'Potsdam'];
    const countries = ['DE', 'US', 'GB', 'DE', 'GB', 'DE'];
    const ids = await insertIds(
      s.db,
      'city',
      names.map((name, i) => ({
        name,
        country_code: countries[i] ?? 'DE',
        latitude: COORDINATES[name]?.[0] ?? null,
        longitude: COORDINATES[name]?.[1] ?? null,
      })),
    );
    names.forEach((name, i) => {
      city[name] = ids[i] ?? 0;
    });
    const pairs = [
      ['Bonn', 'Minneapolis'],
      ['Bonn', 'Oxford'],
      ['Köln', 'Liverpool'],
      ['Köln', 'Potsdam'],
      ['Potsdam', 'Köln'],
    ] as const;
    const partnershipIds = await insertIds(
      s.db,
      'partnership',
      pairs.map(([german, partner]) => ({
        german_city_id: city[german] ?? 0,
        partner_city_id: city[partner] ?? 0,
      })),
    );
    pairs.forEach(([german, partner], i) => {
      partnership[`${german}–${partner}`] = partnershipIds[i] ?? 0;
    });
    await insertAccount(s.db, {
      email: 'monitor@example.org',
      role: 'FOREIGN_OFFICE',
      password: PASSWORD,
    });
    bonnEditor = await insertAccount(s.db, {
      email: 'editor.bonn@example.org',
      role: 'CITY_EDITOR',
      cityId: city.Bonn ?? 0,
      password: PASSWORD,
    });
    tokens.monitor = await signInToken(s.url, 'monitor@example.org', PASSWORD);
    tokens.bonn = await signInToken(s.url, 'editor.bonn@example.org', PASSWORD);
    // generous: a loaded machine starts PGlite and hashes passwords slowly
  }, 180_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('holds every city, pair of cities and partner country of the programme once, counted', async () => {
    const d = await map(tokens.monitor);
    expect(d.totals.partnerships).toBe(5);
    // by name; Köln is in three partnerships, Potsdam on the German side of one of its two
    expect(d.partnershipMap.cities).toEqual([
      mapCity('Bonn', 'DE', true, 2),
      mapCity('Köln', 'DE', true, 3),
      mapCity('Liverpool', 'GB', false, 1),
      mapCity('Minneapolis', 'US', false, 1),
      mapCity('Oxford', 'GB', false, 1),
      mapCity('Potsdam', 'DE', true, 2),
    ]);
    // Köln–Potsdam and Potsdam–Köln are one line of two partnerships, as the first of them
    const links = d.partnershipMap.links;
    expect(links).toHaveLength(4);
    expect(links).toEqual(
      expect.arrayContaining([
        link('Bonn', 'Minneapolis', 1, 'Bonn–Minneapolis'),
        link('Bonn', 'Oxford', 1, 'Bonn–Oxford'),
        link('Köln', 'Liverpool', 1, 'Köln–Liverpool'),
        link('Köln', 'Potsdam', 2, null),
      ]),
    );
    // the partner cities' countries: Potsdam and Köln are each a partner city once
    expect(d.partnershipMap.countries).toEqual([
      { countryCode: 'DE', partnershipCount: 2 },
      { countryCode: 'GB', partnershipCount: 2 },
      { countryCode: 'US', partnershipCount: 1 },
    ]);
  });

  it('covers the scope asked for, whatever the period', async () => {
    const uk = await map(tokens.monitor, {
      countryCode: 'GB',
      from: '2025-01-01',
      to: '2025-12-31',
    });
    expect(uk.totals.partnerships).toBe(2);
    expect(uk.partnershipMap).toEqual({
      cities: [
        mapCity('Bonn', 'DE', true, 1),
        mapCity('Köln', 'DE', true, 1),
        mapCity('Liverpool', 'GB', false, 1),
        mapCity('Oxford', 'GB', false, 1),
      ],
      links: expect.arrayContaining([
        link('Bonn', 'Oxford', 1, 'Bonn–Oxford'),
        link('Köln', 'Liverpool', 1, 'Köln–Liverpool'),
      ]),
      countries: [{ countryCode: 'GB', partnershipCount: 2 }],
    });
    expect(uk.partnershipMap.links).toHaveLength(2);

    const potsdam = await map(tokens.monitor, { cityId: cityId('Potsdam') });
    expect(potsdam.partnershipMap).toEqual({
      cities: [mapCity('Köln', 'DE', true, 2), mapCity('Potsdam', 'DE', true, 2)],
      links: [link('Köln', 'Potsdam', 2, null)],
      countries: [{ countryCode: 'DE', partnershipCount: 2 }],
    });
  });

  it('gives a city account the cities of its own partnerships only', async () => {
    const own = {
      cities: [
        mapCity('Bonn', 'DE', true, 2),
        mapCity('Minneapolis', 'US', false, 1),
        mapCity('Oxford', 'GB', false, 1),
      ],
      links: expect.arrayContaining([
        link('Bonn', 'Minneapolis', 1, 'Bonn–Minneapolis'),
        link('Bonn', 'Oxford', 1, 'Bonn–Oxford'),
      ]),
      countries: [
        { countryCode: 'GB', partnershipCount: 1 },
        { countryCode: 'US', partnershipCount: 1 },
      ],
    };
    const d = await map(tokens.bonn);
    expect(d.totals.partnerships).toBe(2);
    expect(d.partnershipMap).toEqual(own);
    expect(d.partnershipMap.links).toHaveLength(2);
    // the programme's accounts' map, kept for the same scope, is not theirs
    expect(await map(tokens.monitor)).not.toEqual(d);
    expect((await map(tokens.bonn)).partnershipMap).toEqual(own);

    // another city's partnerships are refused, as every figure of theirs
    const refused = await post(
      s.url,
      MAP,
      { scope: { cityId: cityId('Köln') } },
      bearer(tokens.bonn),
    );
    expect(refused.json.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('reads under row-level security: the whole programme asked for as a city is its own', async () => {
    // The statement alone, no scope narrowed by the API: the database keeps the rest back.
    const bonn = viewerOf(bonnEditor, 'CITY_EDITOR', city.Bonn ?? 0);
    const rows = await withViewerScope(s.db, bonn, (trx) => findPartnershipMap(trx, {}));
    expect(rows.cities.map((row) => row.name)).toEqual(['Bonn', 'Minneapolis', 'Oxford']);
    expect(rows.links.map((row) => row.partnership_id).sort()).toEqual(
      [partnership['Bonn–Minneapolis'], partnership['Bonn–Oxford']].sort(),
    );
    expect(rows.countries).toEqual([
      { country_code: 'GB', partnerships: 1 },
      { country_code: 'US', partnerships: 1 },
    ]);
  });
});
