import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeRegExp, eventually, type Session, sessionsOfFile } from '../support/session.ts';

// The evaluation report of one partnership for 2025, as the Federal Foreign Office prints it:
// Chromium's own PDF of the page holds the figures the API gives for the same scope, and none of
// the page's navigation. Nothing here changes data; the figures compared are read from the API
// at the same time as the report.

const sessions = sessionsOfFile();
let monitor: Session;
let partnershipId = '';
const YEAR = { from: '2025-01-01', to: '2025-12-31' };

interface Figures {
  totals: Record<
    'partnerships' | 'cities' | 'departments' | 'exchanges' | 'outcomes' | 'participants',
    number
  >;
  goals: {
    indicators: { indicator: { code: string; name: string }; unit: string; value: number | null }[];
  }[];
}

/** Asks the API, with the page's session, what the report is to show. */
async function graphql<T>(session: Session, query: string, variables = {}): Promise<T> {
  const response = await session.context.request.post('/graphql', { data: { query, variables } });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data || body.errors) throw new Error(`GraphQL failed: ${JSON.stringify(body)}`);
  return body.data;
}

/** The text of each page of a PDF, its runs joined by single spaces. */
async function pdfPages(pdf: Buffer): Promise<string[]> {
  const document = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    const runs = content.items.map((item) => ('str' in item ? item.str : ''));
    pages.push(runs.join(' ').replace(/\s+/g, ' '));
  }
  await document.destroy();
  return pages;
}

/** Opens a report and waits until its figures are there and every chart is drawn. */
async function openReport(page: Page, query: string, heading: string): Promise<void> {
  await page.goto(`/report?${query}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.locator('.report .totals').first().waitFor();
  await eventually(() => page.locator('.chart-loading, .state--loading').count()).toBe(0);
  const canvases = await page.locator('.report .chart-panel__canvas').count();
  expect(canvases).toBeGreaterThan(0);
  await eventually(() => page.locator('.report .chart-panel__canvas svg').count()).toBe(canvases);
}

const reportQuery = () =>
  `partnership=${encodeURIComponent(partnershipId)}&from=${YEAR.from}&to=${YEAR.to}`;

beforeAll(async () => {
  monitor = await sessions.open({ email: 'monitor@demo.udx', via: 'api' });
  const data = await graphql<{
    partnerships: {
      edges: {
        node: { id: string; germanCity: { name: string }; partnerCity: { name: string } };
      }[];
    };
  }>(
    monitor,
    '{ partnerships(first: 100) { edges { node { id germanCity { name } partnerCity { name } } } } }',
  );
  const bonnOxford = data.partnerships.edges.find(
    (e) => e.node.germanCity.name === 'Bonn' && e.node.partnerCity.name === 'Oxford',
  );
  if (!bonnOxford) throw new Error('the demo data set has no partnership Bonn – Oxford');
  partnershipId = bonnOxford.node.id;
});

describe('evaluation report', () => {
  it("prints to an A4 PDF with the API's figures for the scope and year, a page for each goal and SDG, and no navigation", async () => {
    const { page } = monitor;
    await page.setViewportSize({ width: 1366, height: 768 });
    const { dashboard } = await graphql<{ dashboard: Figures }>(
      monitor,
      `query ($scope: ScopeInput) { dashboard(scope: $scope) {
        totals { partnerships cities departments exchanges outcomes participants }
        goals { indicators { indicator { code name } unit value } }
      } }`,
      { scope: { partnershipId, ...YEAR } },
    );
    await openReport(page, reportQuery(), 'Evaluation report');

    // The title a browser suggests as the PDF's file name says what it covers.
    expect(await page.title()).toBe('Evaluation report, Bonn – Oxford, 2025 · udx');

    // On screen: the button that prints, and the exports of the same scope and period.
    await page.getByRole('button', { name: 'Print / Save as PDF' }).waitFor();
    const excel = page.getByRole('link', { name: /^Indicators with their series/ });
    const href = (await excel.getAttribute('href')) ?? '';
    expect(href).toBe(
      `/export/indicators.xlsx?partnershipId=${encodeURIComponent(partnershipId)}&from=${YEAR.from}&to=${YEAR.to}&lang=en`,
    );
    const csv = await monitor.context.request.get(
      (await page.getByRole('link', { name: 'Indicators (CSV)' }).getAttribute('href')) ?? '',
    );
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-disposition']).toContain('udx-indicators-bonn-oxford-2025.csv');

    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = await pdfPages(pdf);
    const text = pages.join(' ');

    // The first page: what the report covers, when it was made, the totals with their changes.
    expect(pages[0]).toContain('Evaluation report');
    expect(pages[0]).toContain('Figures of the partnership Bonn – Oxford, 2025');
    expect(pages[0]).toMatch(/Report made on \w{3} \d{1,2}, \d{4}/);
    const count = new Intl.NumberFormat('en-GB');
    for (const [key, label] of [
      ['exchanges', 'Exchanges'],
      ['outcomes', 'Outcomes'],
      ['participants', 'Participants'],
      ['departments', 'Departments'],
    ] as const) {
      // The figure, then its change against the year before ("± 0 vs 2024", "▲ 2 vs 2024",
      // the triangle drawn).
      expect(pages[0]).toMatch(
        new RegExp(
          `${label} ${escapeRegExp(count.format(dashboard.totals[key]))} (± )?[\\d,]+ vs 2024`,
        ),
      );
    }
    // Each indicator of the three goals with the value the API computed.
    const indicators = dashboard.goals.flatMap((g) => g.indicators);
    expect(indicators).toHaveLength(15);
    for (const { indicator, unit, value } of indicators) {
      const shown =
        value === null
          ? '–'
          : unit === 'PERCENT'
            ? new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(
                value / 100,
              )
            : new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }).format(value);
      expect(text).toMatch(
        new RegExp(`${indicator.code} ${escapeRegExp(indicator.name)} ${escapeRegExp(shown)}`),
      );
    }
    expect(text).toContain('How the figures are computed');
    expect(text).toMatch(/http:\/\/[^ ]+\/methodology/);

    // Each goal and each SDG starts a page of its own.
    for (const goal of ['Understand', 'Shape', 'Network']) {
      expect(pages.filter((p) => p.startsWith(`${goal} `)).length, goal).toBe(1);
    }
    for (let sdg = 1; sdg <= 17; sdg++) {
      const starting = pages.filter((p) => new RegExp(`^SDG ${sdg}: `).test(p));
      expect(starting.length, `SDG ${sdg}`).toBe(1);
      expect(starting[0]?.match(/\bSDG \d+: /g), `SDG ${sdg}`).toHaveLength(1);
    }
    expect(pages.length).toBeGreaterThanOrEqual(21);

    // Nothing of the page's navigation, account controls or buttons is printed.
    for (const absent of [
      'Sign out',
      'Print / Save as PDF',
      'Skip to main content',
      'Show table',
      'Menu',
    ]) {
      expect(text, absent).not.toContain(absent);
    }
    expect(text).not.toContain('Federal Foreign Office');

    // The print layout the browser's own print dialog shows: the page alone, no navigation and
    // no button. (After the PDF: emulating print lays the charts out anew at the screen's width.)
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation', { name: 'Main navigation' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print / Save as PDF' }).isVisible()).toBe(false);
    await page.emulateMedia({ media: null });
  });

  it('is linked from the header with the filters of the page shown', async () => {
    const { page } = monitor;
    await page.goto(`/?${reportQuery()}`);
    await page.getByRole('heading', { level: 1, name: 'Programme overview' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Report', exact: true })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Evaluation report' }).waitFor();
    const url = new URL(page.url());
    expect(url.pathname).toBe('/report');
    expect(url.searchParams.get('partnership')).toBe(partnershipId);
    expect(url.searchParams.get('from')).toBe(YEAR.from);
    expect(url.searchParams.get('to')).toBe(YEAR.to);
    await page.getByText('Figures of the partnership Bonn – Oxford, 2025').waitFor();
  });

  it('speaks German', async () => {
    const german = await sessions.open({ email: 'monitor@demo.udx', via: 'api', locale: 'de-DE' });
    const { page } = german;
    await openReport(page, reportQuery(), 'Bericht für die Evaluation');
    for (const heading of ['Wie die Zahlen berechnet werden', 'Verstehen', 'Gesamtzahlen']) {
      await page.getByRole('heading', { level: 2, name: heading }).waitFor();
    }
    await page.getByText('Zahlen der Partnerschaft Bonn – Oxford, 2025').waitFor();
    await page.getByText(/^Bericht erstellt am /).waitFor();
    await page.getByRole('button', { name: 'Drucken / Als PDF speichern' }).waitFor();
    const href = await page.getByRole('link', { name: 'Indikatoren (CSV)' }).getAttribute('href');
    expect(href).toContain('lang=de');
  });
});
