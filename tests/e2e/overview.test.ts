import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  parseCount,
  type Session,
  sessionsOfFile,
  totalsFigure,
} from '../support/session.ts';

// The Federal Foreign Office's view of the whole programme. Nothing here changes data, and the
// figures asserted (partnerships, SDG tiles, goal cards) do not depend on exchanges or reviews
// that other test files record.

const sessions = sessionsOfFile();
let monitor: Session;

beforeAll(async () => {
  monitor = await sessions.open({ email: 'monitor@demo.udx', via: 'api' });
});

/** Opens the overview in English with no filters. */
async function openOverview(page: Page, query = ''): Promise<void> {
  await page.goto(`/${query}`);
  await page.getByRole('heading', { level: 1, name: 'Programme overview' }).waitFor();
}

/** The drawn SVG of a chart panel: how many shapes it has and how large it is. */
async function drawing(panel: Locator): Promise<{ shapes: number; width: number; height: number }> {
  const svg = panel.getByRole('img').locator('svg').first();
  await svg.waitFor();
  return svg.evaluate((element) => {
    const painted = Array.from(
      element.querySelectorAll('path, rect, circle, polygon, polyline'),
    ).filter((shape) => {
      const fill = shape.getAttribute('fill');
      const stroke = shape.getAttribute('stroke');
      const box = (shape as SVGGraphicsElement).getBBox();
      const visible = (fill && fill !== 'none') || (stroke && stroke !== 'none');
      return visible && box.width * box.height > 0;
    });
    const box = element.getBoundingClientRect();
    return { shapes: painted.length, width: box.width, height: box.height };
  });
}

/** Opens the chart's "show the numbers as a table" disclosure and returns the table. */
async function openChartTable(panel: Locator): Promise<Locator> {
  await panel.getByText('Show the numbers as a table').click();
  const table = panel.getByRole('table');
  await table.waitFor();
  return table;
}

describe('overview for the Federal Foreign Office', () => {
  it('shows the demo banner, the totals, three goal cards and 17 SDG tiles', async () => {
    const { page } = monitor;
    await openOverview(page);

    const banner = page.getByRole('banner').getByRole('note');
    await banner.getByText(/^Demo data: the figures shown are synthetic/).waitFor();

    expect(await totalsFigure(page, 'Partnerships')).toBe(24);
    expect(await totalsFigure(page, 'Cities')).toBe(47);
    expect(await totalsFigure(page, 'Exchanges')).toBeGreaterThan(0);

    const goals = page.getByRole('region', { name: 'Programme goals' }).getByRole('article');
    expect(await goals.count()).toBe(3);
    for (const [goal, codes] of [
      ['Understand', ['U1', 'U2', 'U3', 'U4', 'U5']],
      ['Shape', ['S1', 'S2', 'S3', 'S4', 'S5']],
      ['Network', ['N1', 'N2', 'N3', 'N4', 'N5']],
    ] as const) {
      const card = page.getByRole('article', { name: goal, exact: true });
      await card.getByRole('link', { name: goal, exact: true }).waitFor();
      const rows = card.getByRole('rowheader');
      expect((await rows.allInnerTexts()).map((text) => text.split(' ')[0])).toEqual(codes);
      // Every indicator says where it stands.
      const statuses = await card.getByRole('row').locator('td:last-child').allInnerTexts();
      for (const status of statuses) {
        expect(status).toMatch(/On track|At risk|Off track|No data yet|No target/);
      }
    }

    const sdgs = page.getByRole('region', { name: 'Sustainable Development Goals' });
    const tiles = sdgs.getByRole('listitem');
    expect(await tiles.count()).toBe(17);
    expect(await sdgs.getByRole('link', { name: /^2 Zero hunger/ }).isVisible()).toBe(true);
    const marked = await sdgs.getByRole('link', { name: /programme SDG$/ }).allInnerTexts();
    expect(marked.map((text) => Number.parseInt(text, 10))).toEqual([11, 16, 17]);
  });

  it('draws the exchanges chart and the map, with their numbers as tables', async () => {
    const { page } = monitor;
    await openOverview(page);
    const exchanges = await totalsFigure(page, 'Exchanges');

    const chart = page.getByRole('region', { name: 'Exchanges over time by kind' });
    await eventually(async () => (await drawing(chart)).shapes).toBeGreaterThan(5);
    const drawn = await drawing(chart);
    expect(drawn.width).toBeGreaterThan(200);
    expect(drawn.height).toBeGreaterThan(100);

    const table = await openChartTable(chart);
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(1);
    const totals = await rows.locator('td:last-child').allInnerTexts();
    // The yearly totals of the chart add up to the exchanges of the totals panel.
    expect(totals.map(parseCount).reduce((a, b) => a + b, 0)).toBe(exchanges);

    const map = page.getByRole('region', { name: 'Partnerships on the map' });
    await eventually(async () => (await drawing(map)).shapes).toBeGreaterThan(24);
    const mapTable = await openChartTable(map);
    expect(await mapTable.locator('tbody tr').count()).toBe(24);
    await mapTable.getByRole('rowheader', { name: 'Bonn' }).waitFor();
  });
});

describe('filters', () => {
  it('narrow the figures to one partner country, are kept in the URL and survive a fresh page', async () => {
    const { page, context } = monitor;
    await openOverview(page);
    expect(await totalsFigure(page, 'Partnerships')).toBe(24);
    const allExchanges = await totalsFigure(page, 'Exchanges');

    await page.getByLabel('Partner country').selectOption({ label: 'United Kingdom' });
    await page.getByRole('status').getByText('Filtered view').waitFor();
    await eventually(() => totalsFigure(page, 'Partnerships')).toBe(12);
    const ukExchanges = await totalsFigure(page, 'Exchanges');
    expect(ukExchanges).toBeLessThan(allExchanges);
    const url = new URL(page.url());
    expect(url.searchParams.get('country')).toBe('GB');

    // Links on the page carry the filter on.
    const goalLink = page
      .getByRole('article', { name: 'Understand', exact: true })
      .getByRole('link', { name: 'Understand', exact: true });
    expect(await goalLink.getAttribute('href')).toContain('country=GB');

    const fresh = await context.newPage();
    try {
      await fresh.goto(url.pathname + url.search);
      await fresh.getByRole('heading', { level: 1, name: 'Programme overview' }).waitFor();
      await eventually(() => totalsFigure(fresh, 'Partnerships')).toBe(12);
      expect(await totalsFigure(fresh, 'Exchanges')).toBe(ukExchanges);
      const selected = await fresh
        .getByLabel('Partner country')
        .evaluate((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent);
      expect(selected).toBe('United Kingdom');
    } finally {
      await fresh.close();
    }

    await page.getByRole('button', { name: 'Reset filters' }).click();
    await eventually(() => totalsFigure(page, 'Partnerships')).toBe(24);
    expect(new URL(page.url()).searchParams.has('country')).toBe(false);
  });
});

describe('language', () => {
  it('switches between English and German, sets <html lang> and keeps the choice after a reload', async () => {
    const { page } = monitor;
    await openOverview(page);
    const sdgs = page.getByRole('region', { name: 'Sustainable Development Goals' });
    await sdgs.getByRole('link', { name: /^2 Zero hunger/ }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    await page.getByRole('button', { name: 'Deutsch' }).click();
    await page.getByRole('heading', { level: 1, name: 'Programmübersicht' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    expect(await page.getByRole('button', { name: 'Deutsch' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    // Texts from the API follow too: the SDG short titles come in German.
    const germanSdgs = page.getByRole('region', { name: /Ziele für nachhaltige Entwicklung/ });
    await germanSdgs.getByRole('link', { name: /^2 Kein Hunger/ }).waitFor();
    await page.getByRole('banner').getByText('Auswärtiges Amt', { exact: true }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Programmziele' }).waitFor();
    expect(await totalsFigure(page, 'Partnerschaften')).toBe(24);
    expect(await page.title()).toContain('Programmübersicht');

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Programmübersicht' }).waitFor();
    await germanSdgs.getByRole('link', { name: /^2 Kein Hunger/ }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('de');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Programme overview' }).waitFor();
    await sdgs.getByRole('link', { name: /^2 Zero hunger/ }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
  });

  it('starts in German for a browser that prefers German', async () => {
    const german = await sessions.open({ locale: 'de-DE' });
    await german.page.goto('/sign-in');
    await german.page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
    expect(await german.page.getAttribute('html', 'lang')).toBe('de');
    await german.page.getByLabel('Passwort').waitFor();
    await german.close();
  });
});
