import { describe, expect, it } from 'vitest';
import { eventually, sessionsOfFile } from '../support/session.ts';

// On a 390×844 phone the header folds the navigation and the account controls behind a menu
// button, so that the page's content starts near the top; the keyboard opens and closes it.

const sessions = sessionsOfFile();

const LANGUAGES = [
  {
    language: 'English',
    locale: 'en-GB',
    menu: 'Menu',
    nav: 'Main navigation',
    link: 'Record outcome',
    heading: 'Record an outcome',
    signOut: 'Sign out',
  },
  {
    language: 'German',
    locale: 'de-DE',
    menu: 'Menü',
    nav: 'Hauptnavigation',
    link: 'Ergebnis erfassen',
    heading: 'Ergebnis erfassen',
    signOut: 'Abmelden',
  },
];

describe('the header on a 390×844 phone', () => {
  it.each(LANGUAGES)(
    'in $language: compact when closed, a keyboard menu that navigates',
    async (words) => {
      const { page } = await sessions.open({
        email: 'admin@demo.udx',
        locale: words.locale,
        via: 'api',
      });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto('/');
      const header = page.getByRole('banner');
      const button = header.getByRole('button', { name: words.menu });
      await button.waitFor();
      const nav = page.getByRole('navigation', { name: words.nav });

      // Closed: the brand and the button only, and the header leaves the screen to the page.
      expect(await button.getAttribute('aria-expanded')).toBe('false');
      const controls = await button.getAttribute('aria-controls');
      expect(controls).toBeTruthy();
      expect(await page.locator(`#${controls}`).count()).toBe(1);
      expect(await nav.isVisible()).toBe(false);
      expect(await header.getByRole('button', { name: words.signOut }).isVisible()).toBe(false);
      const height = (await header.boundingBox())?.height ?? Number.POSITIVE_INFINITY;
      expect(height).toBeLessThanOrEqual(100);

      // Opened from the keyboard: navigation, language and account controls; Escape closes it
      // and focus returns to the button.
      await button.focus();
      await page.keyboard.press('Enter');
      await eventually(() => button.getAttribute('aria-expanded')).toBe('true');
      expect(await nav.isVisible()).toBe(true);
      expect(await header.getByRole('button', { name: words.signOut }).isVisible()).toBe(true);
      expect(await header.getByRole('group').isVisible()).toBe(true);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Escape');
      await eventually(() => button.getAttribute('aria-expanded')).toBe('false');
      expect(await nav.isVisible()).toBe(false);
      expect(await button.evaluate((el) => el === document.activeElement)).toBe(true);

      // Navigating from the menu: the page changes and the menu closes behind it.
      await page.keyboard.press('Space');
      await eventually(() => button.getAttribute('aria-expanded')).toBe('true');
      const link = nav.getByRole('link', { name: words.link });
      await link.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: words.heading }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/entry/outcome');
      await eventually(() => button.getAttribute('aria-expanded')).toBe('false');
      expect(await nav.isVisible()).toBe(false);
    },
  );

  it('on a 1366 px desktop: no menu button, the navigation always shown', async () => {
    const { page } = await sessions.open({ email: 'admin@demo.udx', via: 'api' });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    expect(await page.getByRole('banner').getByRole('button', { name: 'Menu' }).isVisible()).toBe(
      false,
    );
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
  });
});
