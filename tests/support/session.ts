import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { connectBrowser, newContext, signIn } from './browser.ts';

/** The password of every demo account. */
export const DEMO_PASSWORD = 'udx-demo-2030';

/** How long a page may take to show what the user waits for on this shared 2-core machine. */
export const PATIENCE = 30_000;

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Requests that would have left the machine (aborted). */
  foreignRequests: string[];
  /** Uncaught errors thrown in the page: a user sees a broken screen or nothing at all. */
  pageErrors: string[];
  close(): Promise<void>;
}

export interface SessionOptions {
  email?: string;
  locale?: string;
  via?: 'page' | 'api';
  /** Origins besides udx's that the test serves itself and the page may load from. */
  otherOrigins?: readonly string[];
}

/**
 * One browser context with one page, signed in as `email` when given: through the sign-in page
 * (`via: 'page'`, the default, which lands on the user's start page) or, where signing in is not
 * what is being tested, through the API's signIn mutation, which sets the same session cookie
 * and leaves the page blank. Requests leaving the server are aborted and recorded, as are
 * uncaught page errors.
 */
export async function openSession(
  browser: Browser,
  baseUrl: string,
  options: SessionOptions = {},
): Promise<Session> {
  const { context, foreignRequests } = await newContext(
    browser,
    baseUrl,
    options.locale,
    options.otherOrigins,
  );
  context.setDefaultTimeout(PATIENCE);
  const pageErrors: string[] = [];
  context.on('page', (page) => watchErrors(page, pageErrors));
  const page = await context.newPage();
  if (options.email && options.via === 'api') await signInByApi(context, options.email);
  else if (options.email) await signIn(page, options.email, DEMO_PASSWORD);
  return { context, page, foreignRequests, pageErrors, close: () => context.close() };
}

async function signInByApi(context: BrowserContext, email: string): Promise<void> {
  const response = await context.request.post('/graphql', {
    data: {
      query:
        'mutation SignIn($email: String!, $password: String!) { signIn(email: $email, password: $password) { user { id } errors { message } } }',
      variables: { email, password: DEMO_PASSWORD },
    },
  });
  const body = (await response.json()) as {
    data?: { signIn?: { user: { id: string } | null; errors: { message: string }[] } };
  };
  if (!body.data?.signIn?.user) {
    throw new Error(`could not sign in ${email}: ${JSON.stringify(body)}`);
  }
}

/**
 * The sessions of one test file on the run's Chromium: `open` is `openSession` there. When the
 * file ends, none of them may have asked anything of another server or thrown in the page.
 */
export function sessionsOfFile(): { open: (options?: SessionOptions) => Promise<Session> } {
  const baseUrl = inject('baseUrl');
  let browser: Browser | undefined;
  const sessions: Session[] = [];
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
  return {
    open: async (options) => {
      if (!browser) throw new Error('sessions open in tests and hooks, after the browser');
      const session = await openSession(browser, baseUrl, options);
      sessions.push(session);
      return session;
    },
  };
}

/** Connects to the run's one Chromium (see global-setup). */
export function sharedBrowser(): Promise<Browser> {
  return connectBrowser(inject('browserWSEndpoint'));
}

function watchErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
}

/** Polls `read` until the expectation chained on the result holds (the page updates on its own). */
export function eventually<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: PATIENCE, interval: 100 });
}

/**
 * Scrolls `region` onto the screen, as a reader would, and waits until the browser has drawn it:
 * long tables below the first screen are drawn only as they come near it (content-visibility),
 * and their drawn text (`innerText`) is empty until then.
 */
export async function inView(region: Locator): Promise<void> {
  await region.scrollIntoViewIfNeeded();
  // biome-ignore lint/performance/useDomNodeTextContent: the drawn text is the point; the DOM's is there before.
  await eventually(async () => (await region.innerText()).trim().length).toBeGreaterThan(0);
}

/** The value (`<dd>`) shown for the term (`<dt>`) with exactly this text inside `scope`. */
export function definition(scope: Locator | Page, term: string): Locator {
  return scope
    .getByRole('term')
    .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(term)}\\s*$`) })
    .locator('xpath=following-sibling::dd[1]');
}

/** A figure of the totals panel (e.g. "Partnerships") as a number, once it is shown. */
export async function totalsFigure(page: Page, term: string): Promise<number> {
  const value = definition(page.getByRole('region', { name: /^(Totals|Summen|Gesamt)/ }), term);
  await value.waitFor();
  return parseCount((await value.textContent()) ?? '');
}

/** The value cell of an indicator's row in a goal card, e.g. `indicatorCell(page, 'U1')`. */
export function indicatorCell(page: Page, code: string): Locator {
  return page
    .getByRole('article')
    .getByRole('row', { name: new RegExp(`^${escapeRegExp(code)} `) })
    .getByRole('cell')
    .first();
}

/** The leading count of a cell such as "111" or "111 of 55 (56%)", grouping separators dropped. */
export async function leadingCount(cell: Locator): Promise<number> {
  await cell.waitFor();
  return parseCount(((await cell.textContent()) ?? '').trim().split(/\s/)[0] ?? '');
}

/** Reads an integer written with English or German grouping ("4,583", "4.583"). */
export function parseCount(text: string): number {
  const digits = text.trim().replace(/[\s,.\u202f\u00a0]/g, '');
  if (!/^-?\d+$/.test(digits)) throw new Error(`not a count: "${text}"`);
  return Number(digits);
}

/** Escapes a literal for use inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
