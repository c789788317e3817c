import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The nearest folder at or above `start` that holds `pnpm-workspace.yaml`, or undefined.
 * The root is searched for rather than counted from this file: this file runs from
 * `packages/config/src` under tsx and from `apps/api/dist` once bundled by `pnpm build`.
 */
export function findProjectRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The repository root: the embedded database lives below it unless UDX_DATA_DIR says otherwise.
 * Outside a checkout (no `pnpm-workspace.yaml` above this file) it is the current directory.
 */
export const projectRoot =
  findProjectRoot(path.dirname(fileURLToPath(import.meta.url))) ?? process.cwd();

const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(4000),
  DATABASE_URL: z
    .string()
    .trim()
    .min(1)
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must start with postgres:// or postgresql://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATABASE_REPLICA_URL: z
    .string()
    .trim()
    .min(1)
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must start with postgres:// or postgresql://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  UDX_DATA_DIR: z.string().trim().min(1).optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  UDX_INTROSPECTION: z.enum(['on', 'off']).optional(),
  UDX_PUBLIC: z.enum(['on', 'off']).optional(),
  UDX_TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
});

export interface Settings {
  /** TCP port of the API and the dashboard. */
  port: number;
  /** PostgreSQL server to use; undefined means the embedded database. */
  databaseUrl: string | undefined;
  /**
   * A PostgreSQL streaming replica (hot standby) of `databaseUrl` that serves reads; undefined
   * means the primary serves everything (README, "Beyond one machine").
   */
  databaseReplicaUrl: string | undefined;
  /** Folder of the embedded database. */
  dataDir: string;
  nodeEnv: 'development' | 'production' | 'test';
  isProduction: boolean;
  /**
   * Whether the whole schema may be introspected (`__schema`): on in development, off in
   * production unless `UDX_INTROSPECTION=on`.
   */
  introspection: boolean;
  /**
   * Whether the approved figures are published to readers without an account (open data and
   * the public GraphQL fields): on in development, off in production unless `UDX_PUBLIC=on`.
   */
  publicFigures: boolean;
  /**
   * How many reverse proxies stand in front of the server and append to `X-Forwarded-For`;
   * 0 (the default) believes no such header and takes the connection's peer as the client.
   */
  trustedProxies: number;
}

/**
 * Reads the settings from the environment once. This is the only place that reads
 * `process.env`; everything else receives a `Settings` object.
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`Invalid settings in the environment: ${problems}`);
  }
  const {
    PORT,
    DATABASE_URL,
    DATABASE_REPLICA_URL,
    UDX_DATA_DIR,
    NODE_ENV,
    UDX_INTROSPECTION,
    UDX_PUBLIC,
    UDX_TRUST_PROXY,
  } = parsed.data;
  if (DATABASE_REPLICA_URL && !DATABASE_URL) {
    throw new Error(
      'Invalid settings in the environment: DATABASE_REPLICA_URL needs DATABASE_URL. A replica ' +
        'is a PostgreSQL standby of a PostgreSQL primary; the embedded database has none.',
    );
  }
  return {
    port: PORT,
    databaseUrl: DATABASE_URL,
    databaseReplicaUrl: DATABASE_REPLICA_URL,
    dataDir: path.resolve(projectRoot, UDX_DATA_DIR ?? '.udx-data'),
    nodeEnv: NODE_ENV,
    isProduction: NODE_ENV === 'production',
    introspection: UDX_INTROSPECTION ? UDX_INTROSPECTION === 'on' : NODE_ENV !== 'production',
    publicFigures: UDX_PUBLIC ? UDX_PUBLIC === 'on' : NODE_ENV !== 'production',
    trustedProxies: UDX_TRUST_PROXY,
  };
}

/**
 * The PostgreSQL server the tests use in addition to PGlite, if any:
 * `UDX_TEST_DATABASE_URL`, or else `DATABASE_URL`.
 */
export function testDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.UDX_TEST_DATABASE_URL || env.DATABASE_URL || undefined;
}

/**
 * The password for the account `pnpm udx user:create` creates, if given as
 * `UDX_NEW_USER_PASSWORD` (never on the command line, where every user of the machine sees it).
 */
export function newUserPassword(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.UDX_NEW_USER_PASSWORD || undefined;
}
