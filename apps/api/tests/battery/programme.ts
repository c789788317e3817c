import { request as httpRequest } from 'node:http';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Db } from '@udx/db/database';
import { createTestDatabase, type Engine } from '@udx/db/testing';
import { createServer, type ServerOptions } from '../../src/server.ts';
import { bearer, insertAccount, signInToken } from '../auth-helpers.ts';
import { insertRlsFixture, type RlsFixture } from '../rls-fixture.ts';

/** Who calls: one signed-in account per role, and nobody. */
export type Caller = 'admin' | 'evaluator' | 'monitor' | 'editorA' | 'viewerA' | 'anonymous';
export type SignedInCaller = Exclude<Caller, 'anonymous'>;

export const CALLERS: readonly Caller[] = [
  'admin',
  'evaluator',
  'monitor',
  'editorA',
  'viewerA',
  'anonymous',
];

export const PASSWORD = 'battery-password-2030';

/**
 * The battery's programme (`rls-fixture.ts`: Bonn–Minneapolis as A–B, Köln–Liverpool as C–D,
 * with departments, exchanges, outcomes, U5 values in every review state and targets) on a
 * server listening on a free port, with one account per role signed in over HTTP.
 */
export interface Programme {
  url: string;
  db: Db;
  f: RlsFixture;
  /** The battery's own accounts, by caller. */
  accounts: Record<SignedInCaller, { id: number; email: string }>;
  tokens: Record<SignedInCaller, string>;
  /** Global ids of the fixture's rows. */
  gid: {
    city: GlobalIds<RlsFixture['city']>;
    partnership: GlobalIds<RlsFixture['partnership']>;
    department: GlobalIds<RlsFixture['department']>;
    exchange: GlobalIds<RlsFixture['exchange']>;
    outcome: GlobalIds<RlsFixture['outcome']>;
    value: GlobalIds<RlsFixture['value']>;
    user: GlobalIds<RlsFixture['user']>;
  };
  stop(): Promise<void>;
}

type GlobalIds<T> = { [K in keyof T]: string };

const ROLES = {
  admin: 'SKEW_ADMIN',
  evaluator: 'SKEW_EVALUATOR',
  monitor: 'FOREIGN_OFFICE',
  editorA: 'CITY_EDITOR',
  viewerA: 'CITY_VIEWER',
} as const;

function globalIds<K extends string>(typename: string, ids: Record<K, number>): Record<K, string> {
  return Object.fromEntries(
    Object.entries(ids).map(([key, id]) => [key, encodeGlobalID(typename, id as number)]),
  ) as Record<K, string>;
}

/** Starts the battery's programme on `engine`, with `options` for the server. */
export async function startProgramme(
  engine: Engine,
  options: Omit<ServerOptions, 'db'> = {},
): Promise<Programme> {
  const handle = await createTestDatabase(engine);
  const db = handle.db;
  const server = await createServer({ ...options, db });
  const url = await server.listen(0, '127.0.0.1');
  const f = await insertRlsFixture(db);
  const accounts = {} as Programme['accounts'];
  for (const [caller, role] of Object.entries(ROLES) as [
    SignedInCaller,
    (typeof ROLES)[SignedInCaller],
  ][]) {
    const email = `${caller.toLowerCase()}@battery.example`;
    const id = await insertAccount(db, {
      email,
      role,
      // the city accounts are Bonn's (city A)
      cityId: role.startsWith('CITY_') ? f.city.a : null,
      password: PASSWORD,
    });
    accounts[caller] = { id, email };
  }
  const tokens = {} as Programme['tokens'];
  for (const caller of Object.keys(ROLES) as SignedInCaller[]) {
    tokens[caller] = await signInToken(url, accounts[caller].email, PASSWORD);
  }
  return {
    url,
    db,
    f,
    accounts,
    tokens,
    gid: {
      city: globalIds('City', f.city),
      partnership: globalIds('Partnership', f.partnership),
      department: globalIds('Department', f.department),
      exchange: globalIds('Exchange', f.exchange),
      outcome: globalIds('Outcome', f.outcome),
      value: globalIds('ReportedValue', f.value),
      user: globalIds('User', f.user),
    },
    stop: async () => {
      await server.close();
      await handle.close();
    },
  };
}

/** The headers a caller sends: its bearer token, or none. */
export function headersOf(p: Programme, caller: Caller): Record<string, string> {
  return caller === 'anonymous' ? {} : bearer(p.tokens[caller]);
}

/** A JSON number written as is (`1e400`, `-0`): JSON.stringify cannot write these. */
export class RawNumber {
  constructor(readonly text: string) {}
  toJSON(): string {
    return `\u0001raw:${this.text}\u0001`;
  }
}

/** JSON text of `value`, with RawNumbers written verbatim. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0001raw:([^"\\]*)\\u0001"/g, '$1');
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body's bytes as they came, not decoded (a compressed body stays compressed). */
  body: Buffer;
}

/**
 * One HTTP request with exactly the method, headers and body given (fetch would add, refuse or
 * rewrite some). Resolves with whatever came back, whatever its status.
 */
export function rawRequest(
  url: string,
  options: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
  },
): Promise<HttpAnswer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: options.method,
        path: options.path,
        // a body always framed by its length: Node sends a DELETE's or OPTIONS' body unframed
        headers:
          options.body === undefined
            ? options.headers
            : { ...options.headers, 'Content-Length': String(Buffer.byteLength(options.body)) },
        // a fresh connection each time: an answer that closes it must not break the next request
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: body.toString('utf8'),
            body,
          });
        });
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(20_000, () => req.destroy(new Error('no answer within 20 s')));
    if (options.body !== undefined) req.end(options.body);
    else req.end();
  });
}

/** POSTs a GraphQL operation as JSON, with RawNumbers written verbatim. */
export function postOperation(
  p: Programme,
  caller: Caller,
  query: string,
  variables: unknown,
): Promise<HttpAnswer> {
  const body = toJsonText({ query, variables });
  return rawRequest(p.url, {
    method: 'POST',
    path: '/graphql',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/graphql-response+json, application/json;q=0.9',
      ...headersOf(p, caller),
    },
    body,
  });
}
