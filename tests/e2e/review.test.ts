import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  escapeRegExp,
  eventually,
  openSession,
  type Session,
  sharedBrowser,
} from '../support/session.ts';

// The review loop: SKEW evaluation works through the values cities submitted, and the cities
// read the outcome. Other test files assert nothing that depends on which reported values are
// approved.

const baseUrl = inject('baseUrl');
let browser: Browser;
const sessions: Session[] = [];

async function open(email: string, locale?: string): Promise<Session> {
  const session = await openSession(browser, baseUrl, { email, via: 'api', locale });
  sessions.push(session);
  return session;
}

beforeAll(async () => {
  browser = await sharedBrowser();
});

afterAll(async () => {
  const foreign = sessions.flatMap((s) => s.foreignRequests);
  const errors = sessions.flatMap((s) => s.pageErrors);
  await browser?.close();
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
});

/** The cards of the values in the queue. */
function cards(page: Page): Locator {
  return page.getByRole('main').getByRole('listitem').getByRole('article');
}

async function waitForQueue(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1, name: 'Review queue' }).waitFor();
  await cards(page).first().or(page.getByText('Nothing is waiting for review.')).waitFor();
}

/** The name a city has in its demo accounts' addresses, as packages/demo/src/accounts.ts makes it. */
function citySlug(name: string): string {
  const spelledOut: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };
  return name
    .toLowerCase()
    .replace(/[äöüß]/g, (c) => spelledOut[c] ?? c)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** What the two tests hand on: the value rejected, its city and the reason. */
const rejected = { name: '', city: '', reason: 'The denominator counts the same survey twice.' };

describe('review loop', () => {
  it('lets the evaluator filter the queue, see a value in context, decide with the keyboard and undo', async () => {
    const { page } = await open('evaluator@demo.udx');
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto('/review');
    await waitForQueue(page);
    const reviewLink = page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: /^Review queue, \d+ awaiting$/ });
    const awaiting = async () =>
      Number(/(\d+) awaiting/.exec((await reviewLink.getAttribute('aria-label')) ?? '')?.[1]);
    const before = await awaiting();
    expect(before).toBeGreaterThan(2);
    await page.getByText(`of ${before} shown`).waitFor();

    // Filtered by indicator: the URL keeps it, the total is the filtered list's.
    await page.getByLabel('Indicator').selectOption('U5');
    await eventually(() => new URL(page.url()).searchParams.get('indicator')).toBe('U5');
    const titles = () => cards(page).locator('h2').allInnerTexts();
    await eventually(async () => (await titles()).every((name) => name.startsWith('U5 '))).toBe(
      true,
    );
    const names = await titles();
    expect(names.length).toBeGreaterThan(1);
    await page.getByText(new RegExp(`^\\s*${names.length} of ${names.length} shown`)).waitFor();

    // A card's context: who submitted it and when, the value of the year before, a link to the
    // city's figures for that year.
    const [first, second] = names as [string, string];
    const card = page.getByRole('article', { name: first, exact: true });
    await card.getByText('Submitted', { exact: true }).waitFor();
    const year = Number(/· (\d{4})$/.exec(first)?.[1]);
    await card.getByText(`Value for ${year - 1}`).waitFor();
    const city = first.split(' · ')[1] ?? '';
    const link = card.getByRole('link', { name: `Figures of ${city} for ${year}` });
    expect(await link.getAttribute('href')).toMatch(
      new RegExp(`^/cities/[^?]+\\?from=${year}-01-01&to=${year}-12-31$`),
    );

    // Approve with the keyboard: focus lands on Undo in the card's place, the news is announced,
    // and the card below stays where it was.
    const secondCard = page.getByRole('article', { name: second, exact: true });
    const secondTop = (await secondCard.boundingBox())?.y;
    await card.getByRole('button', { name: /^Approve/ }).focus();
    await page.keyboard.press('Enter');
    const undo = page.getByRole('button', { name: `Undo: ${first}` });
    await eventually(() => undo.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.getByRole('status').getByText(`Approved: ${first}.`).waitFor({ state: 'attached' });
    expect((await secondCard.boundingBox())?.y).toBe(secondTop);
    await eventually(awaiting).toBe(before - 1);

    // Undo: the card is back, waiting again.
    await page.keyboard.press('Enter');
    await card.getByRole('button', { name: /^Approve/ }).waitFor();
    await page
      .getByRole('status')
      .getByText(/^Decision undone/)
      .waitFor({ state: 'attached' });
    await eventually(awaiting).toBe(before);

    // Rejecting needs a reason; with one, the value is rejected.
    const other = page.getByRole('article', { name: second, exact: true });
    await other.getByRole('button', { name: /^Reject/ }).click();
    await other.getByText('required').waitFor();
    await other.getByLabel('Reason for rejection').fill(rejected.reason);
    await other.getByRole('button', { name: /^Reject/ }).click();
    await page.getByRole('button', { name: `Undo: ${second}` }).waitFor();
    Object.assign(rejected, { name: second, city: second.split(' · ')[1] ?? '' });

    // Stored: a fresh load of the filtered queue no longer has it, and still has the first.
    await page.reload();
    await waitForQueue(page);
    const after = await cards(page).locator('h2').allInnerTexts();
    expect(after).toContain(first);
    expect(after).not.toContain(second);
  });

  it('shows the city the reason on a phone in German, and takes its correction of an approved value to review', async () => {
    expect(rejected.city).not.toBe('');
    const { page } = await open(`editor.${citySlug(rejected.city)}@demo.udx`, 'de-DE');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/entry/submissions?status=REJECTED');
    await page.getByRole('heading', { level: 1, name: 'Meine Meldungen' }).waitFor();
    // the indicator's name is German here: the code and the year name the value
    const [code0] = rejected.name.split(' ');
    const year0 = /(\d{4})$/.exec(rejected.name)?.[1];
    const item = page.getByRole('listitem').filter({
      has: page.getByRole('heading', { name: new RegExp(`^${code0} .* · ${year0}$`) }),
    });
    await item.getByText(rejected.reason).waitFor();
    await item.getByText('Grund der Ablehnung:').waitFor();

    // An approved value of the city: reporting its period again offers a correction instead.
    await page.goto('/entry/submissions?status=APPROVED');
    const approved = page.getByRole('main').getByRole('listitem').first().getByRole('heading');
    const title = ((await approved.textContent()) ?? '').trim();
    const [, code, year] = /^(\w+) .* · (\d{4})$/.exec(title) ?? [];
    expect(code).toBeDefined();
    await page.goto('/entry/values');
    await page.getByRole('heading', { level: 1, name: 'Werte melden' }).waitFor();
    await page.getByLabel('Indikator').selectOption(code ?? '');
    await page.getByLabel('Jahr').fill(String(year));
    const percent = await page.getByLabel('Zähler').count();
    if (percent) {
      await page.getByLabel('Zähler').fill('12');
      await page.getByLabel('Nenner').fill('20');
    } else {
      await page.getByLabel('Wert', { exact: true }).fill('7');
    }
    await page.getByRole('button', { name: 'Korrektur vorschlagen' }).click();
    await page.getByText(/^Korrektur vorgeschlagen/).waitFor();

    // SKEW sees it in the queue as a correction, with the approved value it would replace, and
    // approves it.
    const { page: review } = await open('evaluator@demo.udx');
    await review.goto(`/review?indicator=${code}&year=${year}`);
    await waitForQueue(review);
    const name = new RegExp(
      `^${escapeRegExp(code ?? '')} .* · ${escapeRegExp(rejected.city)} · ${year}$`,
    );
    const correction = review.getByRole('article', { name }).filter({
      hasText: 'Correction of an approved value',
    });
    await correction.getByText('Approved value it replaces').waitFor();
    await correction.getByRole('button', { name: /^Approve/ }).click();
    await review.getByText('the corrected figures now replace the approved value').waitFor();

    // The city's list shows one approved value for that period, with the corrected figures.
    await page.goto(`/entry/submissions?status=APPROVED&year=${year}`);
    const corrected = page.getByRole('listitem').filter({
      has: page.getByRole('heading', { name: title, exact: true }),
    });
    await corrected.getByText(percent ? /\(12 \/ 20\)/ : /^7$/).waitFor();
  });
});
