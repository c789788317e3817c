import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from '../support/browser.ts';
import { eventually, type Session, sessionsOfFile } from '../support/session.ts';

// The widget for city websites (README, "Widget for city websites"): a city copies the snippet
// from its partnership's page into a page of its own website, on another origin; Chromium shows
// the card there, accessible and light, while a signed-in page of udx framed the same way is
// refused.

const baseUrl = inject('baseUrl');
const sessions = sessionsOfFile();
const PARTNERSHIP = 'Bonn – Oxford';

/** The city's website: another origin (another host name and port) than udx. */
let city: Server;
let cityOrigin: string;
let cityPage = '';
let editor: Session;
let snippet = '';
let partnershipId = '';

beforeAll(async () => {
  city = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(cityPage);
  });
  await new Promise<void>((resolve) => city.listen(0, '127.0.0.1', resolve));
  cityOrigin = `http://localhost:${(city.address() as AddressInfo).port}`;
  editor = await sessions.open({
    email: 'editor.bonn@demo.udx',
    via: 'api',
    otherOrigins: [cityOrigin],
  });
  const answer = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query: '{ publicProgramme { partnerships { id name } } }' }),
  });
  const { data } = (await answer.json()) as {
    data: { publicProgramme: { partnerships: { id: string; name: string }[] } };
  };
  partnershipId = data.publicProgramme.partnerships.find((p) => p.name === PARTNERSHIP)?.id ?? '';
  expect(partnershipId).not.toBe('');
});

afterAll(async () => {
  await new Promise((resolve) => city?.close(resolve));
});

/** A page of the city's website holding `body`. */
function cityPageWith(body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>City of Bonn</title></head><body><main><h1>Our twin towns</h1>${body}</main></body></html>`;
}

/** The frame an iframe of the page shows, once it has loaded. */
async function frameOf(page: Page, selector: string): Promise<Frame> {
  const frame = await (await page.waitForSelector(selector)).contentFrame();
  if (!frame) throw new Error(`${selector} shows no frame`);
  await frame.waitForLoadState();
  return frame;
}

describe('the widget for city websites', () => {
  it('offers the snippet on the partnership’s page, and copies it', async () => {
    const { page, context } = editor;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    await page.goto(`/partnerships/${encodeURIComponent(partnershipId)}`);
    const section = page.getByRole('region', { name: 'Show on your website' });
    const code = section.getByLabel('Code to paste');
    await code.waitFor();
    snippet = await code.inputValue();
    expect(snippet).toBe(
      `<iframe src="${baseUrl}/embed/partnerships/${encodeURIComponent(partnershipId)}?lang=en" ` +
        `title="Partnership ${PARTNERSHIP} in figures" width="420" height="300" loading="lazy" style="border:0"></iframe>`,
    );
    await section.getByRole('button', { name: 'Copy code' }).click();
    await eventually(() => section.getByRole('status').textContent()).toBe('The code is copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
  });

  it('shows the card in a frame of a page on another origin, accessible and whole', async () => {
    const { page } = editor;
    const german = snippet.replace('?lang=en', '?lang=de').replace('<iframe ', '<iframe id="de" ');
    cityPage = cityPageWith(`${snippet.replace('<iframe ', '<iframe id="en" ')}${german}`);
    const loaded: string[] = [];
    const listener = (request: { url(): string }) => loaded.push(request.url());
    page.on('request', listener);
    await page.goto(`${cityOrigin}/twin-towns`);
    for (const [selector, goal] of [
      ['#en', 'Understand'],
      ['#de', 'Verstehen'],
    ] as const) {
      const frame = await frameOf(page, selector);
      await frame.getByRole('heading', { level: 1, name: PARTNERSHIP }).waitFor();
      await frame.getByRole('heading', { level: 2, name: goal }).waitFor();
      expect(await frame.getByRole('img').count()).toBe(3);
      expect(await frame.getByRole('link').getAttribute('href')).toBe(
        `/public/partnerships/${encodeURIComponent(partnershipId)}`,
      );
      const violations = await accessibilityViolations(frame, { bestPractice: true });
      expect(violations.map((v) => `${selector} ${v.id}: ${v.help}`)).toEqual([]);
      // the snippet's size holds the whole card: nothing to scroll inside the frame
      const overflow = await frame.evaluate(() => ({
        down: document.documentElement.scrollHeight - document.documentElement.clientHeight,
        sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      }));
      expect(overflow, selector).toEqual({ down: 0, sideways: 0 });
    }
    page.off('request', listener);
    // the card loads nothing but itself
    expect(
      loaded.filter((url) => url.startsWith(baseUrl)).map((url) => new URL(url).pathname),
    ).toEqual([
      `/embed/partnerships/${encodeURIComponent(partnershipId)}`,
      `/embed/partnerships/${encodeURIComponent(partnershipId)}`,
    ]);
  });

  it('stays within its size budget of 15 KB gzip', async () => {
    for (const language of ['en', 'de']) {
      const response = await fetch(
        `${baseUrl}/embed/partnerships/${encodeURIComponent(partnershipId)}?lang=${language}`,
      );
      expect(response.status).toBe(200);
      const body = Buffer.from(await response.arrayBuffer());
      expect(gzipSync(body).length).toBeLessThanOrEqual(15 * 1024);
    }
  });

  it('refuses to show a signed-in page of udx in the same kind of frame', async () => {
    const { page } = editor;
    const signedIn = `${baseUrl}/partnerships/${encodeURIComponent(partnershipId)}`;
    cityPage = cityPageWith(
      `<iframe id="udx" src="${signedIn}" title="udx" width="800" height="600"></iframe>`,
    );
    const answer = page.waitForResponse(signedIn);
    await page.goto(`${cityOrigin}/dashboard-in-a-frame`);
    // udx answered, and Chromium put its error page in the frame instead of the answer
    expect((await answer).status()).toBe(200);
    expect((await (await answer).allHeaders())['content-security-policy']).toContain(
      "frame-ancestors 'none'",
    );
    const frame = await frameOf(page, '#udx');
    await eventually(() => frame.url()).toBe('chrome-error://chromewebdata/');
    expect(await frame.getByRole('heading').count()).toBe(0);
    // the same page opened on its own shows the partnership: the session was there
    await page.goto(signedIn);
    await page.getByRole('heading', { level: 1, name: new RegExp(PARTNERSHIP) }).waitFor();
  });
});
