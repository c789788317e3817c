import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type AxeViolation, accessibilityViolations, signIn } from '../support/browser.ts';
import {
  DEMO_PASSWORD,
  eventually,
  openSession,
  type Session,
  sharedBrowser,
} from '../support/session.ts';

// WCAG 2.1 A/AA (BITV 2.0) and axe-core's best practices (the order of headings among them) on
// every page, as SKEW administration, who may open all of them, on a desktop and on a phone's
// width, with violations of every impact (minor and moderate included); no page scrolls sideways
// as a whole; and no page asks anything of another server.

const baseUrl = inject('baseUrl');
let browser: Browser;
let admin: Session;
const ids = { partnership: '', city: '' };

beforeAll(async () => {
  browser = await sharedBrowser();
  admin = await openSession(browser, baseUrl);
});

afterAll(async () => {
  const errors = admin?.pageErrors ?? [];
  await browser?.close();
  expect(errors).toEqual([]);
});

function describeViolations(violations: AxeViolation[]): string[] {
  return violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** Waits until the page has its heading and nothing is loading any more, then opens every
 * disclosure (chart tables) so that axe sees all content. */
async function settle(page: Page): Promise<void> {
  await page.getByRole('main').getByRole('heading', { level: 1 }).waitFor();
  await eventually(() => page.getByText(/^(Loading…|Loading chart…)$/).count()).toBe(0);
  await page.locator('details').evaluateAll((all) => {
    for (const details of all) (details as HTMLDetailsElement).open = true;
  });
}

/** The widths every page is checked at: a common laptop and a 390×844 phone. */
const SCREENS = [
  { width: 1366, height: 768 },
  { width: 390, height: 844 },
];

async function expectAccessible(page: Page): Promise<void> {
  for (const screen of SCREENS) {
    await page.setViewportSize(screen);
    await settle(page);
    const violations = describeViolations(
      await accessibilityViolations(page, { bestPractice: true }),
    );
    expect(violations.map((v) => `${screen.width} px: ${v}`)).toEqual([]);
    // Only wide tables scroll sideways, inside their own region; the page itself never does.
    const sideways = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(sideways, `${screen.width} px: the page scrolls sideways`).toBeLessThanOrEqual(0);
  }
  expect(admin.foreignRequests).toEqual([]);
}

describe('accessibility and privacy of every page', () => {
  it('sign-in page', async () => {
    const { page } = admin;
    await page.goto('/sign-in');
    await expectAccessible(page);
    await signIn(page, 'admin@demo.udx', DEMO_PASSWORD);
  });

  it('overview', async () => {
    const { page } = admin;
    await page.goto('/');
    await expectAccessible(page);
    const optionValue = async (label: string, option: string) =>
      (await page
        .getByLabel(label)
        .locator('option')
        .filter({ hasText: new RegExp(`^\\s*${option}\\s*$`) })
        .getAttribute('value')) ?? '';
    ids.partnership = await optionValue('Partnership', 'Bonn – Oxford');
    ids.city = await optionValue('City', 'Bonn');
    expect(ids.partnership).not.toBe('');
    expect(ids.city).not.toBe('');
  });

  const pages: { name: string; path: () => string; heading: string | RegExp }[] = [
    { name: 'goal page', path: () => '/goals/understand', heading: 'Programme goal: Understand' },
    { name: 'SDG page', path: () => '/sdgs/11', heading: /^SDG 11/ },
    {
      name: 'partnership page',
      path: () => `/partnerships/${encodeURIComponent(ids.partnership)}`,
      heading: /Bonn.*Oxford/,
    },
    { name: 'city page', path: () => `/cities/${encodeURIComponent(ids.city)}`, heading: 'Bonn' },
    { name: 'indicator page', path: () => '/indicators/U1', heading: /^U1/ },
    { name: 'record an exchange', path: () => '/entry/exchange', heading: 'Record an exchange' },
    { name: 'record an outcome', path: () => '/entry/outcome', heading: 'Record an outcome' },
    { name: 'report values', path: () => '/entry/values', heading: 'Report values' },
    { name: 'import values', path: () => '/import', heading: 'Import values from a spreadsheet' },
    { name: 'review queue', path: () => '/review', heading: 'Review queue' },
    { name: 'my submissions', path: () => '/entry/submissions', heading: 'My submissions' },
    { name: 'methodology', path: () => '/methodology', heading: 'How udx computes its figures' },
    {
      name: 'evaluation report',
      path: () =>
        `/report?partnership=${encodeURIComponent(ids.partnership)}&from=2025-01-01&to=2025-12-31`,
      heading: 'Evaluation report',
    },
    { name: 'public overview', path: () => '/public', heading: 'The programme in figures' },
    {
      name: 'public goal page',
      path: () => '/public/goals/network',
      heading: 'Programme goal: Network',
    },
    { name: 'public SDG page', path: () => '/public/sdgs/17', heading: /^SDG 17/ },
    {
      name: 'public partnership page',
      path: () => `/public/partnerships/${encodeURIComponent(ids.partnership)}`,
      heading: /Bonn.*Oxford/,
    },
  ];

  it.each(pages)('$name', async ({ path, heading }) => {
    const { page } = admin;
    await page.goto(path());
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await expectAccessible(page);
  });

  it('exchange page, with its edit and delete buttons and the question before deleting', async () => {
    const { page } = admin;
    await page.goto(`/partnerships/${encodeURIComponent(ids.partnership)}?period=all`);
    const first = page
      .getByRole('region', { name: /^Exchanges \(/ })
      .getByRole('row')
      .nth(1)
      .getByRole('link')
      .first();
    const title = ((await first.textContent()) ?? '').trim();
    await first.click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByRole('button', { name: 'Delete exchange' }).click();
    await page.getByRole('alertdialog').waitFor();
    await expectAccessible(page);
  });
});
