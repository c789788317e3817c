import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, parse, validate } from 'graphql';
import type { CeilingFixture } from './ceiling-server.ts';
import { type LoadOptions, type LoadResult, loadGraphQL } from './load.ts';
import { type ChildServer, freePort, startChildServer } from './processes.ts';

const apiDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
/** The part of the schema clients rely on; the ceiling serves it. */
const CONTRACT_SCHEMA = path.join(apiDir, 'tests/contract.graphql');

/** A request the ceiling can answer: its query, variables and the udx server's real answer. */
export interface RecordedRequest {
  query: string;
  variables: Record<string, unknown>;
  data: unknown;
}

/**
 * Why the contract schema cannot execute `query` (its first validation error), or undefined
 * when it can: only such scenarios get a ceiling.
 */
export function contractRefusal(query: string): string | undefined {
  const errors = validate(contractSchema(), parse(query));
  return errors[0]?.message;
}

let contract: ReturnType<typeof buildSchema> | undefined;
function contractSchema() {
  contract ??= buildSchema(readFileSync(CONTRACT_SCHEMA, 'utf8'));
  return contract;
}

/** The body the load driver sends: the ceiling finds its recorded answer by it. */
function bodyOf(request: Pick<RecordedRequest, 'query' | 'variables'>): string {
  return JSON.stringify({ query: request.query, variables: request.variables });
}

/** The graphql-js ceiling, started over recorded answers; `close` stops it. */
export interface Ceiling {
  run(request: RecordedRequest, load: LoadOptions): Promise<LoadResult>;
  close(): Promise<void>;
}

/**
 * Starts the ceiling: the contract schema served by graphql-js with resolvers that read the
 * recorded answers (no database), in a process of its own (ceiling-server.ts).
 */
export async function startCeiling(requests: readonly RecordedRequest[]): Promise<Ceiling> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'udx-ceiling-'));
  const fixtureFile = path.join(folder, 'fixture.json');
  const fixture: CeilingFixture = {
    schemaFile: CONTRACT_SCHEMA,
    answers: requests.map((request) => ({ body: bodyOf(request), data: request.data })),
  };
  writeFileSync(fixtureFile, JSON.stringify(fixture));
  const port = await freePort();
  let server: ChildServer;
  try {
    server = await startChildServer({
      command: process.execPath,
      args: ['--import', 'tsx', path.join(apiDir, 'bench/ceiling-server.ts'), fixtureFile],
      cwd: apiDir,
      env: { ...process.env, PORT: String(port) },
      url: `http://127.0.0.1:${port}`,
      readyPath: '/',
    });
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  return {
    run: (request, load) =>
      loadGraphQL({ url: server.url, query: request.query, variables: request.variables }, load),
    close: async () => {
      await server.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
