import type { DatabaseHandle } from '@udx/db/database';
import { createTestDatabase, type Engine } from '@udx/db/testing';
import { createServer, type UdxServer } from '../../src/server.ts';

/** udx's HTTP server on a free port over a fresh test database. */
export interface RunningServer {
  url: string;
  handle: DatabaseHandle;
  server: UdxServer;
  stop(): Promise<void>;
}

export async function startServer(
  engine: Engine,
  options: { dashboardDir?: string; bodyLimit?: number } = {},
): Promise<RunningServer> {
  const handle = await createTestDatabase(engine);
  const server = await createServer({ db: handle.db, ...options });
  const url = await server.listen(0, '127.0.0.1');
  return {
    url,
    handle,
    server,
    stop: async () => {
      await server.close();
      await handle.close();
    },
  };
}

/** POSTs a GraphQL operation as a JSON client would. */
export async function postGraphQL(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; contentType: string; json: Json }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/graphql-response+json',
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    json: await readJson(response),
  };
}

// biome-ignore lint/suspicious/noExplicitAny: tests read answers of many shapes
export type Json = any;

/** The JSON body of a response. */
export async function readJson(response: Response): Promise<Json> {
  return response.json();
}
