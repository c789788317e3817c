import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../support/server.ts';
import {
  eventually,
  openSession,
  parseCount,
  type Session,
  sessionsOfFile,
  sharedBrowser,
  totalsFigure,
} from '../support/session.ts';

// The public pages (README, "Open data and public figures"): without signing in, a visitor
// reads the programme, a goal, an SDG and a partnership with the figures a Foreign Office
// account gets from the API for the same scope and period (approved values only), and nothing
// of accounts, departments or unapproved values. Nothing here changes data.

const sessions = sessionsOfFile();
let visitor: Session;
let monitor: Session;

// biome-ignore lint/suspicious/noExplicitAny: tests read answers as a client does
type Json = Record<string, any>;

/** What the monitor's API answers, as a Foreign Office account sees it. */
async function asMonitor(query: string, variables: Json = {}): Promise<Json> {
  const response = await monitor.context.request.post('/graphql', { data: { query, variables } });
  const body = (await response.json()) as Json;
  expect(body.errors).toBeUndefined();
  return body.data;
}

/** The public pages' default period: the current calendar year in Berlin. */
const year = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
}).format(new Date());
const period = { from: `${year}-01-01`, to: `${year}-12-31` };

const TOTALS = ['partnerships', 'cities', 'departments', 'exchanges', 'outcomes', 'participants'];
const TERMS = ['Partnerships', 'Cities', 'Departments', 'Exchanges', 'Outcomes', 'Participants'];

const DASHBOARD = /* GraphQL */ `
  query Figures($scope: ScopeInput) {
    dashboard(scope: $scope) {
      totals { ${TOTALS.join(' ')} }
      goals { indicators { indicator { code } unit value } }
      sdgs { goal { number } exchangeCount outcomeCount partnershipCount }
    }
  }
`;

/** An indicator's value as the pages write it in English. */
function written(value: number | null, unit: string): string {
  if (value === null) return '–';
  return unit === 'PERCENT'
    ? new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 }).format(
        value / 100,
      )
    : new Intl.NumberFormat('en', { maximumFractionDigits: 1 }).format(value);
}

async function totalsOf(page: Page): Promise<number[]> {
  const totals: number[] = [];
  for (const term of TERMS) totals.push(await totalsFigure(page, term));
  return totals;
}

/** The value each indicator row of the page shows, by code. */
async function indicatorValues(page: Page): Promise<Record<string, string>> {
  const rows = page.locator('tr[data-indicator]');
  await rows.first().waitFor();
  const entries = await rows.evaluateAll((all) =>
    all.map((row) => [
      row.getAttribute('data-indicator') ?? '',
      (row.querySelector('.public-value')?.textContent ?? '').trim(),
    ]),
  );
  return Object.fromEntries(entries);
}

/** The values a dashboard answer holds, written as the public pages write them. */
function expectedValues(dashboard: Json, codes?: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const goal of dashboard.goals) {
    for (const i of goal.indicators) {
      if (!codes || codes.includes(i.indicator.code)) {
        values[i.indicator.code] = written(i.value, i.unit);
      }
    }
  }
  return values;
}

/** What a visitor must never read: accounts, departments' names, review states. */
let secrets: string[] = [];

async function expectNothingSecret(page: Page): Promise<void> {
  const text = (await page.locator('body').textContent()) ?? '';
  expect(text).not.toMatch(/@demo\.udx|Demo (editor|viewer)|Sign out|Submitted|Rejected|Draft/);
  for (const secret of secrets) expect(text, secret).not.toContain(secret);
}

async function open(path: string): Promise<Page> {
  const { page } = visitor;
  await page.goto(path);
  await page.getByRole('main').getByRole('heading', { level: 1 }).waitFor();
  await eventually(() => page.getByText(/^Loading…$/).count()).toBe(0);
  return page;
}

beforeAll(async () => {
  [visitor, monitor] = await Promise.all([
    sessions.open(),
    sessions.open({ email: 'monitor@demo.udx', via: 'api' }),
  ]);
  // accounts: every demo account's address ends in @demo.udx and its name starts "Demo"
  const data = await asMonitor(`{
    me { displayName }
    cities(first: 100) { edges { node { departments { name } } } }
  }`);
  secrets = [
    data.me.displayName,
    ...data.cities.edges.flatMap((e: Json) => e.node.departments.map((d: Json) => d.name)),
  ];
});

describe('public pages without signing in', () => {
  it('show the programme with the Foreign Office’s figures, a way to sign in and no account menu', async () => {
    const page = await open('/public');
    const { dashboard } = await asMonitor(DASHBOARD, { scope: period });
    expect(await totalsOf(page)).toEqual(TOTALS.map((key) => dashboard.totals[key]));
    expect(await indicatorValues(page)).toEqual(expectedValues(dashboard));
    const tile = (n: number) => page.locator('.sdg-tile').nth(n - 1);
    for (const sdg of dashboard.sdgs.filter((s: Json) => [11, 16, 17].includes(s.goal.number))) {
      const counts = await tile(sdg.goal.number).locator('dd').allInnerTexts();
      expect(counts.map(parseCount)).toEqual([
        sdg.exchangeCount,
        sdg.outcomeCount,
        sdg.partnershipCount,
      ]);
    }
    // the map and the chart, each with its table
    await page.getByRole('heading', { name: 'Partnerships on the map' }).waitFor();
    await page.getByRole('heading', { name: 'Exchanges over time by kind' }).waitFor();
    expect(await page.locator('.chart-panel details table').count()).toBeGreaterThanOrEqual(2);
    const banner = page.getByRole('banner');
    await banner.getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await banner.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    await expectNothingSecret(page);
  });

  it('show a goal and an SDG with the Foreign Office’s values, charts and lists', async () => {
    const page = await open('/public/goals/shape');
    const { dashboard } = await asMonitor(DASHBOARD, { scope: period });
    expect(await indicatorValues(page)).toEqual(
      expectedValues(dashboard, ['S1', 'S2', 'S3', 'S4', 'S5']),
    );
    expect(await page.locator('.chart-panel').count()).toBe(5);
    await expectNothingSecret(page);

    await open('/public/sdgs/11');
    const sdg = dashboard.sdgs.find((s: Json) => s.goal.number === 11);
    const counts = await page.locator('.totals__item dd').allInnerTexts();
    expect(counts.map(parseCount)).toEqual([
      sdg.exchangeCount,
      sdg.outcomeCount,
      sdg.partnershipCount,
    ]);
    const lists = await asMonitor(
      `query L($scope: ScopeInput) {
        exchanges(scope: $scope, sdg: 11, first: 10) { edges { node { title } } }
        outcomes(scope: $scope, sdg: 11, first: 10) { edges { node { title } } }
      }`,
      { scope: period },
    );
    const titles = async (heading: string) =>
      page
        .getByRole('region', { name: heading, exact: true })
        .locator('tbody th')
        .allInnerTexts()
        .then((all) => all.map((t) => t.trim()));
    const nodes = (connection: Json) => connection.edges.map((e: Json) => e.node.title);
    expect(await titles('Latest exchanges')).toEqual(nodes(lists.exchanges));
    expect(await titles('Latest outcomes')).toEqual(nodes(lists.outcomes));
    await expectNothingSecret(page);
  });

  it('show a partnership with the Foreign Office’s figures for the same period and for all years', {
    timeout: 120_000,
  }, async () => {
    const { partnerships } = await asMonitor(
      '{ partnerships(first: 1) { edges { node { id germanCity { name } partnerCity { name } } } } }',
    );
    const partnership = partnerships.edges[0].node;
    const page = await open(`/public/partnerships/${encodeURIComponent(partnership.id)}`);
    await page
      .getByRole('heading', {
        level: 1,
        name: `Partnership ${partnership.germanCity.name} – ${partnership.partnerCity.name}`,
      })
      .waitFor();
    const scope = { ...period, partnershipId: partnership.id };
    const { dashboard } = await asMonitor(DASHBOARD, { scope });
    expect(await totalsOf(page)).toEqual(TOTALS.map((key) => dashboard.totals[key]));
    expect(await indicatorValues(page)).toEqual(expectedValues(dashboard));
    await expectNothingSecret(page);

    // all years, picked on the page, as the Foreign Office reads them without a period
    await page.getByLabel('Period').selectOption({ label: 'All years' });
    await eventually(() => page.url()).toContain('period=all');
    const all = await asMonitor(DASHBOARD, { scope: { partnershipId: partnership.id } });
    await eventually(() => totalsOf(page)).toEqual(TOTALS.map((key) => all.dashboard.totals[key]));
  });

  it('are linked from the signed-in pages, for the same period', { timeout: 120_000 }, async () => {
    const { page } = monitor;
    await page.goto(`/goals/network?from=${year}-01-01&to=${year}-12-31`, {
      waitUntil: 'domcontentloaded',
    });
    await page.getByRole('link', { name: 'Public page' }).click();
    await eventually(() => new URL(page.url()).pathname).toBe('/public/goals/network');
    await page.getByRole('heading', { level: 1, name: 'Programme goal: Network' }).waitFor();
    // signed in, the visitors' header leads back to the dashboard instead of an account menu
    await page.getByRole('banner').getByRole('link', { name: 'To the dashboard' }).waitFor();
  });
});

describe('public pages where the server publishes nothing', () => {
  let production: RunningServer | undefined;
  let browser: Browser | undefined;
  let session: Session | undefined;

  beforeAll(async () => {
    [production, browser] = await Promise.all([startServer({ production: true }), sharedBrowser()]);
    session = await openSession(browser, production.url);
  }, 300_000);
  afterAll(async () => {
    const problems = [...(session?.pageErrors ?? []), ...(session?.foreignRequests ?? [])];
    await browser?.close();
    await production?.stop();
    expect(problems).toEqual([]);
  });

  it('say the figures are not published and offer to sign in', async () => {
    const page = session?.page as Page;
    for (const path of ['/public', '/public/sdgs/11']) {
      await page.goto(path);
      await page.getByText('These figures are not published.').waitFor();
      await page.getByRole('main').getByRole('link', { name: 'Sign in' }).waitFor();
      expect(await page.locator('tr[data-indicator]').count()).toBe(0);
    }
  });
});
