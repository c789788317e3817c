import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seriousAccessibilityViolations } from '../support/browser.ts';
import { eventually, openSession, type Session, sharedBrowser } from '../support/session.ts';

// Bonn's editor imports reported values from a CSV file, from the keyboard: the check finds the
// one problem of the file, shown in the table by row and column; the corrected file imports.
// The values are of 2012, a year no other test looks at.

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

const file = (n5: string) => ({
  name: 'bonn-2012.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from(
    `indicator,city,year,quarter,value,numerator,denominator,note\nU5,Bonn,2012,,,18,24,Survey\nN5,Bonn,2012,,${n5},,,\n`,
  ),
});

describe('importing reported values from a spreadsheet as the editor of Bonn', () => {
  it('checks a file with one problem, shows it, and imports the corrected file', async () => {
    const { page } = editor;
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto('/entry/values');
    await page
      .getByRole('link', { name: 'Import values from a spreadsheet (CSV or Excel)' })
      .click();
    const heading = page.getByRole('heading', {
      level: 1,
      name: 'Import values from a spreadsheet',
    });
    await heading.waitFor();

    // from the keyboard: Tab to the file input (choosing the file is the browser's dialog)
    const input = page.getByLabel('Spreadsheet file');
    await eventually(async () => {
      await page.keyboard.press('Tab');
      return input.evaluate((element) => element === document.activeElement);
    }).toBe(true);
    await input.setInputFiles(file('three'));
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Check');
    await page.keyboard.press('Enter');

    const outcome = page.getByRole('heading', {
      level: 2,
      name: 'One problem found; nothing was saved. Correct the file and check it again.',
    });
    await outcome.waitFor();
    const table = page.getByRole('table', { name: 'Problems in the file' });
    const cells = await table.locator('tbody tr').first().locator('td').allTextContents();
    expect(cells).toEqual(['3', 'value', '"three" is not a number.']);
    // the outcome took focus, so that it is read out and in view
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SECTION');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await input.focus();
    await input.setInputFiles(file('3'));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Import');
    await page.keyboard.press('Enter');
    await page
      .getByRole('heading', {
        level: 2,
        name: 'Imported 2 rows: 2 values created, 0 updated, 0 unchanged. They are submitted for review.',
      })
      .waitFor();
    expect(await table.count()).toBe(0);
  });
});
