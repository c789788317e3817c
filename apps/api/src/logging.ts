import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { pino } from 'pino';

/**
 * udx's logs: one JSON line per event (pino), and exactly one line per HTTP request with its
 * request id, operation, the account's role, duration, SQL statement count and outcome. Logs
 * never carry personal data or secrets: no e-mail addresses, passwords, tokens, cookies, query
 * variables or database error details (which may quote stored values).
 */
export type Logger = pino.Logger;

export interface LoggerOptions {
  /** `info` by default; `silent` for tests that do not read logs. */
  level?: pino.LevelWithSilent;
  /** Human-readable lines instead of JSON (development). */
  pretty?: boolean;
  /** Where lines go; standard output by default. */
  destination?: Writable;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? process.stdout;
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: serializeError },
      // a last line of defence: these never leave the process, whatever a caller logs
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'cookie',
          '*.cookie',
          'authorization',
          '*.authorization',
          'email',
          '*.email',
          'variables',
        ],
        censor: '[redacted]',
      },
    },
    options.pretty ? prettyStream(destination) : destination,
  );
}

/** A logger that writes nothing: the default of servers built in tests. */
export const silentLogger: Logger = createLogger({ level: 'silent' });

/**
 * An error as a log line may carry it: its kind, message, PostgreSQL code and constraint and the
 * stack. Not `detail`, `where` or `parameters`: PostgreSQL puts stored values there.
 */
function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return {
    type: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof constraint === 'string' ? { constraint } : {}),
    stack: error.stack,
  };
}

/** One line per event for a person reading a terminal: time, level, message, the rest as JSON. */
function prettyStream(destination: Writable): Writable & pino.DestinationStream {
  return {
    write(line: string) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line);
      } catch {
        destination.write(line);
        return true;
      }
      const { time, level, msg, ...rest } = entry;
      const clock = typeof time === 'string' ? time.slice(11, 19) : '';
      const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
      destination.write(`${clock} ${String(level).padEnd(5)} ${String(msg ?? '')}${extra}\n`);
      return true;
    },
  } as Writable & pino.DestinationStream;
}

/** What one request's log line reports, filled in as the request goes. */
export interface RequestRecord {
  requestId: string;
  /** SQL statements the request ran. */
  statements: number;
  operationName?: string;
  /** The role of the signed-in account, or ANONYMOUS; never who it is. */
  role?: string;
  /** The database that served the request, when a replica takes reads (`replica-routing.ts`). */
  database?: 'primary' | 'replica';
  /** Codes of the GraphQL errors the answer carried. */
  errorCodes?: string[];
  /** `performance.now()` after which the request may start no further statement. */
  deadline?: number;
}

const currentRequest = new AsyncLocalStorage<RequestRecord>();

/** A request id: the client's `X-Request-Id` when it is a plain token, else a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
}

/** Runs `fn` with `record` as the current request, for the statement count and the plugin. */
export function runWithRequestRecord<T>(record: RequestRecord, fn: () => T): T {
  return currentRequest.run(record, fn);
}

/** The record of the request the caller runs in, if any. */
export function currentRequestRecord(): RequestRecord | undefined {
  return currentRequest.getStore();
}

/**
 * Counts a statement for the request it ran in: pass as (or call from) the database's `log`
 * option. Statements outside a request (migrations, start-up) are not counted.
 */
export function countStatement(): void {
  const record = currentRequest.getStore();
  if (record) record.statements += 1;
}
