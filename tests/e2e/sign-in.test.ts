import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, type Session, sessionsOfFile } from '../support/session.ts';

const sessions = sessionsOfFile();
const byEmail = new Map<string, Session>();

async function session(email?: string): Promise<Session> {
  const opened = await sessions.open(email ? { email } : {});
  if (email) byEmail.set(email, opened);
  return opened;
}

const accounts = [
  {
    email: 'admin@demo.udx',
    name: 'Demo administrator (SKEW)',
    role: 'SKEW administration',
    nav: [
      'Overview',
      'Report',
      'Record exchange',
      'Record outcome',
      'Report values',
      'My submissions',
      'Review queue',
    ],
  },
  {
    email: 'evaluator@demo.udx',
    name: 'Demo evaluator (SKEW)',
    role: 'SKEW evaluation',
    nav: ['Overview', 'Report', 'Review queue'],
  },
  {
    email: 'editor.bonn@demo.udx',
    name: 'Demo editor Bonn',
    role: 'City editor · Bonn',
    city: 'Bonn',
    nav: [
      'Overview',
      'Report',
      'My city',
      'Record exchange',
      'Record outcome',
      'Report values',
      'My submissions',
    ],
  },
  {
    email: 'viewer.bonn@demo.udx',
    name: 'Demo viewer Bonn',
    role: 'City reader · Bonn',
    city: 'Bonn',
    nav: ['Overview', 'Report', 'My city'],
  },
];

/** The header of a signed-in page: who, in which role, the demo banner and the navigation. */
async function expectHeader(
  page: Page,
  account: { name: string; role: string; nav: string[] },
): Promise<void> {
  const header = page.getByRole('banner');
  await header.getByText(`Signed in as ${account.name}`).waitFor({ state: 'attached' });
  await header.getByText(account.role, { exact: true }).waitFor();
  await header
    .getByRole('note')
    .getByText(/^Demo data:/)
    .waitFor();
  const links = header.getByRole('navigation', { name: 'Main navigation' }).getByRole('link');
  // The review queue's link ends with the number of values awaiting review, which other test
  // files change.
  const texts = await links.allInnerTexts();
  expect(texts.map((text) => text.replace(/\s+\d+$/, ''))).toEqual(account.nav);
}

describe('signing in', () => {
  it.each(accounts)(
    '$email sees who is signed in, with role, and lands where they work',
    async (account) => {
      const { page } = await session(account.email);
      await expectHeader(page, account);
      if (account.city) {
        await page.getByRole('heading', { level: 1, name: account.city }).waitFor();
        expect(new URL(page.url()).pathname).toMatch(/^\/cities\//);
        expect(await page.title()).toContain(account.city);
      } else {
        await page.getByRole('heading', { level: 1, name: 'Programme overview' }).waitFor();
        expect(new URL(page.url()).pathname).toBe('/');
      }
    },
  );

  it('monitor@demo.udx: a wrong password keeps the sign-in page with an error; the right one returns to the page asked for', async () => {
    const { page } = await session();
    await page.goto('/indicators/U1');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');

    await page.getByLabel('Email address').fill('monitor@demo.udx');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText(/wrong/i).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await page.getByLabel('Email address').inputValue()).toBe('monitor@demo.udx');
    expect(
      await page
        .getByRole('banner')
        .getByText(/^Signed in as/)
        .count(),
    ).toBe(0);

    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: /U1/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/indicators/U1');
    await expectHeader(page, {
      name: 'Demo monitoring (Federal Foreign Office)',
      role: 'Federal Foreign Office',
      nav: ['Overview', 'Report'],
    });
  });

  it('signs out: the header forgets the user and pages ask for a sign-in again', async () => {
    const viewer = byEmail.get('viewer.bonn@demo.udx');
    const { page } = viewer ?? (await session('viewer.bonn@demo.udx'));
    await page.getByRole('heading', { level: 1, name: 'Bonn' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await page.getByText('Demo viewer Bonn').count()).toBe(0);

    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });
});
