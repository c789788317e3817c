import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, openSession, type Session, sharedBrowser } from '../support/session.ts';

// SKEW evaluation works through the values cities submitted. Other test files assert nothing
// that depends on which reported values are approved.

const baseUrl = inject('baseUrl');
let browser: Browser;
let evaluator: Session;

beforeAll(async () => {
  browser = await sharedBrowser();
  evaluator = await openSession(browser, baseUrl, { email: 'evaluator@demo.udx', via: 'api' });
});

afterAll(async () => {
  const foreign = evaluator?.foreignRequests ?? [];
  const errors = evaluator?.pageErrors ?? [];
  await browser?.close();
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
});

function queue(page: Page): Locator {
  return page.getByRole('main').getByRole('listitem').getByRole('article');
}

/** The names of the values waiting, once the queue has loaded. */
async function waiting(page: Page): Promise<string[]> {
  await page.getByRole('heading', { level: 1, name: 'Review queue' }).waitFor();
  await queue(page).first().or(page.getByText('Nothing is waiting for review.')).waitFor();
  return queue(page).locator('h2').allInnerTexts();
}

/** Two values whose names appear once each, so that each can be followed through the review. */
function twoDistinct(names: string[]): [string, string] {
  const unique = names.filter((name) => names.indexOf(name) === names.lastIndexOf(name));
  const [first, second] = unique;
  if (!first || !second) throw new Error(`the demo data should have values to review: ${names}`);
  return [first, second];
}

describe('review queue', () => {
  it('lets the evaluator approve and reject submitted values, which then leave the queue', async () => {
    const { page } = evaluator;
    await page.goto('/review');
    const before = await waiting(page);
    const [approved, rejected] = twoDistinct(before);
    const approvedItem = page.getByRole('article', { name: approved, exact: true });
    const rejectedItem = page.getByRole('article', { name: rejected, exact: true });

    // Rejecting needs a reason: the error sits beside the reason field, nothing is sent.
    await rejectedItem.getByRole('button', { name: /^Reject/ }).click();
    const reason = rejectedItem.getByLabel('Reason for rejection');
    await rejectedItem.getByText('required').waitFor();
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    expect(await waiting(page)).toEqual(before);

    await approvedItem.getByRole('button', { name: /^Approve/ }).click();
    await page.getByRole('status').getByText('Approved.').waitFor({ state: 'attached' });
    await eventually(() => approvedItem.count()).toBe(0);
    expect(await waiting(page)).toHaveLength(before.length - 1);

    await reason.fill('The denominator counts the same survey twice.');
    await rejectedItem.getByRole('button', { name: /^Reject/ }).click();
    await page.getByRole('status').getByText('Rejected.').waitFor({ state: 'attached' });
    await eventually(() => rejectedItem.count()).toBe(0);

    // The decisions are stored: a fresh load shows the shorter queue.
    await page.reload();
    const after = await waiting(page);
    expect(after).toHaveLength(before.length - 2);
    expect(after).not.toContain(approved);
    expect(after).not.toContain(rejected);
  });
});
