import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seriousAccessibilityViolations } from '../support/browser.ts';
import {
  escapeRegExp,
  eventually,
  indicatorCell,
  leadingCount,
  openSession,
  type Session,
  sharedBrowser,
  totalsFigure,
} from '../support/session.ts';

// A city editor of Bonn records a technical exchange with Oxford. Other test files assert only
// figures that an exchange does not change, or changes relative to what they read first.

const baseUrl = inject('baseUrl');
let browser: Browser;
let editor: Session;

beforeAll(async () => {
  browser = await sharedBrowser();
  editor = await openSession(browser, baseUrl, { email: 'editor.bonn@demo.udx', via: 'api' });
});

afterAll(async () => {
  const foreign = editor?.foreignRequests ?? [];
  const errors = editor?.pageErrors ?? [];
  await browser?.close();
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
});

/** What the Bonn city page shows for the figures an exchange changes. */
async function bonnFigures(page: Page) {
  await page.getByRole('heading', { level: 1, name: 'Bonn' }).waitFor();
  return {
    technical: await leadingCount(indicatorCell(page, 'U1')),
    multiLevel: await leadingCount(indicatorCell(page, 'N3')),
    exchanges: await totalsFigure(page, 'Exchanges'),
    participants: await totalsFigure(page, 'Participants'),
  };
}

describe('recording an exchange as the editor of Bonn', () => {
  it('shows a field error beside the end date, keeps what was typed, then saves and the city figures go up', async () => {
    const { page } = editor;
    await page.goto('/entry/exchange');
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'My city' })
      .click();
    const before = await bonnFigures(page);

    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Record exchange' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Record an exchange' }).waitFor();

    const title = `Sponge city workshop ${Date.now()}`;
    // Bonn's only partnership is chosen already.
    const partnership = page.getByRole('combobox', { name: 'Partnership (required)' });
    await eventually(() => partnership.locator('option:checked').textContent()).toBe(
      'Bonn – Oxford',
    );
    await page.getByRole('radio', { name: 'Technical' }).check();
    await page.getByLabel('Format').selectOption({ label: 'Virtual' });
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Start date').fill('2026-11-03');
    await page.getByLabel('End date').fill('2026-11-02');
    await page.getByLabel('Host city').selectOption({ label: 'Bonn' });
    const departments = page.getByRole('group', { name: 'Participating departments' });
    const bonn = departments.getByRole('group', { name: 'Bonn' });
    const oxford = departments.getByRole('group', { name: 'Oxford' });
    await bonn.getByRole('checkbox', { name: 'Amt für Umwelt und Naturschutz' }).check();
    await bonn.getByRole('checkbox', { name: 'Straßenverkehrsamt' }).check();
    await oxford.getByRole('checkbox', { name: 'Environment and Parks Service' }).check();
    await page.getByLabel('Participants').fill('14');
    await page.getByRole('checkbox', { name: 'National', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Sponge city' }).check();
    // SDG targets are picked from the catalogue: by code (Enter adds it), or by words.
    const sdg = page.getByRole('group', { name: 'SDG targets' });
    const search = sdg.getByRole('searchbox');
    await search.fill('11.5');
    await search.press('Enter');
    await search.fill('water pollution');
    await sdg.getByRole('checkbox', { name: /^6\.3 / }).check();
    const chosen = sdg.getByRole('list', { name: 'Chosen SDG targets' }).getByRole('button');
    await page.getByRole('button', { name: 'Save' }).click();

    // The form says something is wrong, and the end date carries the message beside it.
    await page.getByRole('alert').getByText('Please correct the marked fields.').waitFor();
    const endsOn = page.getByLabel('End date');
    expect(await endsOn.getAttribute('aria-invalid')).toBe('true');
    const endField = page.locator('.field').filter({ has: endsOn });
    const message = endField.getByText(/before/);
    await message.waitFor();
    const describedBy = (await endsOn.getAttribute('aria-describedby')) ?? '';
    expect(describedBy.split(' ')).toContain(await message.getAttribute('id'));
    expect(await page.getByLabel('Start date').getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByRole('status').getByText('Saved').count()).toBe(0);

    // Nothing typed is lost.
    expect(await page.getByLabel('Title').inputValue()).toBe(title);
    expect(await page.getByLabel('Start date').inputValue()).toBe('2026-11-03');
    expect(await endsOn.inputValue()).toBe('2026-11-02');
    expect(await page.getByLabel('Participants').inputValue()).toBe('14');
    expect(await chosen.count()).toBe(2);
    await chosen.filter({ hasText: '11.5' }).waitFor();
    await chosen.filter({ hasText: '6.3' }).waitFor();
    expect(await page.getByRole('radio', { name: 'Technical' }).isChecked()).toBe(true);
    expect(
      await oxford.getByRole('checkbox', { name: 'Environment and Parks Service' }).isChecked(),
    ).toBe(true);
    expect(await bonn.getByRole('checkbox', { name: 'Straßenverkehrsamt' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'National', exact: true }).isChecked()).toBe(
      true,
    );

    // The error state is as accessible as the empty form.
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await endsOn.fill('2026-11-04');
    await page.getByRole('button', { name: 'Save' }).click();
    const saved = page.getByRole('status').filter({ hasText: `Saved: the exchange “${title}”.` });
    await saved
      .getByRole('link', { name: 'See it on the page of the partnership Bonn – Oxford' })
      .waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByLabel('Title').inputValue()).toBe('');

    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'My city' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Bonn' }).waitFor();
    await eventually(() => totalsFigure(page, 'Exchanges')).toBe(before.exchanges + 1);
    await eventually(() => leadingCount(indicatorCell(page, 'U1'))).toBe(before.technical + 1);
    expect(await leadingCount(indicatorCell(page, 'N3'))).toBe(before.multiLevel + 1);
    expect(await totalsFigure(page, 'Participants')).toBe(before.participants + 14);
    const listed = page
      .getByRole('region', { name: /^Exchanges \(\d+\)$/ })
      .getByRole('row', { name: new RegExp(`^${escapeRegExp(title)} `) });
    await listed.waitFor();
    expect(await listed.getByRole('cell').allInnerTexts()).toContain('Virtual');

    // A fresh load shows the same: it is stored, not just cached in the page.
    await page.reload();
    expect(await bonnFigures(page)).toEqual({
      technical: before.technical + 1,
      multiLevel: before.multiLevel + 1,
      exchanges: before.exchanges + 1,
      participants: before.participants + 14,
    });
  });
});
