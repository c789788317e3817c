import { performance } from 'node:perf_hooks';

/** One GraphQL request the benchmark repeats. */
export interface Scenario {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

/** Latencies of one scenario in milliseconds, and the SQL statements one request ran. */
export interface Measurement {
  name: string;
  runs: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  /** Fewest and most statements per request over the measured runs. */
  statements: [number, number];
  /** Median time per request spent waiting for SQL statements (their sum). */
  sqlMedian: number;
}

/** Counts the statements Kysely runs and their time: pass `count` as the database's `log` hook. */
export class StatementCounter {
  value = 0;
  millis = 0;
  readonly count = (event: { level: string; queryDurationMillis: number }): void => {
    if (event.level === 'query' || event.level === 'error') {
      this.value++;
      this.millis += event.queryDurationMillis;
    }
  };
}

/** The value below which `fraction` of the sorted samples lie (nearest rank). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** The middle of the samples (mean of the two middle ones for an even count). */
export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** POSTs a GraphQL request and returns its data; any error in the answer fails the benchmark. */
export async function postGraphQL<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/graphql-response+json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (!response.ok || body.errors?.length || body.data == null) {
    throw new Error(
      `GraphQL request failed (HTTP ${response.status}): ${JSON.stringify(body.errors ?? body)}`,
    );
  }
  return body.data;
}

/** Signs in and returns the bearer token. */
export async function signInForToken(url: string, email: string, password: string) {
  const data = await postGraphQL<{
    signIn: { token: string | null; errors: { message: string }[] };
  }>(
    url,
    `mutation ($email: String!, $password: String!) {
      signIn(email: $email, password: $password) { token errors { message } }
    }`,
    { email, password },
  );
  if (!data.signIn.token) {
    throw new Error(`signIn as ${email} failed: ${JSON.stringify(data.signIn.errors)}`);
  }
  return data.signIn.token;
}

/**
 * Runs a scenario `warmUp` times unmeasured (query plans, caches, JIT of the JavaScript), then
 * `runs` times one after another, timing each request from sending to the parsed answer.
 */
export async function measure(
  url: string,
  token: string,
  scenario: Scenario,
  counter: StatementCounter,
  runs: number,
  warmUp = 3,
): Promise<Measurement> {
  for (let i = 0; i < warmUp; i++) {
    await postGraphQL(url, scenario.query, scenario.variables, token);
  }
  const samples: number[] = [];
  const sqlSamples: number[] = [];
  let fewest = Number.POSITIVE_INFINITY;
  let most = 0;
  for (let i = 0; i < runs; i++) {
    const before = counter.value;
    const sqlBefore = counter.millis;
    const started = performance.now();
    await postGraphQL(url, scenario.query, scenario.variables, token);
    samples.push(performance.now() - started);
    sqlSamples.push(counter.millis - sqlBefore);
    const ran = counter.value - before;
    fewest = Math.min(fewest, ran);
    most = Math.max(most, ran);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    name: scenario.name,
    runs,
    median: median(sorted),
    p95: percentile(sorted, 0.95),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    statements: [fewest, most],
    sqlMedian: median(sqlSamples),
  };
}

/** The measurements as a fixed-width text table. */
export function formatTable(title: string, rows: readonly Measurement[]): string {
  const ms = (value: number) => value.toFixed(1);
  const header = [
    'request',
    'runs',
    'median ms',
    'p95 ms',
    'min ms',
    'max ms',
    'SQL/request',
    'SQL ms (sum)',
  ];
  const body = rows.map((r) => [
    r.name,
    String(r.runs),
    ms(r.median),
    ms(r.p95),
    ms(r.min),
    ms(r.max),
    r.statements[0] === r.statements[1]
      ? String(r.statements[0])
      : `${r.statements[0]}–${r.statements[1]}`,
    ms(r.sqlMedian),
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...body.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  return [title, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join(
    '\n',
  );
}
