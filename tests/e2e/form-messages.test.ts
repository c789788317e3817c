import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousAccessibilityViolations } from '../support/browser.ts';
import { eventually, sessionsOfFile } from '../support/session.ts';

// The editor of Würzburg reports S5 for 2027, a year the demo data set holds no values for, so
// each run replaces its own submitted value. A submitted value counts in no figure that other
// test files read (they count approved values only). The exchange recorded below changes only
// figures that other files do not assert, or assert relative to what they read first.

const sessions = sessionsOfFile();

const SCREENS = [
  { screen: 'desktop', width: 1366, height: 900 },
  { screen: 'phone', width: 390, height: 844 },
];
const LANGUAGES = [
  {
    language: 'German',
    locale: 'de-DE',
    title: 'Werte melden',
    indicator: 'Indikator',
    year: 'Jahr',
    numerator: 'Zähler',
    denominator: 'Nenner',
    save: 'Speichern',
    help: 'Befragte Teilnehmende, die sich ihrer Rolle in der Städtediplomatie stärker bewusst sind.',
    error: 'Zähler: darf nicht größer als der Nenner sein',
    submitted: 'Ein Wert zur Prüfung eingereicht.',
    soFar: 'Bisher gemeldete Werte von Würzburg für 2027',
    waiting: '75 % (30 / 40) · Eingereicht',
  },
  {
    language: 'English',
    locale: 'en-GB',
    title: 'Report values',
    indicator: 'Indicator',
    year: 'Year',
    numerator: 'Numerator',
    denominator: 'Denominator',
    save: 'Save',
    help: 'Participants asked who report greater awareness of their role in city diplomacy.',
    error: 'Numerator: must not be greater than the denominator',
    submitted: 'One value submitted for review.',
    soFar: 'Values of Würzburg for 2027 so far',
    waiting: '75% (30 / 40) · Submitted',
  },
];
const CASES = SCREENS.flatMap((screen) => LANGUAGES.map((words) => ({ ...screen, ...words })));

/** Whether the element has the focus or holds it. */
function holdsFocus(element: Locator): Promise<boolean> {
  return element.evaluate((el) => el.contains(document.activeElement));
}

/** Whether the whole element lies inside the window, without scrolling. The browser scrolls by
 * whole pixels while text can place an element at a fraction of one, so a part of a pixel over
 * the edge still counts as in view. */
function inView(element: Locator): Promise<boolean> {
  return element.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return box.top > -1 && box.bottom < window.innerHeight + 1 && box.height > 0;
  });
}

/** The page's own scroll back to the top, as a user starts a new entry from the form's head. */
async function scrollToTop(page: Page): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
}

describe('messages of the report form', () => {
  it.each(CASES)(
    '$screen, $language: a numerator above the denominator is named by its label beside Save, then the value is submitted for review and listed as waiting',
    async (c) => {
      const { page } = await sessions.open({
        email: 'editor.wuerzburg@demo.udx',
        via: 'api',
        locale: c.locale,
      });
      await page.setViewportSize({ width: c.width, height: c.height });
      await page.goto('/entry/values');
      await page.getByRole('heading', { level: 1, name: c.title }).waitFor();

      await page.getByLabel(c.indicator).selectOption('S5');
      await page.getByLabel(c.year, { exact: true }).fill('2027');
      const numerator = page.getByLabel(c.numerator, { exact: true });
      await numerator.fill('30');
      await page.getByLabel(c.denominator, { exact: true }).fill('20');
      // What to count is said beside the field, and read out with it.
      const help = page.getByText(c.help);
      await help.waitFor();
      expect((await numerator.getAttribute('aria-describedby'))?.split(' ')).toContain(
        await help.getAttribute('id'),
      );

      await scrollToTop(page);
      await page.getByRole('button', { name: c.save }).click();

      // The summary beside Save names the field in the page's language, has the focus and is in view.
      const alert = page.getByRole('alert');
      await alert.getByText(c.error).waitFor();
      expect(await holdsFocus(alert)).toBe(true);
      expect(await inView(alert)).toBe(true);
      // The field itself carries the same message.
      expect(await numerator.getAttribute('aria-invalid')).toBe('true');
      const fieldError = page.locator('.field').filter({ has: numerator }).getByText(c.error);
      expect((await numerator.getAttribute('aria-describedby'))?.split(' ')).toContain(
        await fieldError.getAttribute('id'),
      );
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      await page.getByLabel(c.denominator, { exact: true }).fill('40');
      await scrollToTop(page);
      await page.getByRole('button', { name: c.save }).click();

      const status = page.getByRole('status').filter({ hasText: c.submitted });
      await status.waitFor();
      expect(await holdsFocus(status)).toBe(true);
      expect(await inView(status)).toBe(true);
      expect(await page.getByRole('alert').count()).toBe(0);

      // The city's values of the year show the one just submitted, waiting for review.
      await page
        .getByRole('region', { name: c.soFar })
        .getByRole('listitem')
        .filter({ hasText: /^S5 / })
        .filter({ hasText: c.waiting })
        .waitFor();
    },
  );
});

describe('messages of the exchange form', () => {
  it('phone, German: the only partnership is chosen, a missing title is named beside Save, the saved exchange links to its partnership', async () => {
    const { page } = await sessions.open({
      email: 'editor.wuerzburg@demo.udx',
      via: 'api',
      locale: 'de-DE',
    });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/entry/exchange');
    await page.getByRole('heading', { level: 1, name: 'Austausch erfassen' }).waitFor();
    const partnership = page.getByRole('combobox', { name: 'Partnerschaft (Pflichtfeld)' });
    await eventually(() => partnership.locator('option:checked').textContent()).toBe(
      'Würzburg – Rochester',
    );

    await page.getByRole('radio', { name: 'Fachaustausch' }).check();
    await page.getByLabel('Format').selectOption({ label: 'Virtuell' });
    await page.getByLabel('Beginn').fill('2026-11-20');
    await page.getByLabel('Gastgeberstadt').selectOption({ label: 'Würzburg' });
    await page.getByRole('spinbutton', { name: /^Teilnehmende/ }).fill('6');
    const sdg = page.getByRole('group', { name: 'SDG-Unterziele' });
    await sdg.getByRole('searchbox').fill('Wasserqualität');
    await sdg.getByRole('checkbox', { name: /^6\.3 / }).check();
    await page.getByRole('button', { name: 'Speichern' }).click();

    const alert = page.getByRole('alert');
    await alert.getByText('Titel: Pflichtfeld').waitFor();
    expect(await holdsFocus(alert)).toBe(true);
    expect(await inView(alert)).toBe(true);
    // The summary's message leads to the field.
    await alert.getByRole('link', { name: 'Titel: Pflichtfeld' }).click();
    const title = page.getByLabel('Titel');
    expect(await holdsFocus(title)).toBe(true);

    const name = `Austausch zur Wasserqualität ${Date.now()}`;
    await title.fill(name);
    await scrollToTop(page);
    await page.getByRole('button', { name: 'Speichern' }).click();
    const status = page
      .getByRole('status')
      .filter({ hasText: `Gespeichert: der Austausch „${name}“.` });
    await status.waitFor();
    expect(await holdsFocus(status)).toBe(true);
    expect(await inView(status)).toBe(true);
    await status
      .getByRole('link', { name: 'Zu sehen auf der Seite der Partnerschaft Würzburg – Rochester' })
      .click();
    await page
      .getByRole('heading', { level: 1, name: 'Partnerschaft Würzburg – Rochester' })
      .waitFor();
  });
});
