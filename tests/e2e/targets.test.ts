import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eventually, sessionsOfFile } from '../support/session.ts';

// SKEW sets a partnership's own targets on its page, from the keyboard, on a phone and in
// German; a city account reads them and cannot change them. The year 2027 has no partnership
// targets in the demo data, so the figures the other tests read (2026 and before) stay as they are.

const sessions = sessionsOfFile();
const YEAR_2027 = 'from=2027-01-01&to=2027-12-31';

/** The global id of a partnership of Bonn, as the API names it. */
async function aBonnPartnership(context: BrowserContext): Promise<string> {
  const response = await context.request.post('/graphql', {
    data: {
      query: '{ partnerships(first: 100) { edges { node { id germanCity { name } } } } }',
    },
  });
  const body = (await response.json()) as {
    data: {
      partnerships: {
        edges: { node: { id: string; germanCity: { name: string } } }[];
      };
    };
  };
  const found = body.data.partnerships.edges.find((e) => e.node.germanCity.name === 'Bonn');
  if (!found) throw new Error(`no partnership of Bonn: ${JSON.stringify(body)}`);
  return found.node.id;
}

describe("a partnership's own targets", () => {
  it('are set by SKEW on the partnership page, from the keyboard, on a phone in German', async () => {
    const { context, page } = await sessions.open({
      email: 'evaluator@demo.udx',
      via: 'api',
      locale: 'de',
    });
    await page.setViewportSize({ width: 390, height: 844 });
    const id = await aBonnPartnership(context);
    await page.goto(`/partnerships/${encodeURIComponent(id)}?${YEAR_2027}`);
    const section = page.getByRole('region', { name: 'Zielwerte 2027' });
    // Without targets of its own the partnership says so once, not "no target" in every row.
    const goals = page.getByRole('region', { name: 'Programmziele' });
    const once = goals.getByText('Diese Partnerschaft hat für 2027 keine eigenen Zielwerte', {
      exact: false,
    });
    await once.waitFor();
    expect(await goals.getByText('Kein Zielwert').count()).toBe(0);
    await section.getByRole('table').waitFor();

    // A target of U1: typed, then saved with Enter; the page says so and the note goes.
    const u1 = section.getByRole('textbox', { name: 'Zielwert von U1' });
    await u1.focus();
    await page.keyboard.type('12');
    await page.keyboard.press('Enter');
    await section
      .getByRole('status')
      .getByText('Zielwert von U1 für 2027 gespeichert: 12.')
      .waitFor();
    await eventually(() => once.count()).toBe(0);

    // A percentage above 100 is refused beside its field, which receives focus.
    const u5 = section.getByRole('textbox', { name: 'Zielwert von U5' });
    await u5.fill('120');
    await section.getByRole('button', { name: 'Zielwert von U5 speichern' }).click();
    await section.getByText('Ein Prozentsatz: höchstens 100.').waitFor();
    await eventually(() => u5.evaluate((input) => input === document.activeElement)).toBe(true);
    expect(await u5.getAttribute('aria-invalid')).toBe('true');

    // The partnership's U1 is now judged against its own target for 2027.
    await page.reload();
    const goalRow = page.getByRole('row', { name: /U1/ }).filter({ hasText: 'von 12' });
    await goalRow.first().waitFor();
    expect(await section.getByRole('textbox', { name: 'Zielwert von U1' }).inputValue()).toBe('12');
  });

  it('are read, not changed, by the city', async () => {
    const { context, page } = await sessions.open({ email: 'viewer.bonn@demo.udx', via: 'api' });
    const id = await aBonnPartnership(context);
    await page.goto(`/partnerships/${encodeURIComponent(id)}?${YEAR_2027}`);
    const section = page.getByRole('region', { name: 'Targets 2027' });
    await section.getByRole('table').waitFor();
    expect(await section.getByRole('textbox').count()).toBe(0);
    expect(await section.getByRole('button', { name: /Save/ }).count()).toBe(0);
  });
});
