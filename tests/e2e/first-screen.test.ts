import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { type Session, sessionsOfFile, totalsFigure } from '../support/session.ts';

// The overview's first screen comes rendered from the server (docs/architecture.md, "The first
// screen"): its figures and charts are in the page before any script runs, and the app takes the
// page over without asking or drawing again. Nothing here changes data.

const baseUrl = inject('baseUrl');
const sessions = sessionsOfFile();
let monitor: Session;
let bonn: Session;

beforeAll(async () => {
  [monitor, bonn] = await Promise.all([
    sessions.open({ email: 'monitor@demo.udx', via: 'api' }),
    sessions.open({ email: 'viewer.bonn@demo.udx', via: 'api' }),
  ]);
});

/**
 * The page `/` as the server sends it to a session, with `cookies` beside or instead of the
 * session's own (`name=value`): status, headers, HTML.
 */
async function firstScreenOf(session: Session, cookies: string[] = []) {
  const replaced = new Set(cookies.map((cookie) => cookie.split('=')[0]));
  const jar = (await session.context.cookies())
    .filter((cookie) => !replaced.has(cookie.name))
    .map((cookie) => `${cookie.name}=${cookie.value}`);
  const response = await fetch(`${baseUrl}/`, {
    headers: { cookie: [...jar, ...cookies].join('; '), 'accept-language': 'en-GB' },
  });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

/** Names of the cities a session may see, through the API. */
async function visibleCities(session: Session): Promise<Set<string>> {
  const response = await session.context.request.post('/graphql', {
    data: { query: '{ cities(first: 100) { totalCount edges { node { name } } } }' },
  });
  const body = (await response.json()) as {
    data: { cities: { totalCount: number; edges: { node: { name: string } }[] } };
  };
  const { totalCount, edges } = body.data.cities;
  expect(edges.length).toBe(totalCount);
  return new Set(edges.map((edge) => edge.node.name));
}

/** The GraphQL requests a page sends from now on. */
function graphqlRequests(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/graphql') sent.push(request.postData() ?? '');
  });
  return sent;
}

describe("the overview's first screen, rendered on the server", () => {
  it('is readable with its figures and both charts before any script runs', async () => {
    const context = await monitor.context.browser()?.newContext({
      baseURL: baseUrl,
      javaScriptEnabled: false,
      locale: 'en-GB',
    });
    if (!context) throw new Error('no browser');
    try {
      await context.addCookies(await monitor.context.cookies());
      const page = await context.newPage();
      await page.goto('/');
      await page.getByRole('heading', { level: 1, name: 'Programme overview' }).waitFor();
      expect(await totalsFigure(page, 'Partnerships')).toBe(24);
      expect(await totalsFigure(page, 'Cities')).toBe(47);
      expect(await page.getByRole('article').count()).toBe(3);
      // both charts are drawn, each an SVG with shapes in its panel
      const charts = page.locator('.page--overview .chart-panel__canvas');
      expect(await charts.count()).toBe(2);
      for (const chart of await charts.all()) {
        expect(await chart.locator('svg path').count()).toBeGreaterThan(10);
      }
      expect(await page.title()).toBe('Programme overview · udx');
    } finally {
      await context.close();
    }
  });

  it('is taken over by the app without asking again, and then answers the filters', async () => {
    const { page } = monitor;
    const messages: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') messages.push(message.text());
    });
    const sent = graphqlRequests(page);
    await page.goto('/');
    // the live charts replace the server's drawings once the app has taken the page over
    await page.locator('.page--overview .echarts-host > div svg').nth(1).waitFor();
    expect(sent.filter((body) => body.includes('"operationName":"Overview"'))).toEqual([]);
    expect(sent.filter((body) => body.includes('"operationName":"Session"'))).toEqual([]);
    expect(messages).toEqual([]);
    expect(await totalsFigure(page, 'Partnerships')).toBe(24);

    // the page is live: a filter asks the server and changes the figures
    await page.getByLabel('Partner country').selectOption({ label: 'United States' });
    await expect
      .poll(() => totalsFigure(page, 'Partnerships'), { timeout: 30_000 })
      .toBeLessThan(24);
    expect(sent.some((body) => body.includes('"operationName":"Overview"'))).toBe(true);
  });

  it("holds a city's own figures and no other city's", async () => {
    const [all, own] = await Promise.all([visibleCities(monitor), visibleCities(bonn)]);
    const others = [...all].filter((name) => !own.has(name));
    expect(own.has('Bonn')).toBe(true);
    expect(others.length).toBeGreaterThan(10);
    const { status, html } = await firstScreenOf(bonn);
    expect(status).toBe(200);
    expect(html).toContain('id="udx-first-screen"');
    expect(html).toContain('Bonn');
    expect(others.filter((name) => html.includes(name))).toEqual([]);
  });

  it('is kept by no cache, and sent only to a signed-in browser', async () => {
    const signedIn = await firstScreenOf(monitor);
    expect(signedIn.headers.get('cache-control')).toBe('no-store');
    expect(signedIn.html).toContain('id="udx-first-screen"');

    // without a session, or with one no longer valid, the page is the app alone
    for (const cookie of ['', 'udx_session=not-a-session']) {
      const response = await fetch(`${baseUrl}/`, { headers: { cookie } });
      const html = await response.text();
      expect(response.status).toBe(200);
      expect(html).toContain('<div id="app"></div>');
      expect(html).not.toContain('udx-first-screen');
    }
  });

  it('speaks the language chosen in the browser', async () => {
    const { html } = await firstScreenOf(monitor, ['udx_locale=de']);
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('Programmübersicht');
  });
});
