import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  indicatorCell,
  inView,
  leadingCount,
  parseCount,
  type Session,
  sessionsOfFile,
  totalsFigure,
} from '../support/session.ts';

// Every figure comes from the server and is the same for everyone who may see it
// (docs/methodology.md, "Who sees which figure"): the Foreign Office, the German city's editor
// and the partner city's reader read the same page of Hamburg – Chicago. No other test file
// records anything for Hamburg or Chicago, and nothing here changes data.

const sessions = sessionsOfFile();
let monitor: Session;
let hamburg: Session;
let chicago: Session;
/** The page of Bonn – Oxford, a partnership neither Hamburg nor Chicago is part of. */
let bonnOxford = '';

beforeAll(async () => {
  const open = (email: string) => sessions.open({ email, via: 'api' });
  [monitor, hamburg, chicago] = await Promise.all([
    open('monitor@demo.udx'),
    open('editor.hamburg@demo.udx'),
    open('viewer.chicago@demo.udx'),
  ]);
});

const TOTALS = ['Partnerships', 'Cities', 'Departments', 'Exchanges', 'Outcomes', 'Participants'];

/** The rows of a table as the text of their cells. */
function cellTexts(rows: Locator) {
  return rows.evaluateAll((all) =>
    all.map((row) =>
      Array.from(row.querySelectorAll('th, td'), (cell) =>
        (cell.textContent ?? '').replace(/\s+/g, ' ').trim(),
      ),
    ),
  );
}

/**
 * Everything a partnership page shows as a figure: totals, each indicator's value and status,
 * and the department links of its network table.
 */
async function partnershipFigures(page: Page) {
  await page.getByRole('heading', { level: 1, name: 'Partnership Hamburg – Chicago' }).waitFor();
  const totals: Record<string, number> = {};
  for (const term of TOTALS) totals[term] = await totalsFigure(page, term);
  const goals = page.getByRole('region', { name: 'Programme goals' });
  const rows = goals.getByRole('article').locator('tbody tr');
  await rows.nth(14).waitFor();
  const indicators = await cellTexts(rows);
  const statusDates = await goals.getByText(/^Status as of /).allInnerTexts();
  const noOwnTargets = await goals
    .getByText(/^This partnership has no targets of its own for \d{4}/)
    .allInnerTexts();
  const lists = await page.locator('.show-more__count').allInnerTexts();
  // The table beside the network chart (folded away, read all the same); rows with a link have
  // a row heading, the "no data" row has none.
  const network = page.getByRole('region', {
    name: 'Departments that worked together',
    exact: true,
  });
  const links = await cellTexts(network.locator('tbody tr:has(th)'));
  return { totals, indicators, statusDates, noOwnTargets, lists, links };
}

describe('the partnership page of Hamburg – Chicago', () => {
  it('shows the Foreign Office, the editor of Hamburg and the reader of Chicago the same figures', async () => {
    // The Foreign Office finds the partnership in the goal page's breakdown, whose row holds the
    // figures of the partnership's own page.
    await monitor.page.goto('/goals/understand');
    const breakdown = monitor.page.getByRole('region', { name: 'Breakdown by partnership' });
    const row = breakdown.getByRole('row', { name: /^Hamburg – Chicago / });
    await row.waitFor();
    await inView(row);
    // exchanges, participants and outcomes, after the count of indicators behind
    const rowCounts = (await row.getByRole('cell').allInnerTexts()).slice(1, 4);
    const link = row.getByRole('link', { name: 'Hamburg – Chicago' });
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/partnerships\//);
    bonnOxford =
      (await breakdown.getByRole('link', { name: 'Bonn – Oxford' }).getAttribute('href')) ?? '';
    await link.click();
    const seen = await partnershipFigures(monitor.page);

    expect(seen.totals.Partnerships).toBe(1);
    expect(seen.totals.Cities).toBe(2);
    expect(seen.totals.Exchanges).toBeGreaterThan(0);
    expect(seen.indicators.map((cells) => cells[0]?.split(' ')[0])).toEqual([
      ...['U1', 'U2', 'U3', 'U4', 'U5'],
      ...['S1', 'S2', 'S3', 'S4', 'S5'],
      ...['N1', 'N2', 'N3', 'N4', 'N5'],
    ]);
    // Without targets of its own for the year, the page says so once instead of giving all 15
    // indicators the status "no target" (docs/methodology.md, "Targets, progress and status").
    expect(seen.noOwnTargets).toHaveLength(1);
    for (const cells of seen.indicators) expect(cells).toHaveLength(2);
    expect(seen.statusDates).toEqual([]);
    // The network lists the links N4 counts, one row each, as the server ordered them.
    const n4 = await leadingCount(indicatorCell(monitor.page, 'N4'));
    expect(n4).toBeGreaterThan(0);
    expect(seen.links).toHaveLength(n4);
    const linkCounts = seen.links.map((cells) => parseCount(cells[2] ?? ''));
    for (const count of linkCounts) expect(count).toBeGreaterThan(0);
    expect(linkCounts).toEqual(linkCounts.toSorted((a, b) => b - a));
    await monitor.page
      .getByText(
        'A link: a department of each city that took part in the same exchange (indicator N4).',
      )
      .waitFor();
    expect(rowCounts.map((text) => Number(text.replace(/\D/g, '')))).toEqual([
      seen.totals.Exchanges,
      seen.totals.Participants,
      seen.totals.Outcomes,
    ]);

    for (const session of [hamburg, chicago]) {
      await session.page.goto(href);
      expect(await partnershipFigures(session.page)).toEqual(seen);
    }
  });

  it("tells the editor of Hamburg, in words, that another city's partnership is not theirs to see", async () => {
    expect(bonnOxford).toMatch(/^\/partnerships\//);
    const { page } = hamburg;
    await page.goto(bonnOxford);
    await page
      .getByRole('alert')
      .getByText("You can see the figures of your own city's partnerships only.")
      .waitFor();
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    expect(await page.getByRole('region', { name: /^Totals/ }).count()).toBe(0);
  });
});
