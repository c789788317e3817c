import type { DatabaseHandle, Db } from '@udx/db/database';
import type { Role } from '@udx/db/schema';
import { createTestDatabase, type Engine, type TestDatabaseOptions } from '@udx/db/testing';
import { hashPassword } from '../src/auth/password.ts';
import { createServer, type UdxServer } from '../src/server.ts';

/** udx's HTTP server on a free local port over a fresh test database. */
export interface AuthServer {
  url: string;
  handle: DatabaseHandle;
  db: Db;
  server: UdxServer;
  stop(): Promise<void>;
}

export async function startAuthServer(
  engine: Engine,
  options: TestDatabaseOptions = {},
): Promise<AuthServer> {
  const handle = await createTestDatabase(engine, options);
  const server = await createServer({ db: handle.db });
  const url = await server.listen(0, '127.0.0.1');
  return {
    url,
    handle,
    db: handle.db,
    server,
    stop: async () => {
      await server.close();
      await handle.close();
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: tests read answers as a client does
export type Json = any;

export interface GraphQLAnswer {
  status: number;
  json: Json;
  /** The Set-Cookie headers of the answer. */
  cookies: string[];
}

/** POSTs an operation as a script or the dashboard would, with extra headers (token, cookie). */
export async function post(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLAnswer> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    json: await response.json(),
    cookies: response.headers.getSetCookie(),
  };
}

export const SIGN_IN = /* GraphQL */ `
  mutation SignIn($email: String!, $password: String!) {
    signIn(email: $email, password: $password) {
      token
      user { email displayName role city { name } }
      errors { code field message }
    }
  }
`;

export const ME = /* GraphQL */ `
  query { me { email displayName role city { name } } }
`;

/** Signs in over HTTP and returns the bearer token, failing the test when sign-in fails. */
export async function signInToken(url: string, email: string, password: string): Promise<string> {
  const answer = await post(url, SIGN_IN, { email, password });
  const token = answer.json.data?.signIn?.token;
  if (typeof token !== 'string') {
    throw new Error(`sign-in of ${email} failed: ${JSON.stringify(answer.json)}`);
  }
  return token;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Stores an account with a real Argon2id hash of `password`. */
export async function insertAccount(
  db: Db,
  account: {
    email: string;
    role: Role;
    cityId?: number | null;
    password: string;
    active?: boolean;
  },
): Promise<number> {
  const row = await db
    .insertInto('app_user')
    .values({
      email: account.email,
      display_name: account.email.split('@')[0] ?? account.email,
      role: account.role,
      city_id: account.cityId ?? null,
      password_hash: await hashPassword(account.password),
      active: account.active ?? true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
