import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { SESSION_COOKIE } from '../auth/session.ts';
import type { SessionCache } from '../auth/session-cache.ts';
import { type Context, languageFrom } from '../context.ts';
import { currentRequestRecord, type Logger } from '../logging.ts';
import { EXPORT_ROUTES } from '../modules/export/export.routes.ts';
import { IMPORT_ROUTES } from '../modules/import/import.routes.ts';
import { EMBED_ROUTES } from '../modules/public/embed.routes.ts';
import { OPEN_DATA_ROUTES } from '../modules/public/open-data.routes.ts';
import type { FigureCache } from '../modules/shared/figure-cache.ts';
import { databaseFaultOf } from './database-faults.ts';
import { HttpError, sendJson } from './http-error.ts';
import type { DatabaseRouter } from './replica-routing.ts';
import { RequestDeadlineError, requestDeadlineError } from './request-deadline.ts';

/** What a server keeps across requests (see `openRequestScope` and `figure-cache.ts`). */
export interface RequestCaches {
  sessions: SessionCache;
  figures: FigureCache;
}

/**
 * A plain HTTP endpoint beside `/graphql` (files to download, files to upload): the path it
 * answers, its methods, and what it does with a request scope of its own.
 */
export interface HttpRoute {
  /**
   * The exact path, e.g. `/export/indicators.csv`; with `prefix`, the start of every path it
   * answers, e.g. `/embed/partnerships/` (the route reads the rest from `url`).
   */
  path: string;
  prefix?: boolean;
  methods: readonly string[];
  /**
   * `public`: served only where the server publishes figures (`UDX_PUBLIC`), and run without a
   * viewer whatever session the request carries, as the public role (README, "Open data and
   * public figures").
   */
  audience?: 'public';
  handle(request: IncomingMessage, response: ServerResponse, route: RouteRequest): Promise<void>;
}

/** What a route gets besides the raw request and response. */
export interface RouteRequest {
  url: URL;
  /**
   * Opens the request's transaction as its viewer's database role (exactly as `/graphql`
   * does, see `openRequestScope`), with a context the API's services accept. The scope is
   * ended by the route table after `handle` returns or throws; a route that writes ends it
   * itself (`endViewerScope`) before its answer, so that the client's next request sees what
   * it wrote.
   */
  openContext(): Promise<Context>;
}

/**
 * Every plain HTTP endpoint of the server, looked up by `server.ts` before the dashboard's
 * files. Another family of endpoints adds its list here.
 */
const HTTP_ROUTES: readonly HttpRoute[] = [
  ...EXPORT_ROUTES,
  ...IMPORT_ROUTES,
  ...OPEN_DATA_ROUTES,
  ...EMBED_ROUTES,
];

/**
 * The route of a path, if one answers it. A public route is found whether or not the server
 * publishes figures: where it does not, the server answers its paths 404 (README, "Open data and
 * public figures").
 */
export function findRoute(pathname: string): HttpRoute | undefined {
  return HTTP_ROUTES.find((route) =>
    route.prefix ? pathname.startsWith(route.path) : route.path === pathname,
  );
}

/** Where the dashboard has its public pages (README, "Open data and public figures"). */
const PUBLIC_PAGES = '/public';

/** Whether a path is one of the dashboard's public pages, which exist only where figures are published. */
export function isPublicPagePath(pathname: string): boolean {
  return pathname === PUBLIC_PAGES || pathname.startsWith(`${PUBLIC_PAGES}/`);
}

/**
 * A request's headers without its session (the bearer token and the session cookie): a public
 * request reads as nobody in particular. Other cookies stay, the WAL position among them, so
 * that a client still reads its own writes (`replica-routing.ts`).
 */
export function withoutCredentials(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const { cookie, authorization: _authorization, ...rest } = headers;
  const others = (cookie ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '' && part.split('=')[0]?.trim() !== SESSION_COOKIE);
  return others.length > 0 ? { ...rest, cookie: others.join('; ') } : rest;
}

/** What the API's deliberate errors (GraphQLError codes) mean in HTTP. */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  DATABASE_UNAVAILABLE: 503,
  DATABASE_BUSY: 503,
  REQUEST_TIMEOUT: 503,
};

/**
 * Runs a route in its own request scope: refuses other methods with 405, answers the API's
 * deliberate errors (bad parameter, not signed in, not allowed, not found) with their HTTP
 * status and a JSON body naming the field, and always ends the transaction. Errors after the
 * answer has started are left to the server, which cuts the connection: a half-written file
 * must not look complete.
 */
export async function runRoute(
  route: HttpRoute,
  request: IncomingMessage,
  response: ServerResponse,
  options: {
    /** Downloads (GET, HEAD) may read from the replica; uploads run on the primary. */
    router: DatabaseRouter;
    url: URL;
    logger: Logger;
    caches?: RequestCaches;
    /** The request's `Host`, unknown in production: the WAL position cookie's `Secure`. */
    requestHost: string | undefined;
  },
): Promise<void> {
  const method = request.method ?? 'GET';
  if (!route.methods.includes(method)) {
    throw new HttpError(405, `${method} is not allowed here`, 'METHOD_NOT_ALLOWED', {
      Allow: route.methods.join(', '),
    });
  }
  let end: (() => Promise<void>) | undefined;
  const openContext = async (): Promise<Context> => {
    const caches = options.caches;
    const access = method === 'GET' || method === 'HEAD' ? 'read' : 'write';
    const headers =
      route.audience === 'public' ? withoutCredentials(request.headers) : request.headers;
    const scope = await options.router.openScope(headers, access);
    end = options.router.endOf(scope, access, {
      requestHost: options.requestHost,
      setHeader: (name, value) => {
        if (!response.headersSent) response.setHeader(name, value);
      },
      addCookie: (cookie) => {
        if (!response.headersSent) response.appendHeader('Set-Cookie', cookie);
      },
    });
    // the request's log line names the role, as for GraphQL operations
    const record = currentRequestRecord();
    if (record) record.role = scope.viewer?.role ?? 'ANONYMOUS';
    return {
      db: scope.db,
      viewer: scope.viewer,
      language: languageFrom(request.headers['accept-language']),
      response: { setCookies: [] },
      endViewerScope: end,
      figures: caches && { cache: caches.figures, version: scope.version },
    };
  };
  try {
    await route.handle(request, response, { url: options.url, openContext });
  } catch (error) {
    if (response.headersSent) {
      // a client that went away mid-download is no fault of the server's
      if (response.destroyed && !response.writableFinished) {
        options.logger.info({ path: route.path }, 'The client left before the file was complete');
        return;
      }
      throw error;
    }
    const answer = deliberateAnswer(error);
    if (!answer) throw error;
    if (answer.status >= 500) options.logger.warn({ err: error }, 'Database fault');
    const record = currentRequestRecord();
    if (record) record.errorCodes = [String(answer.extensions.code)];
    sendJson(response, answer.status, {
      errors: [{ message: answer.message, extensions: answer.extensions }],
    });
  } finally {
    // a read-only request: its commit only ends the transaction; a failure there changes
    // nothing the client received
    await end?.().catch((error: unknown) => {
      options.logger.warn({ err: error }, 'Could not end the request scope');
    });
  }
}

function deliberateAnswer(
  error: unknown,
): { status: number; message: string; extensions: Record<string, unknown> } | null {
  if (error instanceof RequestDeadlineError) return deliberateAnswer(requestDeadlineError());
  const fault = databaseFaultOf(error);
  if (fault) {
    return {
      status: 503,
      message: 'The database is unavailable at the moment. Try again in a minute.',
      extensions: { code: fault },
    };
  }
  if (!(error instanceof GraphQLError)) return null;
  const code = String(error.extensions.code ?? '');
  const status = STATUS_OF_CODE[code];
  if (status === undefined) return null;
  const field = error.extensions.field;
  return {
    status,
    message: error.message,
    extensions: { code, ...(typeof field === 'string' ? { field } : {}) },
  };
}
