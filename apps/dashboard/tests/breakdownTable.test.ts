import { DefaultApolloClient } from '@vue/apollo-composable';
import { describe, expect, it } from 'vitest';
import { createSSRApp, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { createMemoryHistory, createRouter } from 'vue-router';
import { createApolloClient } from '../src/apollo.ts';
import BreakdownTable from '../src/components/activity/BreakdownTable.vue';
import { createAppI18n } from '../src/i18n.ts';

/** A row as BreakdownTable's fragment selects it. */
function row(n: number) {
  return {
    partnership: {
      id: `P${n}`,
      germanCity: { id: `G${n}`, name: `German ${n}` },
      partnerCity: { id: `T${n}`, name: `Twin ${n}` },
    },
    totals: { exchanges: n, outcomes: 0, participants: 2 * n },
    hasOwnTargets: true,
    statusCounts: { behind: n % 3 },
    indicators: [
      {
        indicator: { id: 'I1', code: 'U1' },
        unit: 'COUNT',
        value: n,
        year: 2026,
        yearValue: n,
        target: 10,
        progress: n / 10,
        status: 'ON_TRACK',
        referenceDate: '2026-11-30',
      },
    ],
  };
}

/** The first page by German city as the page's query answers it: `shown` rows of `total`. */
function firstPage(shown: number, total: number) {
  return {
    totalCount: total,
    edges: Array.from({ length: shown }, (_, i) => ({ cursor: `c${i}`, node: row(i + 1) })),
  };
}

async function render(
  props: { connection: ReturnType<typeof firstPage>; pageSize?: number },
  locale: 'en' | 'de' = 'en',
) {
  const app = createSSRApp({
    render: () =>
      h(BreakdownTable, {
        ...props,
        // biome-ignore lint/suspicious/noExplicitAny: the fragment's masked type, filled by hand.
        connection: props.connection as any,
        variables: { scope: { from: '2026-01-01', to: '2026-12-31' } },
        indicators: [{ code: 'U1', name: 'Technical exchanges' }],
        note: 'Each row shows the figures of that partnership.',
        period: '2026',
      }),
  });
  app.use(createAppI18n(locale));
  app.use(
    createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/:any(.*)*', component: { render: () => null } }],
    }),
  );
  app.provide(
    DefaultApolloClient,
    createApolloClient(() => locale),
  );
  return renderToString(app);
}

const rowsOf = (html: string) => html.match(/<tr data-partnership=/g)?.length ?? 0;

describe('the breakdown table', () => {
  it('shows one page of a long list, with the rows it shows of the total and a pager', async () => {
    const html = await render({ connection: firstPage(10, 5000), pageSize: 10 });
    expect(rowsOf(html)).toBe(10);
    expect(html).toContain('Rows 1–10 of 5,000');
    expect(html).toContain('Partnerships (5,000) and their indicators');
    expect(html).toMatch(/aria-disabled="true"[^>]*>\s*Previous rows/);
    expect(html).toMatch(/aria-disabled="false"[^>]*>\s*Next rows/);
    const german = await render({ connection: firstPage(10, 5000), pageSize: 10 }, 'de');
    expect(german).toContain('Zeilen 1–10 von 5.000');
    expect(german).toContain('Nächste Zeilen');
  });

  it('has no pager when the scope fits on one page of 50', async () => {
    const html = await render({ connection: firstPage(24, 24) });
    expect(rowsOf(html)).toBe(24);
    expect(html).not.toContain('breakdown-pages');
    expect(html).not.toContain('Next rows');
    // by German city, as the column's aria-sort says
    expect(html).toMatch(/aria-sort="ascending"[^>]*>\s*<button[^>]*data-sort="partnership"/);
  });
});
