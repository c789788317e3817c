import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { testEngines } from '@udx/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type UdxServer } from '../src/server.ts';
import { type AuthServer, type Json, post, startAuthServer } from './auth-helpers.ts';
import { insertIds } from './insert-rows.ts';
import { insertRlsFixture, type RlsFixture } from './rls-fixture.ts';

// The widget for city websites (README, "Widget for city websites"): a partnership's approved
// headline figures as one small HTML page that any site may frame, equal to the public figures
// of GraphQL; every other answer of udx still refuses frames.

const PUBLIC_PARTNERSHIP = /* GraphQL */ `
  query ($id: ID!) {
    publicPartnership(id: $id) {
      partnership { name }
      indicators { code goal name unit value series { year value } }
    }
  }
`;

/** What a reader sees of one goal in the widget. */
interface ShownFigure {
  goal: string;
  value: string;
  name: string;
  sparkline: string | undefined;
}

/** The goals of the widget as shown: heading, value, indicator name and sparkline's text. */
function shownFigures(html: string): ShownFigure[] {
  const items = html.match(/<li[^>]*>.*?<\/li>/g) ?? [];
  return items.map((item) => ({
    goal: item.match(/<h2>(.*?)<\/h2>/)?.[1] ?? '',
    value: item.match(/class="value">(.*?)</)?.[1] ?? '',
    name: item.match(/class="name">(.*?)</)?.[1] ?? '',
    sparkline: item.match(/<svg[^>]*aria-label="([^"]*)"/)?.[1],
  }));
}

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe.each(testEngines())('the widget for city websites on %s', (engine) => {
  let s: AuthServer;
  let f: RlsFixture;
  let dashboardDir: string;
  const servers: UdxServer[] = [];

  beforeAll(async () => {
    s = await startAuthServer(engine);
    f = await insertRlsFixture(s.db);
    // a second year, so that the sparkline has a line to draw
    const [earlier] = await insertIds(s.db, 'exchange', [
      {
        partnership_id: f.partnership.ab,
        kind: 'POLITICAL',
        format: 'VIRTUAL',
        title: 'Mayors meet online',
        starts_on: '2024-10-01',
        host_city_id: f.city.b,
        participant_count: 1234,
      },
    ]);
    await s.db
      .insertInto('exchange_department')
      .values([
        {
          exchange_id: earlier as number,
          partnership_id: f.partnership.ab,
          department_id: f.department.a,
          city_id: f.city.a,
        },
        {
          exchange_id: earlier as number,
          partnership_id: f.partnership.ab,
          department_id: f.department.b,
          city_id: f.city.b,
        },
      ])
      .execute();
    // a built dashboard, which answers every other path with its page
    dashboardDir = mkdtempSync(path.join(tmpdir(), 'udx-embed-'));
    writeFileSync(path.join(dashboardDir, 'index.html'), '<!doctype html><title>udx</title>');
  }, 180_000);
  afterAll(async () => {
    for (const server of servers) await server.close();
    await s?.stop();
    if (dashboardDir) rmSync(dashboardDir, { recursive: true, force: true });
  });

  const id = () => encodeGlobalID('Partnership', f.partnership.ab);
  const widget = (query = '') => `${s.url}/embed/partnerships/${encodeURIComponent(id())}${query}`;

  async function startServer(options: { production: boolean; publicFigures?: boolean }) {
    const server = await createServer({ db: s.db, dashboardDir, ...options });
    servers.push(server);
    return server.listen(0, '127.0.0.1');
  }

  it('shows the partnership’s three headline figures as publicPartnership gives them', async () => {
    for (const language of ['en', 'de'] as const) {
      const answer = await post(
        s.url,
        PUBLIC_PARTNERSHIP,
        { id: id() },
        {
          'Accept-Language': language,
        },
      );
      expect(answer.json.errors).toBeUndefined();
      const figures = answer.json.data.publicPartnership;
      const page = await get(widget(`?lang=${language}`));
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.text).toContain(`<html lang="${language}">`);
      expect(page.text).toContain(`<h1>${figures.partnership.name}</h1>`);
      const shown = shownFigures(page.text);
      const format = (value: number) =>
        new Intl.NumberFormat(language === 'de' ? 'de-DE' : 'en-GB').format(value);
      const expected = ['U3', 'S1', 'N4'].map((code) =>
        figures.indicators.find((indicator: Json) => indicator.code === code),
      );
      expect(shown.map((figure) => figure.goal)).toEqual(
        language === 'de'
          ? ['Verstehen', 'Gestalten', 'Vernetzen']
          : ['Understand', 'Shape', 'Network'],
      );
      expect(shown.map((figure) => [figure.name, figure.value])).toEqual(
        expected.map((indicator: Json) => [indicator.name, format(indicator.value)]),
      );
      // the sparkline's numbers, year by year, for readers who do not see it
      for (const [index, indicator] of expected.entries()) {
        expect(indicator.series.length).toBeGreaterThan(1);
        for (const point of indicator.series) {
          expect(shown[index]?.sparkline).toContain(`${point.year}: ${format(point.value)}`);
        }
      }
    }
    // U3 counts both exchanges' participants, as a city's reader would add them up
    expect(shownFigures((await get(widget('?lang=en'))).text)[0]?.value).toBe('1,246');
  });

  it('speaks the language of Accept-Language unless lang names one', async () => {
    const german = await get(widget(), { 'Accept-Language': 'de-DE,de;q=0.9,en;q=0.5' });
    expect(german.text).toContain('<html lang="de">');
    expect(german.text).toContain('Teilnehmende');
    expect(german.headers.get('vary')).toContain('Accept-Language');
    const english = await get(widget('?lang=en'), { 'Accept-Language': 'de' });
    expect(english.text).toContain('<html lang="en">');
    expect(english.text).toContain('Participants');
  });

  it('links to the partnership’s public page, in a new tab', async () => {
    const page = await get(widget('?lang=en'));
    expect(page.text).toContain(
      `<a href="/public/partnerships/${encodeURIComponent(id())}" target="_blank" rel="noopener">`,
    );
  });

  it('may be framed by any site, while every other answer refuses frames', async () => {
    const page = await get(widget());
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain('frame-ancestors *');
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|script-src/);
    expect(page.headers.get('x-frame-options')).toBeNull();
    const production = await startServer({ production: true, publicFigures: true });
    for (const other of ['/', '/partnerships/x', '/graphql', '/open-data/', '/healthz', '/embed']) {
      for (const base of [s.url, production]) {
        const answer = await get(`${base}${other}`);
        expect(answer.headers.get('content-security-policy'), other).toContain(
          "frame-ancestors 'none'",
        );
        expect(answer.headers.get('x-frame-options'), other).toBe('DENY');
      }
    }
  });

  it('stays within 15 KB gzip', async () => {
    const page = await get(widget('?lang=de'));
    expect(gzipSync(page.text).length).toBeLessThanOrEqual(15 * 1024);
  });

  it('answers 304 while the figures are unchanged, per language', async () => {
    const first = await get(widget('?lang=en'));
    const entityTag = first.headers.get('etag') ?? '';
    expect(entityTag).toMatch(/^"v\d+-en"$/);
    const again = await get(widget('?lang=en'), { 'If-None-Match': entityTag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('content-security-policy')).toContain('frame-ancestors *');
    const german = await get(widget('?lang=de'), { 'If-None-Match': entityTag });
    expect(german.status).toBe(200);
    await s.db
      .updateTable('exchange')
      .set({ participant_count: 13 })
      .where('id', '=', f.exchange.ab)
      .execute();
    const changed = await get(widget('?lang=en'), { 'If-None-Match': entityTag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(entityTag);
    expect(shownFigures(changed.text)[0]?.value).toBe('1,247');
  });

  it('answers an address naming no partnership with a small framable page, never 5xx', async () => {
    const cases: [string, number][] = [
      [encodeGlobalID('Partnership', 999_999), 404],
      [encodeGlobalID('City', f.city.a), 404],
      ['not-an-id', 404],
      ['', 404],
      ['%E0%A4%A', 404],
      [`${encodeURIComponent(id())}/more`, 404],
      [`${encodeURIComponent(id())}?lang=fr`, 400],
    ];
    for (const [rest, status] of cases) {
      const page = await get(`${s.url}/embed/partnerships/${rest}`, { 'Accept-Language': 'en' });
      expect(page.status, rest).toBe(status);
      expect(page.headers.get('content-type'), rest).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy'), rest).toContain('frame-ancestors *');
      expect(page.text, rest).toContain(
        status === 404 ? 'Partnership not found' : 'The parameter lang must be de or en.',
      );
    }
    const german = await get(`${s.url}/embed/partnerships/not-an-id?lang=de`);
    expect(german.text).toContain('Partnerschaft nicht gefunden');
  });

  it('publishes nothing public in production without UDX_PUBLIC=on, and the widget with it', async () => {
    const hidden = await startServer({ production: true });
    for (const rest of [encodeURIComponent(id()), 'not-an-id']) {
      const answer = await get(`${hidden}/embed/partnerships/${rest}`);
      expect(answer.status, rest).toBe(404);
      expect(answer.headers.get('content-security-policy'), rest).not.toContain(
        'frame-ancestors *',
      );
      expect(answer.text, rest).not.toContain('Bonn');
    }
    // the open data and the dashboard's public pages neither, though the dashboard is built:
    // a public page is the dashboard's, which says that nothing is published
    const publicPage = `/public/partnerships/${encodeURIComponent(id())}`;
    for (const other of ['/open-data/', '/open-data', '/public', publicPage]) {
      expect((await get(`${hidden}${other}`)).status, other).toBe(404);
    }
    expect((await get(`${hidden}${publicPage}`)).text).toContain('<title>udx</title>');
    expect((await get(`${hidden}/partnerships/x`)).status).toBe(200);
    const published = await startServer({ production: true, publicFigures: true });
    const answer = await get(`${published}/embed/partnerships/${encodeURIComponent(id())}`);
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('<h1>Bonn – Minneapolis</h1>');
    expect((await get(`${published}${publicPage}`)).status).toBe(200);
    expect((await get(`${published}/open-data/`)).status).toBe(200);
  });
});
