import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from '../support/browser.ts';
import { type RunningServer, startServer } from '../support/server.ts';
import { eventually, openSession, type Session, sharedBrowser } from '../support/session.ts';

// Lists longer than one page, as at national scale, on a server of this file's own, so that the
// other files' figures stay as they are. The demo data set has 24 partnerships and fewer than 100
// cities; this file adds 30 partnerships and 60 cities without any.
// - The breakdown by partnership: the overview shows the first 50 partnerships with "Rows 1–50
//   of …" and pages through the rest, in the order chosen in a column header, which the server
//   makes over all of them.
// - The filter bar's city choice: the first 100 cities, and a search on the server beyond them.

const ADDED = 30;
/** Cities of no partnership, named to come last: past the first 100 cities a page lists. */
const LONE_CITIES = 60;
const YEAR_2026 = 'from=2026-01-01&to=2026-12-31';

let server: RunningServer | undefined;
let browser: Browser | undefined;
const sessions: Session[] = [];

async function graphql<T>(session: Session, query: string, variables = {}): Promise<T> {
  const response = await session.context.request.post('/graphql', { data: { query, variables } });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data || body.errors) throw new Error(`GraphQL failed: ${JSON.stringify(body)}`);
  return body.data;
}

/** Adds a city as SKEW's administration does, and returns its id. */
async function createCity(admin: Session, name: string, countryCode: string): Promise<string> {
  const created = await graphql<{ createCity: { city: { id: string } | null } }>(
    admin,
    `mutation City($input: CreateCityInput!) {
      createCity(input: $input) { city { id } errors { message } }
    }`,
    { input: { name, countryCode } },
  );
  if (!created.createCity.city) throw new Error(JSON.stringify(created));
  return created.createCity.city.id;
}

/** Adds a German city with `count` partnerships, each with a twin town of its own. */
async function addPartnerships(admin: Session, count: number): Promise<void> {
  const germanCityId = await createCity(admin, 'Gera', 'DE');
  for (let i = 1; i <= count; i += 1) {
    const partnerCityId = await createCity(admin, `Pageton ${String(i).padStart(2, '0')}`, 'US');
    const created = await graphql<{
      createPartnership: { partnership: { id: string } | null; errors: unknown[] };
    }>(
      admin,
      `mutation Partnership($input: CreatePartnershipInput!) {
        createPartnership(input: $input) { partnership { id } errors { message } }
      }`,
      { input: { germanCityId, partnerCityId } },
    );
    if (!created.createPartnership.partnership) throw new Error(JSON.stringify(created));
  }
}

/** Adds `count` cities of no partnership, Zuberville 01 to Zuberville `count`. */
async function addCities(admin: Session, count: number): Promise<void> {
  for (let i = 1; i <= count; i += 1) {
    await createCity(admin, `Zuberville ${String(i).padStart(2, '0')}`, 'US');
  }
}

/** The partnerships of 2026 in the server's order by exchanges, highest first. */
async function byExchanges(session: Session): Promise<{ total: number; ids: string[] }> {
  const answer = await graphql<{
    dashboard: {
      breakdownPage: { totalCount: number; edges: { node: { partnership: { id: string } } }[] };
    };
  }>(
    session,
    `query Order($scope: ScopeInput) {
      dashboard(scope: $scope) {
        breakdownPage(orderBy: EXCHANGES, descending: true, first: 100) {
          totalCount
          edges { node { partnership { id } } }
        }
      }
    }`,
    { scope: { from: '2026-01-01', to: '2026-12-31' } },
  );
  const page = answer.dashboard.breakdownPage;
  return { total: page.totalCount, ids: page.edges.map((edge) => edge.node.partnership.id) };
}

/** The partnership of each row, top to bottom. */
function shownOrder(table: Locator): Promise<string[]> {
  return table
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-partnership') ?? ''));
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), sharedBrowser()]);
  const admin = await openSession(browser, server.url, { email: 'admin@demo.udx', via: 'api' });
  sessions.push(admin);
  await addPartnerships(admin, ADDED);
  await addCities(admin, LONE_CITIES);
}, 300_000);
afterAll(async () => {
  const problems = sessions.flatMap((s) => [...s.pageErrors, ...s.foreignRequests]);
  await browser?.close();
  await server?.stop();
  expect(problems).toEqual([]);
});

describe('the breakdown by partnership of a scope longer than a page', () => {
  it('shows 50 rows with the total, pages on and back, and pages through the order chosen', async () => {
    const monitor = await openSession(browser as Browser, (server as RunningServer).url, {
      email: 'monitor@demo.udx',
      via: 'api',
    });
    sessions.push(monitor);
    const { total, ids: mostExchanges } = await byExchanges(monitor);
    // the demo's partnerships and those added
    expect(total).toBeGreaterThanOrEqual(24 + ADDED);
    expect(total).toBeLessThanOrEqual(100);

    const page: Page = monitor.page;
    await page.goto(`/?${YEAR_2026}`);
    const matrix = page.getByRole('region', { name: 'Breakdown by partnership', exact: true });
    const table = matrix.getByRole('table');
    const rows = table.locator('tbody tr');
    await rows.first().waitFor();
    const pager = matrix.getByRole('navigation', { name: 'Pages of the breakdown' });
    const range = pager.getByRole('status');
    await eventually(() => range.textContent()).toBe(`Rows 1–50 of ${total}`);
    expect(await rows.count()).toBe(50);
    const caption = await table.locator('caption').textContent();
    expect(caption?.trim()).toBe(`Partnerships (${total}) and their indicators`);
    const previous = pager.getByRole('button', { name: 'Previous rows' });
    const next = pager.getByRole('button', { name: 'Next rows' });
    expect(await previous.getAttribute('aria-disabled')).toBe('true');
    expect(await next.getAttribute('aria-disabled')).toBe('false');
    const firstPage = await shownOrder(table);

    // the rest, then back to the first page
    await next.click();
    await eventually(() => range.textContent()).toBe(`Rows 51–${total} of ${total}`);
    expect(await rows.count()).toBe(total - 50);
    const secondPage = await shownOrder(table);
    expect(new Set([...firstPage, ...secondPage]).size).toBe(total);
    expect(await next.getAttribute('aria-disabled')).toBe('true');
    expect(await previous.getAttribute('aria-disabled')).toBe('false');
    await previous.click();
    await eventually(() => range.textContent()).toBe(`Rows 1–50 of ${total}`);
    expect(await shownOrder(table)).toEqual(firstPage);
    // the pager as axe checks the page: WCAG 2.1 AA and best practices
    const violations = await accessibilityViolations(page, { bestPractice: true });
    expect(
      violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);

    // most exchanges first, over all partnerships of the scope: the server's order, page by page
    const header = table.getByRole('columnheader', { name: /^Exchanges/ });
    const sort = table.getByRole('button', { name: /^Exchanges/ });
    await sort.click();
    await eventually(() => header.getAttribute('aria-sort')).toBe('ascending');
    await sort.click();
    await eventually(() => header.getAttribute('aria-sort')).toBe('descending');
    expect(await range.textContent()).toBe(`Rows 1–50 of ${total}`);
    expect(await shownOrder(table)).toEqual(mostExchanges.slice(0, 50));
    expect(mostExchanges.slice(0, 50)).not.toEqual(firstPage);
    await next.click();
    await eventually(() => range.textContent()).toBe(`Rows 51–${total} of ${total}`);
    expect(await shownOrder(table)).toEqual(mostExchanges.slice(50));
    expect(await header.getAttribute('aria-sort')).toBe('descending');

    // the keyboard reaches the pager too
    await previous.focus();
    await page.keyboard.press('Enter');
    await eventually(() => range.textContent()).toBe(`Rows 1–50 of ${total}`);
    expect(await shownOrder(table)).toEqual(mostExchanges.slice(0, 50));
  });
});

describe("the filter bar's city choice beyond the first 100 cities", () => {
  it('lists 100, finds the others on the server, and names a chosen one after a reload', async () => {
    const monitor = await openSession(browser as Browser, (server as RunningServer).url, {
      email: 'monitor@demo.udx',
      via: 'api',
    });
    sessions.push(monitor);
    const all = await graphql<{ cities: { totalCount: number } }>(
      monitor,
      'query { cities(first: 1) { totalCount } }',
    );
    const total = all.cities.totalCount;
    expect(total).toBeGreaterThan(100);

    const page: Page = monitor.page;
    await page.goto('/goals/understand?period=all');
    const select = page.getByLabel('City', { exact: true });
    const options = select.locator('option');
    const search = page.getByLabel('Find a city by name');
    const count = page.locator('#filter-city-search-count');
    // "All" and the first 100
    await eventually(() => options.count()).toBe(101);
    expect(await count.textContent()).toContain(`100 of ${total} shown`);
    expect(await options.allInnerTexts()).not.toContain('Zuberville 57');

    await search.fill('zuberville 57');
    await eventually(() => options.allInnerTexts()).toEqual(['All', 'Zuberville 57']);
    expect(await count.textContent()).toContain('1 of 1 shown');
    await select.selectOption({ label: 'Zuberville 57' });
    await page.getByText("Figures of Zuberville 57's partnerships").waitFor();
    expect(new URL(page.url()).searchParams.get('city')).toBe(await select.inputValue());

    // a new visit of the same address: the list holds the first 100 again, and the one chosen
    await page.reload();
    await page.getByText("Figures of Zuberville 57's partnerships").waitFor();
    await eventually(() => select.locator('option:checked').textContent()).toBe('Zuberville 57');
    expect(await options.count()).toBe(102);
  });
});
