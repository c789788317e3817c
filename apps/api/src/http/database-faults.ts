import { GraphQLError } from 'graphql';

/**
 * What a client is told when the database, not the request, is the problem. Both are
 * temporary: the pool reconnects when PostgreSQL is back, and a busy pool frees up.
 */
export type DatabaseFault = 'DATABASE_UNAVAILABLE' | 'DATABASE_BUSY';

/** SQLSTATE classes and codes that mean the server is gone or going, not that a query is wrong. */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_SYSTEM_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

/**
 * Whether an error comes from the database being down or overloaded, and which: a refused or
 * lost connection, PostgreSQL shutting down or not yet accepting connections (unavailable), or
 * no pool connection free within the pool's wait (busy). Null for anything else.
 */
export function databaseFaultOf(error: unknown): DatabaseFault | null {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth += 1) {
    const { code } = cause as { code?: unknown };
    if (typeof code === 'string') {
      if (UNAVAILABLE_STATES.has(code) || code.startsWith('08')) return 'DATABASE_UNAVAILABLE';
      if (UNAVAILABLE_SYSTEM_CODES.has(code)) return 'DATABASE_UNAVAILABLE';
    }
    const message = cause.message;
    if (/timeout exceeded when trying to connect/i.test(message)) return 'DATABASE_BUSY';
    if (
      /Connection terminated|connection is closed|Client has encountered a connection error/i.test(
        message,
      )
    ) {
      return 'DATABASE_UNAVAILABLE';
    }
    cause = (cause as { cause?: unknown }).cause;
  }
  return null;
}

const MESSAGES: Record<DatabaseFault, string> = {
  DATABASE_UNAVAILABLE: 'The database is unavailable at the moment. Try again in a minute.',
  DATABASE_BUSY:
    'The database is busy with other requests; nothing was changed. Try again in a moment.',
};

/** The error a client gets for a database fault: HTTP 503 when it ends the request early. */
export function databaseFaultError(fault: DatabaseFault): GraphQLError {
  return new GraphQLError(MESSAGES[fault], {
    extensions: { code: fault, http: { status: 503 } },
  });
}
