import { startServer } from '../support/server.ts';
import { DEMO_PASSWORD } from '../support/session.ts';
import { verdict } from './bundle.ts';

// (c) The import of reported values (README, "Import") with a file of 100,000 rows: a dry run,
// the import, and the same file again (every row unchanged), timed over HTTP against `pnpm
// start` on a fresh embedded database with the demo data set, signed in as SKEW administration.

export const ACCOUNT = 'admin@demo.udx';
const CITIES = 100;
/**
 * Each bench city reports N5 and U5 per quarter for 95 years and S5 for 60 of them: 1,000 rows
 * (the years of the demo data set, 2022–2026, left out).
 */
export const ROWS = CITIES * 1_000;
export const TARGET_SECONDS = 120;

async function graphql<T>(url: string, query: string, variables: object, token?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return ((await response.json()) as { data: T }).data;
}

/** The file: cities by name, years the demo data set does not report (it covers 2022–2026). */
function benchFile(cityNames: readonly string[]): string {
  const lines = ['indicator,city,year,quarter,value,numerator,denominator,note'];
  for (const [c, city] of cityNames.entries()) {
    for (let year = 2000; year < 2100; year += 1) {
      if (year >= 2022 && year <= 2026) continue;
      for (let quarter = 1; quarter <= 4; quarter += 1) {
        lines.push(`N5,${city},${year},${quarter},${(c + year + quarter) % 50},,,`);
        lines.push(`U5,${city},${year},${quarter},,${quarter * 10},60,survey ${year}`);
        if (year < 2065) {
          lines.push(`S5,${city},${year},${quarter},,${(year % 40) + 1},80,`);
        }
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Signs in as SKEW administration on a server with the demo data set, and makes the cities of
 * the bench file there; answers the file and the token.
 */
export async function prepareBenchFile(url: string): Promise<{ file: string; token: string }> {
  const signIn = await graphql<{ signIn: { token: string } }>(
    url,
    'mutation S($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }',
    { e: ACCOUNT, p: DEMO_PASSWORD },
  );
  const token = signIn.signIn.token;
  const names: string[] = [];
  for (let i = 1; i <= CITIES; i += 1) {
    const name = `Bench city ${String(i).padStart(3, '0')}`;
    await graphql(
      url,
      'mutation C($input: CreateCityInput!) { createCity(input: $input) { errors { message } } }',
      { input: { name, countryCode: 'US' } },
      token,
    );
    names.push(name);
  }
  return { file: benchFile(names), token };
}

export async function benchImport(): Promise<void> {
  console.log(
    `\n(c) Import of ${ROWS.toLocaleString('en')} reported values from CSV, as ${ACCOUNT}`,
  );
  const server = await startServer();
  try {
    const { file, token } = await prepareBenchFile(server.url);
    console.log(`  file: ${(Buffer.byteLength(file) / 1024 / 1024).toFixed(1)} MiB`);
    const timed = async (label: string, query: string) => {
      const started = performance.now();
      const response = await fetch(`${server.url}/import/values${query}`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/csv', Authorization: `Bearer ${token}` },
        body: file,
      });
      const result = (await response.json()) as Record<string, number>;
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `  ${label.padEnd(12)} ${seconds.toFixed(1).padStart(6)} s, ` +
          `${Math.round(ROWS / seconds).toLocaleString('en')} rows/s — HTTP ${response.status}, ` +
          `rows ${result.rows}, created ${result.created}, updated ${result.updated}, ` +
          `unchanged ${result.unchanged}, problems ${result.problemCount}`,
      );
      if (response.status !== 200 || result.problemCount !== 0) {
        throw new Error(`the ${label} did not go through: ${JSON.stringify(result).slice(0, 500)}`);
      }
      return seconds;
    };
    const check = await timed('dry run', '?dryRun=true');
    const write = await timed('import', '');
    const again = await timed('again', '');
    const slowest = Math.max(check, write, again);
    console.log(
      `${verdict(slowest <= TARGET_SECONDS)}: ${ROWS.toLocaleString('en')} rows checked and ` +
        `imported in at most ${slowest.toFixed(0)} s each (target ≤ ${TARGET_SECONDS} s)`,
    );
  } finally {
    await server.stop();
  }
}
