import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { indicatorCell, leadingCount, sessionsOfFile } from '../support/session.ts';

// Every page that shows figures links its exports: the same scope and period in the page's
// language, and the file holds the figures the page shows (README, "Exports").

const sessions = sessionsOfFile();

describe('the export links of a page', () => {
  it("download the Network page's figures for 2025, in German, as the page shows them", async () => {
    const { page, context } = await sessions.open({
      email: 'monitor@demo.udx',
      via: 'api',
      locale: 'de',
    });
    await page.goto('/goals/network?from=2025-01-01&to=2025-12-31');
    const line = page.getByText('Diese Zahlen herunterladen:');
    await line.waitFor();
    const csvLink = line.getByRole('link', { name: 'Indikatoren (CSV)' });
    const href = (await csvLink.getAttribute('href')) ?? '';
    const url = new URL(href, 'http://udx');
    expect(url.pathname).toBe('/export/indicators.csv');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      from: '2025-01-01',
      to: '2025-12-31',
      lang: 'de',
    });
    // Every file of the page is there, each named by what it holds and its format.
    expect(await line.getByRole('link').allInnerTexts()).toEqual([
      'Indikatoren (Excel)',
      'Indikatoren (CSV)',
      'Austausche (Excel)',
      'Ergebnisse (Excel)',
      'Gemeldete Werte (Excel)',
      'IATI (XML)',
    ]);

    const response = await context.request.get(href);
    expect(response.status()).toBe(200);
    const rows = parse(await response.text(), { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    for (const code of ['N1', 'N2', 'N3', 'N4', 'N5']) {
      const row = rows.find((r) => r.Kürzel === code);
      expect(Number(row?.['Wert (Zeitraum)']), code).toBe(
        await leadingCount(indicatorCell(page, code)),
      );
    }
  });

  it("carry a partnership page's partnership", async () => {
    const { page } = await sessions.open({ email: 'monitor@demo.udx', via: 'api' });
    await page.goto('/?period=all');
    const first = page
      .getByRole('region', { name: 'Breakdown by partnership' })
      .getByRole('row')
      .nth(1);
    const link = first.getByRole('rowheader').getByRole('link');
    // The row's link keeps the page's period: all years.
    const rowLink = new URL((await link.getAttribute('href')) ?? '', 'http://udx');
    expect(Object.fromEntries(rowLink.searchParams)).toEqual({ period: 'all' });
    const partnership = decodeURIComponent(rowLink.pathname.replace('/partnerships/', ''));
    await link.click();
    await page.getByRole('heading', { level: 1, name: /^Partnership / }).waitFor();
    const excel = page.getByRole('link', { name: 'Indicators (Excel)', exact: true });
    const url = new URL((await excel.getAttribute('href')) ?? '', 'http://udx');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      partnershipId: partnership,
      lang: 'en',
    });
  });
});
