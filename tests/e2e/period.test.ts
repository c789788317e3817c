import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { definition, eventually, parseCount, sessionsOfFile } from '../support/session.ts';

// "How is the programme doing on SDG 11 and on Network this year against last year, and which
// partnerships lag behind?", as the Foreign Office asks it: the period picked from the keyboard,
// every figure with its change against the year before (computed by the server, checked here
// against the same page for 2025), the matrix of that year most behind first, and a one-year
// chart drawn per quarter. Nothing here changes data. The year is picked, never taken from the
// day the test runs.

const sessions = sessionsOfFile();

/**
 * Picks an option of a native select from the keyboard: focus, then arrow keys until it shows
 * (each step picks the option passed), or, to jump past options, typing the start of its label.
 */
async function chooseByKeyboard(
  select: Locator,
  label: string,
  how: 'arrows' | 'typing' = 'arrows',
): Promise<void> {
  await select.focus();
  if (how === 'typing') {
    await select.page().keyboard.type(label);
  } else {
    const labels = (await select.locator('option').allInnerTexts()).map((text) => text.trim());
    const target = labels.indexOf(label);
    expect(target, `option ${label} in ${labels.join(', ')}`).toBeGreaterThanOrEqual(0);
    const current = await select.evaluate(
      (element) => (element as HTMLSelectElement).selectedIndex,
    );
    const key = target > current ? 'ArrowDown' : 'ArrowUp';
    for (let i = 0; i < Math.abs(target - current); i++) await select.page().keyboard.press(key);
  }
  await eventually(() =>
    select.evaluate((element) => (element as HTMLSelectElement).selectedOptions[0]?.text.trim()),
  ).toBe(label);
}

/** A count of the SDG page's summary with its change as seen and as said to screen readers. */
async function countWithChange(page: Page, term: string) {
  const value = definition(page, term);
  await value.waitFor();
  const change = value.locator('xpath=following-sibling::dd[1]');
  return {
    value: parseCount((await value.textContent()) ?? ''),
    seen: ((await change.locator('.change__visible').textContent()) ?? '').trim(),
    said: ((await change.locator('.visually-hidden').textContent()) ?? '').trim(),
  };
}

/** The signed change a screen reader hears: "up 3 from 2025" is 3, "down 2 …" is -2. */
function spokenChange(said: string): number {
  const match = /^(up|down|unchanged) ?([\d,.]*) from 2025/.exec(said);
  if (!match) throw new Error(`not a change against 2025: "${said}"`);
  const size = match[2] ? parseCount(match[2]) : 0;
  return match[1] === 'down' ? -size : size;
}

describe('this year against last year', () => {
  it('on the SDG 11 page: 2026 picked from the keyboard, each figure against 2025, quarterly bars', async () => {
    const session = await sessions.open({ email: 'monitor@demo.udx', via: 'api' });
    const { page } = session;
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto('/sdgs/11?period=all');
    await page.getByRole('heading', { level: 1, name: /^SDG 11/ }).waitFor();
    // The filter bar's line; the matrix says the same as a sentence of its own, ending in a full stop.
    const shown = page.getByText(/^Figures for .*[^.]$/);
    await eventually(() => shown.textContent()).toBe('Figures for all years');
    // All years: each value says it is the total of all years, and no change is shown.
    const indicators = page.getByRole('table', { name: 'Indicators mapped to this SDG' });
    await indicators.getByText('All years:').first().waitFor();
    expect(await page.getByText(/ vs /).count()).toBe(0);

    // The period picker, from the keyboard: a year, then 2025 to read last year's figures.
    const kind = page.getByLabel('Period', { exact: true });
    await chooseByKeyboard(kind, 'Year');
    const year = page.getByLabel('Year', { exact: true });
    await chooseByKeyboard(year, '2025');
    await eventually(() => shown.textContent()).toBe('Figures for 2025');
    const url2025 = new URL(page.url());
    expect(url2025.searchParams.get('from')).toBe('2025-01-01');
    expect(url2025.searchParams.get('to')).toBe('2025-12-31');
    await page.getByText('Figures of the whole programme, 2025').waitFor();
    const last: Record<string, number> = {};
    for (const term of ['Exchanges', 'Outcomes', 'Partnerships']) {
      last[term] = (await countWithChange(page, term)).value;
    }

    await chooseByKeyboard(year, '2026');
    await eventually(() => shown.textContent()).toBe('Figures for 2026');
    await page.getByText('Figures of the whole programme, 2026').waitFor();
    for (const term of ['Exchanges', 'Outcomes', 'Partnerships']) {
      const figure = await countWithChange(page, term);
      // The server's change is this year's count minus last year's, seen and said.
      const change = figure.value - (last[term] ?? 0);
      expect(spokenChange(figure.said), term).toBe(change);
      expect(figure.seen).toMatch(new RegExp(`^(±\\s*)?${Math.abs(change)} vs 2025$`));
    }
    // Every count shows its change against 2025 (a count is 0, never missing; a percentage may
    // have no value in one of the years, and then no change).
    const rows = indicators.locator('tbody tr');
    const count = await rows.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) {
      const cell = rows.nth(i).getByRole('cell').first();
      const text = ((await cell.textContent()) ?? '').trim();
      if (text.startsWith('–') || /^[\d.,]+\s?%/.test(text)) continue;
      await cell.getByText(/ vs 2025$/).waitFor();
      expect(await cell.locator('.visually-hidden').textContent()).toMatch(
        /^(up|down|unchanged) .*from 2025/,
      );
    }
    expect(await indicators.getByText('All years:').count()).toBe(0);

    // A one-year chart: bars per quarter, its table the four quarters of 2026.
    const chart = page.getByRole('region', { name: /^U1 / });
    await chart.locator('[data-chart-kind="bars"]').waitFor();
    await chart.getByText('Show the numbers as a table').click();
    const periods = await chart.getByRole('table').locator('tbody th').allInnerTexts();
    expect(periods).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);

    // A date range starts as the year shown, and says its days in words once changed.
    await chooseByKeyboard(kind, 'Date range', 'typing');
    const from = page.getByLabel('From', { exact: true });
    await eventually(() => from.inputValue()).toBe('2026-01-01');
    expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe('2026-12-31');
    await from.fill('2026-03-05');
    await eventually(() => shown.textContent()).toBe('Figures for Mar 5, 2026 – Dec 31, 2026');
    expect(new URL(page.url()).searchParams.get('from')).toBe('2026-03-05');
    expect(session.pageErrors).toEqual([]);
    await session.close();
  });

  it('on the Network page, on a phone in German: 2026 against 2025 and the laggards of 2026', async () => {
    const session = await sessions.open({
      email: 'monitor@demo.udx',
      via: 'api',
      locale: 'de-DE',
    });
    const { page } = session;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/goals/network?period=all');
    await page.getByRole('heading', { level: 1, name: 'Programmziel: Vernetzen' }).waitFor();
    const shown = page.getByText(/^Zahlen für .*[^.]$/);
    await eventually(() => shown.textContent()).toBe('Zahlen für alle Jahre');

    await chooseByKeyboard(page.getByLabel('Zeitraum', { exact: true }), 'Jahr');
    await chooseByKeyboard(page.getByLabel('Jahr', { exact: true }), '2026');
    await eventually(() => shown.textContent()).toBe('Zahlen für 2026');
    // The picker fits the phone's width.
    const picker = await page.getByLabel('Zeitraum', { exact: true }).boundingBox();
    expect((picker?.x ?? 0) + (picker?.width ?? 0)).toBeLessThanOrEqual(390);

    // Each value of the goal card with its change against 2025, in German.
    const card = page.getByRole('article', { name: 'Vernetzen', exact: true });
    const cells = card.locator('tbody tr');
    await cells.first().waitFor();
    expect(await cells.count()).toBe(5);
    for (const row of await cells.all()) {
      const cell = row.getByRole('cell').first();
      await cell.getByText(/ggü\. 2025$/).waitFor();
      expect(await cell.locator('.visually-hidden').textContent()).toMatch(
        /(mehr als|weniger als|unverändert gegenüber) 2025/,
      );
    }

    // The laggards of 2026, most behind first, sorted from the keyboard.
    const matrix = page.getByRole('region', {
      name: 'Aufschlüsselung nach Partnerschaft',
      exact: true,
    });
    await matrix.getByText('Zahlen für 2026.').waitFor();
    const table = matrix.getByRole('table');
    await table.locator('tbody tr').first().waitFor();
    await table.getByRole('button', { name: /^Im Rückstand/ }).focus();
    await page.keyboard.press('Enter');
    const header = table.getByRole('columnheader', { name: /^Im Rückstand/ });
    await eventually(() => header.getAttribute('aria-sort')).toBe('descending');
    const behind = (await table.locator('tbody td[data-column="behind"]').allInnerTexts()).map(
      parseCount,
    );
    expect(behind).toEqual([...behind].sort((a, b) => b - a));
    expect(behind[0]).toBeGreaterThan(0);
    expect(session.pageErrors).toEqual([]);
    await session.close();
  });
});
