import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../support/browser.ts';
import { startServer } from '../support/server.ts';
import { criticalPath, kb, printCriticalPath, TARGET_CRITICAL_GZIP_KB, verdict } from './bundle.ts';
import { benchImport } from './import.ts';
import { benchImportCommandLine } from './import-cli.ts';
import { eagerModules } from './modules.ts';
import {
  calibrateScript,
  measureFloor,
  measureOverviewRun,
  median,
  type OverviewLoad,
} from './ready.ts';

// `pnpm bench` for the dashboard: (a) the JavaScript on the critical path of the built
// dashboard, (b) how long the overview takes until its charts are drawn in Chromium,
// served by udx on a fresh embedded database with the demo data set. Figures are printed with
// PASS/FAIL against the targets; only a failure to measure ends with a non-zero exit code.

const TARGET_READY_MS = 600;
const RUNS = 5;
const ACCOUNT = 'monitor@demo.udx';

const dashboardDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../apps/dashboard',
);
const distDir = path.join(dashboardDir, 'dist');

async function benchBundle(): Promise<void> {
  console.log(`\n(a) Critical-path JavaScript of ${path.relative(process.cwd(), distDir)}`);
  const critical = criticalPath(distDir);
  printCriticalPath(critical);
  const eagerEcharts = critical.eager.filter((c) => c.hasEcharts).map((c) => c.file);
  const lazyEcharts = critical.lazy.filter((c) => c.hasEcharts).map((c) => c.file);

  // Which packages make up those bytes: a second, in-memory build of the same sources.
  const modules = await eagerModules(dashboardDir);
  const sameBuild =
    [...modules.eagerFiles].sort().join() ===
    critical.eager
      .map((c) => c.file)
      .sort()
      .join();
  console.log(
    `\nCritical-path code by package (in-memory build of the current sources${
      sameBuild ? ', same files as dist' : '; dist differs from the current sources: rebuild it'
    }):`,
  );
  console.log(
    `  ${'package'.padEnd(28)} ${'modules'.padStart(7)} ${'minified'.padStart(10)} ${'gzip alone'.padStart(10)}`,
  );
  for (const share of modules.packages.slice(0, 15)) {
    console.log(
      `  ${share.name.padEnd(28)} ${String(share.modules).padStart(7)} ${kb(share.renderedBytes).padStart(10)} ` +
        `${kb(share.gzipBytes).padStart(10)}`,
    );
  }
  console.log(
    `${verdict(critical.gzipBytes <= TARGET_CRITICAL_GZIP_KB * 1024)}: critical-path JS ` +
      `${kb(critical.gzipBytes)} gzip (target ≤ ${TARGET_CRITICAL_GZIP_KB} KB)`,
  );
  const echartsLazy =
    eagerEcharts.length === 0 &&
    modules.eagerEchartsModules.length === 0 &&
    lazyEcharts.length > 0 &&
    modules.echartsChunks.length > 0;
  console.log(
    `${verdict(echartsLazy)}: ECharts only in lazily loaded chunks ` +
      `(dist: ${lazyEcharts.join(', ') || 'none found'}; eager: ${eagerEcharts.join(', ') || 'none'}; ` +
      `echarts/zrender modules in eager chunks of the in-memory build: ${modules.eagerEchartsModules.length})`,
  );
}

async function benchReadyTime(): Promise<void> {
  console.log(`\n(b) Overview ready time in Chromium, signed in as ${ACCOUNT}`);
  const server = await startServer();
  try {
    const browser = await launchBrowser();
    try {
      console.log(`udx at ${server.url}, Chromium ${browser.version()}`);
      console.log(
        `  this Chromium on this machine: a fixed script without udx (calibrateScript) takes ` +
          `${(await calibrateScript(browser)).toFixed(0)} ms, median of 5`,
      );
      const floor = await measureFloor(browser, server.url);
      console.log(
        `  any page here: a blank page with udx's headers runs its first script at ` +
          `${floor.toFixed(0)} ms, median of 5 (measureFloor)`,
      );
      // One unmeasured run: the server's first requests pay for its own warm-up.
      await measureOverviewRun(browser, server.url, ACCOUNT);
      const cold: OverviewLoad[] = [];
      const warm: OverviewLoad[] = [];
      const foreign: string[] = [];
      for (let run = 1; run <= RUNS; run++) {
        const result = await measureOverviewRun(browser, server.url, ACCOUNT);
        cold.push(result.cold);
        warm.push(result.warm);
        foreign.push(...result.foreign);
        const c = result.cold;
        console.log(
          `  run ${run}: cold ${c.ready.toFixed(0)} ms, live ${c.live.toFixed(0)} (DOMContentLoaded ${c.domContentLoaded.toFixed(0)}, ` +
            `last JS ${c.lastScriptEnd.toFixed(0)}, last GraphQL ${c.lastGraphqlEnd.toFixed(0)}, ` +
            `${c.requests} requests, main thread ${c.mainThread.toFixed(0)}); ` +
            `warm ${result.warm.ready.toFixed(0)} ms, live ${result.warm.live.toFixed(0)}`,
        );
      }
      if (foreign.length > 0) {
        throw new Error(
          `the page asked for something outside udx: ${[...new Set(foreign)].join(', ')}`,
        );
      }
      const coldMedian = median(cold.map((l) => l.ready));
      const warmMedian = median(warm.map((l) => l.ready));
      console.log(
        `  median of ${RUNS}: cold cache ${coldMedian.toFixed(0)} ms, ` +
          `live ${median(cold.map((l) => l.live)).toFixed(0)} ` +
          `(DOMContentLoaded ${median(cold.map((l) => l.domContentLoaded)).toFixed(0)}, ` +
          `last JS ${median(cold.map((l) => l.lastScriptEnd)).toFixed(0)}, ` +
          `last GraphQL ${median(cold.map((l) => l.lastGraphqlEnd)).toFixed(0)}, ` +
          `main thread ${median(cold.map((l) => l.mainThread)).toFixed(0)}); ` +
          `warm cache ${warmMedian.toFixed(0)} ms`,
      );
      console.log(
        `  udx's own part of the cold median, beyond what a blank page takes: ` +
          `${(coldMedian - floor).toFixed(0)} ms`,
      );
      const medianRun = cold.find((l) => l.ready === coldMedian) ?? cold[0];
      if (medianRun) {
        console.log(`  what the median cold run fetched (ms since navigation start):`);
        for (const entry of [...medianRun.timeline].sort((x, y) => x.start - y.start)) {
          console.log(
            `    ${entry.start.toFixed(0).padStart(5)} → ${entry.end.toFixed(0).padStart(5)}  ${entry.path}`,
          );
        }
        console.log(`    ${medianRun.ready.toFixed(0).padStart(13)}  charts shown`);
        console.log(
          `    ${medianRun.live.toFixed(0).padStart(13)}  page live, charts drawn by the app`,
        );
      }
      console.log(
        `${verdict(coldMedian <= TARGET_READY_MS)}: overview ready (charts drawn) in ` +
          `${coldMedian.toFixed(0)} ms with an empty cache, median of ${RUNS} ` +
          `(target ≤ ${TARGET_READY_MS} ms)`,
      );
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  // `pnpm --filter @udx/e2e bench import`: (c) and (d) alone, which need no built dashboard;
  // `… bench ready`: (a) and (b) alone
  const importOnly = process.argv[2] === 'import';
  const readyOnly = process.argv[2] === 'ready';
  if (!importOnly && !existsSync(path.join(distDir, 'index.html'))) {
    throw new Error(`No built dashboard at ${distDir}: run pnpm build first`);
  }
  const cpus = os.cpus();
  console.log(
    `udx dashboard benchmark — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ` +
      `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), load average ` +
      `${os.loadavg()[0]?.toFixed(1)}`,
  );
  if (!importOnly) {
    await benchBundle();
    await benchReadyTime();
  }
  if (readyOnly) return;
  await benchImport();
  await benchImportCommandLine();
}

main().catch((error: unknown) => {
  console.error('The dashboard benchmark could not measure:', error);
  process.exit(1);
});
