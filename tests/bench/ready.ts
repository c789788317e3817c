import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { signIn } from '../support/browser.ts';

/** Timings of one load of the overview, in ms from the navigation start of `/`. */
export interface OverviewLoad {
  /**
   * Both overview charts (exchanges over time, partnership map) show their shapes: drawn by the
   * server in the page's HTML (its first screen) or by the app.
   */
  ready: number;
  /** The app runs the page: it has taken the server's page over and drawn both charts itself. */
  live: number;
  domContentLoaded: number;
  /** When the last GraphQL answer before `ready` arrived. */
  lastGraphqlEnd: number;
  /** When the last JavaScript file before `ready` arrived. */
  lastScriptEnd: number;
  requests: number;
  /**
   * Main-thread work of the page's renderer until `ready` (Chromium's TaskDuration: scripts,
   * style, layout, paint), in ms: the part of `ready` that is work rather than waiting.
   */
  mainThread: number;
  /** Every file the page fetched before `ready`: path, start and end (ms). */
  timeline: { path: string; start: number; end: number }[];
}

const OVERVIEW_CHARTS = 2;

/** The middle value; for an even count, the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * In the page: the time (performance.now(), i.e. since navigation start) at which both charts
 * of the overview are drawn, or null while they are not. A chart is drawn when its panel's
 * canvas area holds an ECharts SVG with shapes in it (or a canvas with a size) and no loading
 * placeholder. The panels are ChartPanel's `.chart-panel__canvas`; the dashboard renders ECharts
 * with its SVG renderer. With `live`, only the app's own drawings count, once the app runs the
 * page: a first screen rendered on the server shows the server's drawings before that.
 */
function chartsDrawnAt(expected: number, live: boolean): number | null {
  if (location.pathname !== '/') return null;
  // The app's own drawings lie in a box of ECharts' inside vue-echarts' host; the server's
  // drawing is the host's SVG itself (ServerChart).
  const drawing = live ? '.echarts-host > div svg' : 'svg';
  const app = document.getElementById('app') as { __vue_app__?: unknown } | null;
  if (live && !app?.__vue_app__) return null;
  const panels = Array.from(document.querySelectorAll('.page--overview .chart-panel__canvas'));
  if (panels.length < expected) return null;
  const drawn = panels.every((panel) => {
    if (panel.querySelector('.chart-loading')) return false;
    const svg = panel.querySelector(drawing);
    if (svg) {
      const box = svg.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && svg.querySelectorAll('path').length > 0;
    }
    const canvas = panel.querySelector('canvas');
    return canvas != null && canvas.width > 0 && canvas.height > 0;
  });
  return drawn ? performance.now() : null;
}

/** Where the watcher below leaves the times the charts were drawn and live, on `window`. */
const DRAWN_AT = '__udxChartsDrawnAt';
const LIVE_AT = '__udxChartsLiveAt';

/**
 * The page's own watcher, added before any of its scripts runs: on every animation frame it
 * checks `chartsDrawnAt` until the charts are drawn, and leaves the time on `window`.
 *
 * Playwright's `waitForFunction` would do the same from its injected script, which it first
 * compiles and runs in the page, about 50 ms of the page's main thread in the first half-second
 * that no user's browser spends; this watcher is a few lines. (A string, so that no helper of
 * the TypeScript loader ends up in page code.)
 */
const WATCHER = `(() => {
  const drawnAt = ${chartsDrawnAt.toString()};
  const check = () => {
    window.${DRAWN_AT} ??= drawnAt(${OVERVIEW_CHARTS}, false) ?? undefined;
    const live = drawnAt(${OVERVIEW_CHARTS}, true);
    if (live === null) requestAnimationFrame(check);
    else window.${LIVE_AT} = live;
  };
  requestAnimationFrame(check);
})();`;

/** How often the benchmark asks the page whether its charts are drawn; the page keeps the time. */
const ASK_EVERY_MS = 50;

/** Opens `/` in `page` and waits until its watcher (`WATCHER`) saw the charts drawn. */
async function loadOverview(page: Page, cdp: CDPSession, timeoutMs: number): Promise<OverviewLoad> {
  await page.goto('/', { waitUntil: 'commit' });
  const deadline = Date.now() + timeoutMs;
  let ready: number | null = null;
  let mainThread = 0;
  let live: number | null = null;
  while (live === null) {
    if (Date.now() > deadline) {
      throw new Error(`the overview's charts were not drawn by the app in ${timeoutMs} ms`);
    }
    // Straight through the DevTools protocol: Playwright's evaluate would inject its own script.
    const { result } = await cdp.send('Runtime.evaluate', {
      expression: `[window.${DRAWN_AT} ?? null, window.${LIVE_AT} ?? null]`,
      returnByValue: true,
    });
    const [drawn, alive] = result.value as [number | null, number | null];
    if (ready === null && drawn !== null) {
      ready = drawn;
      // Read right after the page showed its charts: at most ASK_EVERY_MS of idle frames later.
      // The count starts afresh with the page's renderer: udx's headers give `/` one of its own.
      mainThread = await mainThreadBusy(cdp);
    }
    if (alive !== null) live = alive;
    else await new Promise((resolve) => setTimeout(resolve, ASK_EVERY_MS));
  }
  ready ??= live;
  // No named inner functions in page code: tsx would wrap them in a helper the page lacks.
  const load = await page.evaluate((readyAt) => {
    const navigation = performance.getEntriesByType('navigation')[0] as
      | PerformanceNavigationTiming
      | undefined;
    const resources = (
      performance.getEntriesByType('resource') as PerformanceResourceTiming[]
    ).filter((r) => r.responseEnd <= readyAt);
    const paths = resources.map((r) => [new URL(r.name).pathname, r.responseEnd] as const);
    return {
      ready: readyAt,
      domContentLoaded: navigation?.domContentLoadedEventEnd ?? 0,
      lastGraphqlEnd: Math.max(0, ...paths.filter(([p]) => p === '/graphql').map(([, end]) => end)),
      lastScriptEnd: Math.max(0, ...paths.filter(([p]) => p.endsWith('.js')).map(([, end]) => end)),
      requests: resources.length + 1,
      timeline: resources.map((r) => ({
        path: new URL(r.name).pathname,
        start: r.startTime,
        end: r.responseEnd,
      })),
    };
  }, ready);
  return { ...load, live, mainThread };
}

/** The main-thread time of the page's renderer so far (Chromium's TaskDuration), in ms. */
async function mainThreadBusy(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
}

/**
 * One measured run in a fresh browser context: sign in through the sign-in page, empty the
 * HTTP cache, then load `/` cold; then load it once more with the files cached (warm).
 * `foreign` collects any request that would leave the udx server.
 */
export async function measureOverviewRun(
  browser: Browser,
  baseUrl: string,
  email: string,
  timeoutMs = 30_000,
): Promise<{ cold: OverviewLoad; warm: OverviewLoad; foreign: string[] }> {
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'en-GB' });
  const foreign: string[] = [];
  // Watching, not routing: Playwright's routing turns the HTTP cache off and adds a hop per request.
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(baseUrl) && !url.startsWith('data:') && !url.startsWith('blob:')) {
      foreign.push(url);
    }
  });
  try {
    const page = await context.newPage();
    await signIn(page, email);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Performance.enable');
    await page.addInitScript(WATCHER);
    await page.goto('about:blank');
    const cold = await loadOverview(page, cdp, timeoutMs);
    await page.goto('about:blank');
    const warm = await loadOverview(page, cdp, timeoutMs);
    return { cold, warm, foreign };
  } finally {
    await context.close();
  }
}

/**
 * How fast this Chromium runs JavaScript on this machine: a fixed script (sorting 200,000
 * numbers drawn from a fixed sequence, and writing and reading 20,000 small objects as JSON)
 * timed in a blank page, median of `runs`. Its time does not depend on udx; beside the ready
 * time it tells a slower machine from a slower dashboard.
 */
export async function calibrateScript(browser: Browser, runs = 5): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      // No named inner functions in page code: tsx would wrap them in a helper the page lacks.
      times.push(
        await page.evaluate(() => {
          const start = performance.now();
          let seed = 12345;
          const numbers = Array.from({ length: 200_000 }, () => {
            seed = (seed * 1103515245 + 12345) % 2147483648;
            return seed;
          });
          numbers.sort((a, b) => a - b);
          const rows = Array.from({ length: 20_000 }, (_, i) => ({
            id: i,
            name: `row ${i}`,
            value: numbers[i],
          }));
          const back = JSON.parse(JSON.stringify(rows)) as { value: number }[];
          if (back.length !== rows.length) throw new Error('calibration script failed');
          return performance.now() - start;
        }),
      );
    }
    return median(times);
  } finally {
    await context.close();
  }
}

/** Where the floor page's one script leaves the time it ran, on `window`. */
const FIRST_SCRIPT_AT = '__udxFirstScriptAt';

/**
 * What any page costs before its own code runs here: a blank page whose one module script only
 * notes the time, served with the headers udx sends with its dashboard (read from `udxUrl`, so
 * Cross-Origin-Opener-Policy among them, for which Chromium starts the page in a renderer process
 * of its own), opened from about:blank as the overview is. Median of `runs`, in ms since
 * navigation start. The overview's ready time less this is udx's own.
 */
export async function measureFloor(browser: Browser, udxUrl: string, runs = 5): Promise<number> {
  const udxPage = await fetch(`${udxUrl}/`);
  await udxPage.arrayBuffer();
  const headers: Record<string, string> = {};
  for (const name of [
    'content-security-policy',
    'cross-origin-opener-policy',
    'x-frame-options',
    'x-content-type-options',
    'referrer-policy',
  ]) {
    const value = udxPage.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const server = createServer((request, response) => {
    if (request.url === '/first.js') {
      response.writeHead(200, { ...headers, 'Content-Type': 'text/javascript; charset=utf-8' });
      response.end(`window.${FIRST_SCRIPT_AT} = performance.now();`);
      return;
    }
    response.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' });
    response.end(
      '<!doctype html><html lang="en"><head><meta charset="UTF-8"><title>floor</title>' +
        '<script type="module" src="/first.js"></script></head><body></body></html>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto('about:blank');
        await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'load' });
        times.push((await page.evaluate(`window.${FIRST_SCRIPT_AT}`)) as number);
      } finally {
        await context.close();
      }
    }
    return median(times);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
