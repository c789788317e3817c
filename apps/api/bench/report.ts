import type { BenchScale } from './data-sets.ts';
import type { LoadResult } from './load.ts';
import type { TargetKind } from './scenarios.ts';
import type { UdxMeasurement } from './udx.ts';

/** A comparison that was measured, or why it was not. */
export type Comparison = { load: LoadResult } | { unavailable: string };

/** Everything measured for one scenario on one engine and scale. */
export interface ScenarioReport extends UdxMeasurement {
  scenario: string;
  target?: TargetKind;
  floor: Comparison;
  ceiling: Comparison;
  postgraphile?: Comparison;
  /** udx's requests per second over each comparison's, from the same run. */
  ratios: { floor?: number; ceiling?: number; postgraphile?: number };
  /** The targets this scenario is held to here, each PASS or FAIL with its figure. */
  verdicts: string[];
}

/** One engine and scale: the data set, the load, and every scenario's report. */
export interface RunReport {
  engine: 'pglite' | 'postgres';
  scale: BenchScale;
  dataSet: string;
  connections: number;
  seconds: number;
  scenarios: ScenarioReport[];
  /** Scenarios whose request failed, with the error: not measured. */
  failed: string[];
  notes: string[];
}

/** The ratio of udx's throughput to a comparison's, when both were measured. */
export function ratioTo(udx: LoadResult, comparison: Comparison | undefined): number | undefined {
  if (!comparison || !('load' in comparison) || comparison.load.rps === 0) return undefined;
  return udx.rps / comparison.load.rps;
}

/** The targets of the performance plan (README, Performance), never asserted: reported. */
const TARGETS = {
  overviewCeilingRatio: 0.8,
  nestedPostGraphileRatio: 1.0,
  nationalOverviewP95Ms: 150,
  nationalPageP95Ms: 50,
  overviewStatements: 4,
  pgliteOverviewP975Ms: 100,
  /** The throughput targets hold at this many connections. */
  connections: 16,
} as const;

const judged = (pass: boolean, text: string) => `${pass ? 'PASS' : 'FAIL'} ${text}`;

/** The verdicts of one scenario on one engine and scale (empty when no target applies). */
export function verdictsOf(
  run: Pick<RunReport, 'engine' | 'scale' | 'connections'>,
  report: Omit<ScenarioReport, 'verdicts'>,
): string[] {
  const verdicts: string[] = [];
  const { target } = report;
  const comparable = run.scale === 'demo' || run.scale === 'programme';
  const atTargetLoad = run.connections === TARGETS.connections;
  const { ceiling, postgraphile } = report.ratios;
  if (target === 'overview') {
    if (comparable && atTargetLoad && ceiling !== undefined) {
      verdicts.push(
        judged(
          ceiling >= TARGETS.overviewCeilingRatio,
          `>= ${TARGETS.overviewCeilingRatio}x ceiling`,
        ),
      );
    }
    verdicts.push(
      judged(
        report.statements.median <= TARGETS.overviewStatements,
        `<= ${TARGETS.overviewStatements} SQL`,
      ),
    );
    if (run.scale === 'national') {
      verdicts.push(
        judged(
          report.load.p95 <= TARGETS.nationalOverviewP95Ms,
          `p95 <= ${TARGETS.nationalOverviewP95Ms} ms`,
        ),
      );
    }
    if (run.engine === 'pglite' && run.scale === 'demo' && atTargetLoad) {
      verdicts.push(
        judged(
          report.load.p975 <= TARGETS.pgliteOverviewP975Ms,
          `p97.5 ${report.load.p975.toFixed(0)} <= ${TARGETS.pgliteOverviewP975Ms} ms`,
        ),
        judged(report.load.starved === 0, `${report.load.starved} starved`),
      );
    }
  }
  if (target === 'nested' && comparable && atTargetLoad && postgraphile !== undefined) {
    verdicts.push(
      judged(
        postgraphile >= TARGETS.nestedPostGraphileRatio,
        `>= ${TARGETS.nestedPostGraphileRatio}x PostGraphile`,
      ),
    );
  }
  if ((target === 'page' || target === 'list') && run.scale === 'national') {
    verdicts.push(
      judged(
        report.load.p95 <= TARGETS.nationalPageP95Ms,
        `p95 <= ${TARGETS.nationalPageP95Ms} ms`,
      ),
    );
  }
  return verdicts;
}

/**
 * Whether each scenario ran as many statements per request on every scale measured (the
 * statement count must not grow with the result): one line per scenario seen on two scales.
 */
export function statementConstancy(runs: readonly RunReport[]): string[] {
  const lines: string[] = [];
  for (const engine of new Set(runs.map((run) => run.engine))) {
    const ofEngine = runs.filter((run) => run.engine === engine);
    if (ofEngine.length < 2) continue;
    const names = new Set(ofEngine.flatMap((run) => run.scenarios.map((s) => s.scenario)));
    for (const name of names) {
      const seen = ofEngine.flatMap((run) => {
        const count = run.scenarios.find((s) => s.scenario === name)?.statements.median;
        return count === undefined ? [] : [{ scale: run.scale, count }];
      });
      if (seen.length < 2) continue;
      const same = seen.every(({ count }) => count === seen[0]?.count);
      const scales = seen.map(({ scale, count }) => `${scale} ${count}`).join(', ');
      lines.push(`${judged(same, `${engine}, ${name}: SQL per request constant`)} (${scales})`);
    }
  }
  return lines;
}

const fixed = (value: number | undefined, digits: number) =>
  value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);

function statementsCell(statements: ScenarioReport['statements']): string {
  if (Number.isNaN(statements.median)) return '–';
  return statements.min === statements.max
    ? String(statements.min)
    : `${statements.median} (${statements.min}–${statements.max})`;
}

/** One run as a console table, with what was not measured and why beneath it. */
export function formatRun(run: RunReport): string {
  const header = [
    'scenario',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'rps',
    'SQL/req',
    'peak MB',
    'floor x',
    'ceiling x',
    'PostGraphile x',
    'target',
  ];
  const body = run.scenarios.map((s) => [
    s.scenario,
    fixed(s.load.p50, 1),
    fixed(s.load.p95, 1),
    fixed(s.load.p99, 1),
    fixed(s.load.rps, 0),
    statementsCell(s.statements),
    fixed(s.peakMb, 0),
    fixed(s.ratios.floor, 2),
    fixed(s.ratios.ceiling, 2),
    fixed(s.ratios.postgraphile, 2),
    s.verdicts.join('; ') || '–',
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...body.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        i === 0 || i === cells.length - 1
          ? cell.padEnd(widths[i] ?? 0)
          : cell.padStart(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const title =
    `${run.engine}, ${run.scale} (${run.dataSet}); ${run.connections} connections, ` +
    `${run.seconds} s per scenario and comparison`;
  return [
    title,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.map(line),
    ...run.failed.map((failure) => `  FAILED, not measured: ${failure}`),
    ...run.notes.map((note) => `  ${note}`),
  ].join('\n');
}

/** What the run could not compare, and the requests that failed or starved, as notes. */
export function notesOf(scenarios: readonly ScenarioReport[]): string[] {
  const notes: string[] = [];
  const unavailable = new Map<string, string[]>();
  for (const s of scenarios) {
    for (const [what, comparison] of [
      ['ceiling', s.ceiling],
      ['PostGraphile', s.postgraphile],
    ] as const) {
      if (comparison && 'unavailable' in comparison) {
        const key = `${what}: ${comparison.unavailable}`;
        unavailable.set(key, [...(unavailable.get(key) ?? []), s.scenario]);
      }
    }
    if (s.load.starved > 0) {
      notes.push(`${s.scenario}: ${s.load.starved} starved of ${s.load.requests} requests`);
    }
  }
  for (const [reason, names] of unavailable) notes.push(`${reason} (${names.join(', ')})`);
  return notes;
}
