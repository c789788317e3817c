import type { Locator } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { eventually, parseCount, sessionsOfFile, totalsFigure } from '../support/session.ts';

// Who lags behind on Network in 2026, as the Foreign Office asks it: the matrix lists every
// partnership of the programme, those without activity too; "Behind" puts the partnerships with
// the most indicators at risk or off track first (counted by the server); a cell opens the
// partnership's indicator. Nothing here changes data.

const baseUrl = inject('baseUrl');
const YEAR_2026 = 'from=2026-01-01&to=2026-12-31';
const sessions = sessionsOfFile();

/** The count of indicators behind in each row, top to bottom. */
async function behindCounts(matrix: Locator): Promise<number[]> {
  const cells = await matrix.locator('tbody td[data-column="behind"]').allInnerTexts();
  return cells.map(parseCount);
}

describe('the partnerships × indicators matrix', () => {
  it('lists every partnership on the Network page for 2026, sorts the most behind first and opens a cell', async () => {
    const { page } = await sessions.open({ email: 'monitor@demo.udx', via: 'api' });
    // The number of partnerships the server reports for the programme in 2026.
    await page.goto(`/?${YEAR_2026}`);
    const total = await totalsFigure(page, 'Partnerships');
    expect(total).toBeGreaterThan(0);

    await page.goto(`/goals/network?${YEAR_2026}`);
    await page.getByRole('heading', { level: 1, name: 'Programme goal: Network' }).waitFor();
    const matrix = page.getByRole('region', { name: 'Breakdown by partnership', exact: true });
    const table = matrix.getByRole('table');
    const rows = table.locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(total);
    // The wide table scrolls in a region keyboard users can reach.
    await matrix.getByRole('region', { name: 'Indicator matrix (scrolls sideways)' }).focus();
    // A partnership without targets of its own says so once, in its row header.
    const notes = await table
      .locator('tbody th')
      .getByText('No target of its own for 2026')
      .count();
    expect(notes).toBeGreaterThan(0);
    expect(notes).toBeLessThan(total);

    // "Behind", sorted from the keyboard: most behind first, then the other way round.
    const behind = table.getByRole('button', { name: /^Behind/ });
    const behindHeader = table.getByRole('columnheader', { name: /^Behind/ });
    await behind.focus();
    await page.keyboard.press('Enter');
    await eventually(() => behindHeader.getAttribute('aria-sort')).toBe('descending');
    const counts = await behindCounts(table);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts[0]).toBeGreaterThan(0);
    const first = rows.first();
    // its status says so in words, beside the symbol
    await first
      .getByText(/(At risk|Off track)$/)
      .first()
      .waitFor();
    await page.keyboard.press('Space');
    await eventually(() => behindHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(await behindCounts(table)).toEqual([...counts].reverse().sort((a, b) => a - b));
    await page.keyboard.press('Enter');
    await eventually(() => behindHeader.getAttribute('aria-sort')).toBe('descending');

    // The first row's N3 cell opens N3 for that partnership in 2026.
    const partnership = (await first.getAttribute('data-partnership')) ?? '';
    expect(partnership).not.toBe('');
    const name = (
      (await first.getByRole('rowheader').getByRole('link').textContent()) ?? ''
    ).trim();
    const cell = first.locator('td[data-column="N3"]').getByRole('link');
    const href = new URL((await cell.getAttribute('href')) ?? '', baseUrl);
    expect(href.pathname).toBe('/indicators/N3');
    expect(Object.fromEntries(href.searchParams)).toEqual({
      from: '2026-01-01',
      to: '2026-12-31',
      partnership,
    });
    await cell.click();
    await page.getByRole('heading', { level: 1, name: /^N3 / }).waitFor();
    await eventually(() => new URL(page.url()).searchParams.get('partnership')).toBe(partnership);
    const chosen = page.getByLabel('Partnership').locator('option:checked');
    expect(((await chosen.textContent()) ?? '').trim()).toBe(name);
  });
});
