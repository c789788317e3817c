import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eventually, sessionsOfFile } from '../support/session.ts';

// The methodology (docs/methodology.md, docs/methodik.md in German) is part of the dashboard:
// each indicator page links to its indicator's section, in the language of the dashboard.

const sessions = sessionsOfFile();

async function session(locale: string): Promise<Page> {
  const { page } = await sessions.open({ email: 'monitor@demo.udx', via: 'api', locale });
  return page;
}

/** Whether the element's top lies in the upper half of the window: the page opened there. */
function inView(element: Locator): Promise<boolean> {
  return element.evaluate((el) => {
    const top = el.getBoundingClientRect().top;
    return top >= 0 && top < window.innerHeight / 2;
  });
}

describe('methodology', () => {
  it.each([
    {
      locale: 'en-GB',
      code: 'U1',
      link: 'How this figure is computed',
      section: 'U1 Technical exchanges',
      title: 'How udx computes its figures',
      footer: 'Methodology',
    },
    {
      locale: 'de-DE',
      code: 'N4',
      link: 'Wie diese Zahl berechnet wird',
      section: 'N4 Verbindungen zwischen Ämtern',
      title: 'Wie udx seine Zahlen berechnet',
      footer: 'Methodik',
    },
  ])(
    '$locale: the $code page links to its section of the methodology, which opens there',
    async ({ locale, code, link, section, title, footer }) => {
      const page = await session(locale);
      await page.goto(`/indicators/${code}`);
      await page.getByRole('heading', { level: 1, name: new RegExp(`^${code}`) }).waitFor();
      await page.getByRole('link', { name: link }).click();

      const heading = page.getByRole('heading', { level: 3, name: section, exact: true });
      await heading.waitFor();
      expect(new URL(page.url()).pathname).toBe('/methodology');
      expect(new URL(page.url()).hash).toBe(`#${code.toLowerCase()}`);
      expect(await heading.getAttribute('id')).toBe(code.toLowerCase());
      await eventually(() => inView(heading)).toBe(true);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      expect(await page.locator('article').getAttribute('lang')).toBe(locale.slice(0, 2));

      // Opened directly, the address lands on the same section; the footer links the page.
      await page.goto('/');
      await page.getByRole('contentinfo').getByRole('link', { name: footer }).click();
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.goto(`/methodology#${code.toLowerCase()}`);
      await heading.waitFor();
      await eventually(() => inView(heading)).toBe(true);
    },
  );
});
