import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  eventually,
  inView,
  openSession,
  type Session,
  sharedBrowser,
} from '../support/session.ts';

// The goal page as the Foreign Office sees it: the breakdown by partnership comes from the
// server, a row per partnership of the scope, and the exchanges are pages of the server's list.
// Nothing here changes data; the counts compared are read from the same page at the same time.

const baseUrl = inject('baseUrl');
let browser: Browser;
let monitor: Session;

beforeAll(async () => {
  browser = await sharedBrowser();
  monitor = await openSession(browser, baseUrl, { email: 'monitor@demo.udx', via: 'api' });
});

afterAll(async () => {
  const foreign = monitor?.foreignRequests ?? [];
  const errors = monitor?.pageErrors ?? [];
  await browser?.close();
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
});

/** The numbers of "25 of 177 shown" under a list. */
async function shownOf(list: Locator): Promise<{ shown: number; total: number }> {
  const text = (await list.locator('.show-more__count').textContent()) ?? '';
  const match = /^([\d,.]+) of ([\d,.]+) shown$/.exec(text.trim());
  if (!match) throw new Error(`not a list count: "${text}"`);
  const count = (s: string | undefined) => Number((s ?? '').replace(/\D/g, ''));
  return { shown: count(match[1]), total: count(match[2]) };
}

/** What one of the page's filters offers but "All": what the viewer may see. */
async function filterOptions(page: Page, label: string): Promise<string[]> {
  const options = await page.getByLabel(label, { exact: true }).locator('option').allInnerTexts();
  return options.map((o) => o.trim()).filter((o) => o !== 'All');
}

describe('goal page', () => {
  it('breaks the scope down by every partnership, and pages through the exchanges 25 at a time', async () => {
    const { page } = monitor;
    // All years (the page shows the current year by default): more than two pages of exchanges.
    await page.goto('/goals/understand?period=all');
    await page.getByRole('heading', { level: 1, name: 'Programme goal: Understand' }).waitFor();
    await page.getByText('Figures of the whole programme, all years').waitFor();

    const breakdown = page.getByRole('region', { name: 'Breakdown by partnership' });
    // Each row header names its partnership with a link (and may note that it has no target
    // of its own).
    const partnerships = breakdown.locator('tbody').getByRole('rowheader').getByRole('link');
    await partnerships.first().waitFor();
    await inView(breakdown);
    const names = (await partnerships.allInnerTexts()).map((n) => n.trim());
    const offered = await filterOptions(page, 'Partnership');
    // Every country and city the viewer sees, from the server's places (Dashboard.partnershipMap).
    const countries = await filterOptions(page, 'Partner country');
    const cities = await filterOptions(page, 'City');
    expect(countries).toContain('United Kingdom');
    expect(countries.length).toBeGreaterThan(1);
    expect(names).toHaveLength(24);
    expect([...names].sort()).toEqual([...offered].sort());
    // The goal's five indicators are columns, each cell with its value and status, after the
    // partnership, the indicators behind and three totals.
    const headers = await breakdown.locator('thead th').allInnerTexts();
    expect(headers.slice(5).map((h) => h.trim().split(/\s/)[0])).toEqual([
      'U1',
      'U2',
      'U3',
      'U4',
      'U5',
    ]);
    await breakdown.getByText(/^Status as of /).waitFor();

    const exchanges = page.getByRole('region', { name: /^Exchanges \(/ });
    const rows = exchanges.locator('tbody tr');
    const first = await shownOf(exchanges);
    expect(first.shown).toBe(25);
    expect(await rows.count()).toBe(25);
    // Rows of the breakdown add up to the list's total, both counted by the server.
    await inView(breakdown);
    const exchangeCells = await breakdown.locator('tbody tr td:nth-of-type(2)').allInnerTexts();
    const summed = exchangeCells.reduce((sum, text) => sum + Number(text.replace(/\D/g, '')), 0);
    expect(summed).toBe(first.total);
    expect(first.total).toBeGreaterThan(50);
    const firstPage = await rows.allInnerTexts();

    await exchanges.getByRole('button', { name: 'Show more exchanges' }).click();
    await eventually(() => rows.count()).toBe(50);
    expect(await shownOf(exchanges)).toEqual({ shown: 50, total: first.total });
    expect((await rows.allInnerTexts()).slice(0, 25)).toEqual(firstPage);

    // Another filter is another list: it starts again at its first 25.
    await page.getByLabel('Partner country').selectOption({ label: 'United Kingdom' });
    await page.getByText('Figures of the partnerships with United Kingdom').waitFor();
    await eventually(() => partnerships.count()).toBe(12);
    // The other countries and their cities stay on offer: the places are not the scope's.
    expect(await filterOptions(page, 'Partner country')).toEqual(countries);
    expect(await filterOptions(page, 'City')).toEqual(cities);
    await eventually(async () => (await shownOf(exchanges)).total).toBeLessThan(first.total);
    expect((await shownOf(exchanges)).shown).toBe(25);
    expect(await rows.count()).toBe(25);
  });
});
