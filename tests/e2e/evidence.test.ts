import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { escapeRegExp, eventually, parseCount, sessionsOfFile } from '../support/session.ts';

// The evidence behind a figure: from an indicator value to the records it counts, and from there
// to the exchange; an editor changes and deletes exchanges on the exchange's page.

const sessions = sessionsOfFile();

/** Presses Enter on a link or button reached by keyboard focus, as a keyboard user would. */
async function press(page: Page, target: ReturnType<Page['getByRole']>): Promise<void> {
  await target.focus();
  await page.keyboard.press('Enter');
}

/** Asks the API from the page, with the page's session; the answer's data. */
async function api<T>(
  page: Page,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  return page.evaluate(
    async ({ query, variables }) => {
      const answer = await fetch('/graphql', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      const body = await answer.json();
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    },
    { query, variables },
  );
}

interface BonnOxford {
  id: string;
  bonn: string;
  departments: string[];
}

/** Bonn – Oxford as the editor of Bonn sees it: its id, Bonn's id, a department of each city. */
async function bonnOxford(page: Page): Promise<BonnOxford> {
  type Department = { id: string };
  type Node = {
    id: string;
    germanCity: { id: string; departments: Department[] };
    partnerCity: { name: string; departments: Department[] };
  };
  const data = await api<{ partnerships: { edges: { node: Node }[] } }>(
    page,
    `{ partnerships(first: 10) { edges { node { id
        germanCity { id departments { id } } partnerCity { name departments { id } } } } } }`,
  );
  const p = data.partnerships.edges
    .map((edge) => edge.node)
    .find((node) => node.partnerCity.name === 'Oxford');
  const departments = [p?.germanCity.departments[0]?.id, p?.partnerCity.departments[0]?.id];
  if (!p || !departments[0] || !departments[1]) throw new Error('no Bonn – Oxford to record in');
  return { id: p.id, bonn: p.germanCity.id, departments: [departments[0], departments[1]] };
}

/** Records an exchange of Bonn – Oxford as the signed-in editor of Bonn; its id. */
async function recordExchange(page: Page, p: BonnOxford, title: string): Promise<string> {
  const data = await api<{ recordExchange: { exchange: { id: string } } }>(
    page,
    `mutation R($input: RecordExchangeInput!) {
      recordExchange(input: $input) { exchange { id } errors { message } } }`,
    {
      input: {
        partnershipId: p.id,
        kind: 'TECHNICAL',
        format: 'VIRTUAL',
        title,
        startsOn: '2026-11-27',
        hostCityId: p.bonn,
        departmentIds: p.departments,
        participantCount: 3,
        governanceLevels: ['MUNICIPAL'],
        topics: [],
        sdgTargets: ['11.6'],
      },
    },
  );
  return data.recordExchange.exchange.id;
}

/** Records an achieved joint project of an exchange of Bonn – Oxford, as the editor of Bonn. */
async function recordOutcome(page: Page, p: BonnOxford, exchangeId: string, title: string) {
  await api(
    page,
    `mutation O($input: RecordOutcomeInput!) { recordOutcome(input: $input) { errors { message } } }`,
    {
      input: {
        partnershipId: p.id,
        exchangeId,
        kind: 'JOINT_PROJECT',
        status: 'ACHIEVED',
        title,
        date: '2026-11-28',
        sdgTargets: ['11.2'],
      },
    },
  );
}

describe('the records behind a figure', () => {
  it("leads from a partnership's S3 value to the outcomes it counts and on to an exchange, by keyboard", async () => {
    // A joint project Bonn and Oxford achieved out of an exchange, the latest S3 counts.
    const editor = await sessions.open({ email: 'editor.bonn@demo.udx', via: 'api' });
    await editor.page.goto('/methodology');
    const bonn = await bonnOxford(editor.page);
    const stamp = Date.now();
    const exchangeId = await recordExchange(editor.page, bonn, `School streets visit ${stamp}`);
    await recordOutcome(editor.page, bonn, exchangeId, `School streets pilot ${stamp}`);

    const { page } = await sessions.open({ email: 'evaluator@demo.udx', via: 'api' });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`/partnerships/${encodeURIComponent(bonn.id)}?period=all`);
    await page.getByRole('heading', { level: 1, name: /Bonn.*Oxford/ }).waitFor();
    const s3 = page.getByRole('article').getByRole('row', { name: /^S3 / });
    // Over all years the value reads "All years: 12"; the count follows the label.
    const cell = ((await s3.getByRole('cell').first().textContent()) ?? '').replace(/^[^:]*:/, '');
    const value = parseCount(cell.trim().split(/\s/)[0] ?? '');
    await press(page, s3.getByRole('link', { name: /^S3 / }));
    await page.getByRole('heading', { level: 1, name: /^S3 / }).waitFor();

    const records = page.getByRole('region', { name: 'Records behind this value' });
    const range = records.getByRole('status');
    await range.getByText(/^Records /).waitFor();
    // For a count of records, the list's total is the value the partnership's page showed.
    const total = parseCount(((await range.textContent()) ?? '').replace(/^.* of /, ''));
    expect(total).toBe(value);
    expect(value).toBeGreaterThan(0);
    const rows = records.locator('tbody tr');
    expect(await rows.count()).toBe(Math.min(total, 25));
    for (const status of await rows.locator('td').allInnerTexts()) {
      expect(status).toMatch(/Joint project · Achieved · Bonn – Oxford/);
    }

    // The latest outcome leads to the exchange that produced it.
    const latest = rows.first();
    await latest.getByRole('rowheader', { name: `School streets pilot ${stamp}` }).waitFor();
    await press(page, latest.getByRole('link', { name: `School streets visit ${stamp}` }));
    await page.getByRole('heading', { level: 1, name: `School streets visit ${stamp}` }).waitFor();
    const departments = page.getByRole('region', { name: 'Participating departments' });
    await departments.getByRole('heading', { level: 3, name: 'Bonn' }).waitFor();
    await departments.getByRole('heading', { level: 3, name: 'Oxford' }).waitFor();
    expect(await departments.getByRole('listitem').count()).toBeGreaterThan(0);
    const targets = page.getByRole('region', { name: 'SDG targets' });
    await targets
      .getByRole('listitem')
      .filter({ hasText: /^11\.6 / })
      .waitFor();
    // Its outcomes are listed on its page; an evaluator may not change it.
    await page
      .getByRole('region', { name: 'Outcomes of this exchange' })
      .getByRole('rowheader', { name: `School streets pilot ${stamp}` })
      .waitFor();
    expect(await page.getByRole('link', { name: 'Edit exchange' }).count()).toBe(0);

    // The programme's technical exchanges, a page at a time, the keyboard staying on Next.
    await page.goto('/indicators/U1?period=all');
    const all = page.getByRole('region', { name: 'Records behind this value' });
    const shown = all.getByRole('status');
    await shown.getByText(/^Records 1–25 of /).waitFor();
    const firstPage = await all.locator('tbody tr').allInnerTexts();
    const next = all.getByRole('button', { name: 'Next records' });
    await press(page, next);
    await shown.getByText(/^Records 26–50 of /).waitFor();
    expect(await next.evaluate((button) => button === document.activeElement)).toBe(true);
    const secondPage = await all.locator('tbody tr').allInnerTexts();
    expect(secondPage.filter((row) => firstPage.includes(row))).toEqual([]);
    await press(page, all.getByRole('button', { name: 'Previous records' }));
    await shown.getByText(/^Records 1–25 of /).waitFor();
    expect(await all.locator('tbody tr').allInnerTexts()).toEqual(firstPage);
  });

  it('lets the editor of Bonn change an exchange and delete one, on a phone in German', async () => {
    const { page } = await sessions.open({
      email: 'editor.bonn@demo.udx',
      via: 'api',
      locale: 'de-DE',
    });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/methodology');
    const bonn = await bonnOxford(page);
    const stamp = Date.now();
    const edited = await recordExchange(page, bonn, `Workshop ${stamp}`);
    const doomed = await recordExchange(page, bonn, `Entwurf ${stamp}`);
    await recordOutcome(page, bonn, edited, `Pilotprojekt ${stamp}`);

    // Edit: the form opens filled in; the new title is shown after saving.
    await page.goto(`/exchanges/${encodeURIComponent(edited)}`);
    await page.getByRole('heading', { level: 1, name: `Workshop ${stamp}` }).waitFor();
    await press(page, page.getByRole('link', { name: 'Austausch bearbeiten' }));
    await page.getByRole('heading', { level: 1, name: 'Austausch bearbeiten' }).waitFor();
    const title = page.getByLabel('Titel');
    await eventually(() => title.inputValue()).toBe(`Workshop ${stamp}`);
    expect(await page.getByLabel('Teilnehmende').inputValue()).toBe('3');
    await title.fill(`Schwammstadt-Workshop ${stamp}`);
    await press(page, page.getByRole('button', { name: 'Speichern' }));
    await page.getByRole('heading', { level: 1, name: `Schwammstadt-Workshop ${stamp}` }).waitFor();
    expect(page.url()).toMatch(
      new RegExp(`/exchanges/${escapeRegExp(encodeURIComponent(edited))}$`),
    );

    // Its outcome is changed from its row: dropped, it says so on the exchange's page.
    const outcomes = page.getByRole('region', { name: 'Ergebnisse dieses Austauschs' });
    await press(page, outcomes.getByRole('link', { name: `Bearbeiten: Pilotprojekt ${stamp}` }));
    await page.getByRole('heading', { level: 1, name: 'Ergebnis bearbeiten' }).waitFor();
    await eventually(() => page.getByLabel('Titel').inputValue()).toBe(`Pilotprojekt ${stamp}`);
    await page.getByLabel('Stand (Pflichtfeld)').selectOption({ label: 'Verworfen' });
    await press(page, page.getByRole('button', { name: 'Speichern' }));
    const row = page
      .getByRole('region', { name: 'Ergebnisse dieses Austauschs' })
      .getByRole('row', { name: new RegExp(`^Pilotprojekt ${stamp} `) });
    await row.getByRole('cell', { name: 'Verworfen' }).waitFor();
    await page.waitForURL(new RegExp(`/exchanges/${escapeRegExp(encodeURIComponent(edited))}$`));

    // The outcome, recorded by mistake after all, is deleted from its form after saying yes.
    await press(page, outcomes.getByRole('link', { name: `Bearbeiten: Pilotprojekt ${stamp}` }));
    await page.getByRole('heading', { level: 1, name: 'Ergebnis bearbeiten' }).waitFor();
    await press(page, page.getByRole('button', { name: 'Ergebnis löschen' }));
    const outcomeQuestion = page.getByRole('alertdialog');
    await outcomeQuestion.getByText(`Das Ergebnis „Pilotprojekt ${stamp}“ löschen?`).waitFor();
    await press(page, outcomeQuestion.getByRole('button', { name: 'Ja, löschen' }));
    await page.getByRole('heading', { level: 1, name: `Schwammstadt-Workshop ${stamp}` }).waitFor();
    await eventually(() => row.count()).toBe(0);

    // Delete, after saying yes; the partnership's list no longer has it.
    await page.goto(`/exchanges/${encodeURIComponent(doomed)}`);
    await page.getByRole('heading', { level: 1, name: `Entwurf ${stamp}` }).waitFor();
    await press(page, page.getByRole('button', { name: 'Austausch löschen' }));
    const question = page.getByRole('alertdialog');
    await question.getByText(`Den Austausch „Entwurf ${stamp}“ löschen?`).waitFor();
    await press(page, question.getByRole('button', { name: 'Ja, löschen' }));
    await page.getByRole('heading', { level: 1, name: /Bonn.*Oxford/ }).waitFor();
    const list = page.getByRole('region', { name: /^Austausche \(\d+\)$/ });
    await list.getByRole('link', { name: `Schwammstadt-Workshop ${stamp}` }).waitFor();
    expect(await list.getByRole('link', { name: `Entwurf ${stamp}` }).count()).toBe(0);
    await page.goto(`/exchanges/${encodeURIComponent(doomed)}`);
    await page.getByRole('heading', { level: 1, name: 'Seite nicht gefunden' }).waitFor();
  });
});
