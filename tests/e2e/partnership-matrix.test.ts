import type { BrowserContext, Locator } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { eventually, parseCount, sessionsOfFile, totalsFigure } from '../support/session.ts';

// Who lags behind on Network in 2026, as the Foreign Office asks it: the matrix lists every
// partnership of the programme, those without activity too; "Behind" puts the partnerships with
// the most indicators at risk or off track first (counted and ordered by the server, which serves
// the rows a page at a time); a cell opens the partnership's indicator. Nothing here changes data.

const baseUrl = inject('baseUrl');
const YEAR_2026 = 'from=2026-01-01&to=2026-12-31';
const sessions = sessionsOfFile();

/** The count of indicators behind in each row, top to bottom. */
async function behindCounts(matrix: Locator): Promise<number[]> {
  const cells = await matrix.locator('tbody td[data-column="behind"]').allInnerTexts();
  return cells.map(parseCount);
}

/** The partnerships of the programme in 2026 as the server orders the breakdown. */
async function serverOrder(
  context: BrowserContext,
  order: { orderBy: string; descending: boolean; indicator?: string; goal?: string },
): Promise<string[]> {
  const query = `query Order($scope: ScopeInput, $orderBy: BreakdownOrder!, $descending: Boolean!,
      $indicator: String, $goal: ProgrammeGoal) {
    dashboard(scope: $scope) {
      breakdownPage(orderBy: $orderBy, descending: $descending, indicator: $indicator,
          goal: $goal, first: 100) {
        edges { node { partnership { id } } }
      }
    }
  }`;
  const variables = { scope: { from: '2026-01-01', to: '2026-12-31' }, ...order };
  const response = await context.request.post('/graphql', { data: { query, variables } });
  const body = (await response.json()) as {
    data?: { dashboard: { breakdownPage: { edges: { node: { partnership: { id: string } } }[] } } };
  };
  if (!body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body)}`);
  return body.data.dashboard.breakdownPage.edges.map((edge) => edge.node.partnership.id);
}

/** The partnership of each row, top to bottom. */
function shownOrder(matrix: Locator): Promise<string[]> {
  return matrix
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-partnership') ?? ''));
}

describe('the partnerships × indicators matrix', () => {
  it('lists every partnership on the Network page for 2026, sorts the most behind first and opens a cell', async () => {
    const { page } = await sessions.open({ email: 'monitor@demo.udx', via: 'api' });
    // The number of partnerships the server reports for the programme in 2026.
    await page.goto(`/?${YEAR_2026}`);
    const total = await totalsFigure(page, 'Partnerships');
    expect(total).toBeGreaterThan(0);

    await page.goto(`/goals/network?${YEAR_2026}`);
    await page.getByRole('heading', { level: 1, name: 'Programme goal: Network' }).waitFor();
    const matrix = page.getByRole('region', { name: 'Breakdown by partnership', exact: true });
    const table = matrix.getByRole('table');
    const rows = table.locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(total);
    // The wide table scrolls in a region keyboard users can reach.
    await matrix.getByRole('region', { name: 'Indicator matrix (scrolls sideways)' }).focus();
    // A partnership without targets of its own says so once, in its row header.
    const notes = await table
      .locator('tbody th')
      .getByText('No target of its own for 2026')
      .count();
    expect(notes).toBeGreaterThan(0);
    expect(notes).toBeLessThan(total);
    // All of them fit on one page: no pager.
    expect(await matrix.getByRole('navigation', { name: 'Pages of the breakdown' }).count()).toBe(
      0,
    );
    expect(await matrix.getByText(/^Rows \d/).count()).toBe(0);

    // A column orders the rows as the server orders them: N3 lowest first (partnerships without
    // a value last), then highest first.
    const byCity = await shownOrder(table);
    const n3 = table.getByRole('button', { name: /^N3/ });
    const n3Header = table.getByRole('columnheader', { name: /^N3/ });
    await n3.click();
    await eventually(() => n3Header.getAttribute('aria-sort')).toBe('ascending');
    expect(await shownOrder(table)).toEqual(
      await serverOrder(page.context(), {
        orderBy: 'INDICATOR',
        indicator: 'N3',
        descending: false,
      }),
    );
    await n3.click();
    await eventually(() => n3Header.getAttribute('aria-sort')).toBe('descending');
    expect(await shownOrder(table)).toEqual(
      await serverOrder(page.context(), {
        orderBy: 'INDICATOR',
        indicator: 'N3',
        descending: true,
      }),
    );
    expect(await n3Header.getAttribute('aria-sort')).toBe('descending');
    expect(await shownOrder(table)).not.toEqual(byCity);

    // "Behind", sorted from the keyboard: most behind first, then the other way round.
    const behind = table.getByRole('button', { name: /^Behind/ });
    const behindHeader = table.getByRole('columnheader', { name: /^Behind/ });
    await behind.focus();
    await page.keyboard.press('Enter');
    await eventually(() => behindHeader.getAttribute('aria-sort')).toBe('descending');
    expect(await n3Header.getAttribute('aria-sort')).toBeNull();
    const counts = await behindCounts(table);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts[0]).toBeGreaterThan(0);
    // the server's order, counting the goal's indicators only; ties by more off track
    const mostBehind = await serverOrder(page.context(), {
      orderBy: 'BEHIND',
      descending: true,
      goal: 'NETWORK',
    });
    expect(await shownOrder(table)).toEqual(mostBehind);
    const first = rows.first();
    // its status says so in words, beside the symbol
    await first
      .getByText(/(At risk|Off track)$/)
      .first()
      .waitFor();
    await page.keyboard.press('Space');
    await eventually(() => behindHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(await behindCounts(table)).toEqual([...counts].reverse().sort((a, b) => a - b));
    expect(await shownOrder(table)).toEqual(
      await serverOrder(page.context(), { orderBy: 'BEHIND', descending: false, goal: 'NETWORK' }),
    );
    await page.keyboard.press('Enter');
    await eventually(() => behindHeader.getAttribute('aria-sort')).toBe('descending');
    expect(await shownOrder(table)).toEqual(mostBehind);

    // The first row's N3 cell opens N3 for that partnership in 2026.
    const partnership = (await first.getAttribute('data-partnership')) ?? '';
    expect(partnership).not.toBe('');
    const name = (
      (await first.getByRole('rowheader').getByRole('link').textContent()) ?? ''
    ).trim();
    const cell = first.locator('td[data-column="N3"]').getByRole('link');
    const href = new URL((await cell.getAttribute('href')) ?? '', baseUrl);
    expect(href.pathname).toBe('/indicators/N3');
    expect(Object.fromEntries(href.searchParams)).toEqual({
      from: '2026-01-01',
      to: '2026-12-31',
      partnership,
    });
    await cell.click();
    await page.getByRole('heading', { level: 1, name: /^N3 / }).waitFor();
    await eventually(() => new URL(page.url()).searchParams.get('partnership')).toBe(partnership);
    const chosen = page.getByLabel('Partnership').locator('option:checked');
    expect(((await chosen.textContent()) ?? '').trim()).toBe(name);
  });
});
