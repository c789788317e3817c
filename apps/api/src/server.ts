import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Db } from '@udx/db/database';
import { sql } from 'kysely';
import { openRequestScope, PUBLIC_ROLE } from './auth/row-level-security.ts';
import { SessionCache } from './auth/session-cache.ts';
import { type Context, languageFrom } from './context.ts';
import { DEFAULT_BODY_LIMIT } from './http/body.ts';
import { clientAddressOf } from './http/client-address.ts';
import { databaseFaultError, databaseFaultOf } from './http/database-faults.ts';
import { createFirstScreen, firstScreenEntryOf, type RunOperation } from './http/first-screen.ts';
import {
  GRAPHIQL_ASSETS,
  sendGraphiQL,
  sendGraphiQLAsset,
  wantsGraphiQL,
} from './http/graphiql.ts';
import { createApollo, handleGraphQL } from './http/graphql.ts';
import { clientErrorAnswer, HttpError, sendJson, sendJsonError } from './http/http-error.ts';
import { AnswerCache, keptAnswerSlot } from './http/kept-answers.ts';
import { type OperationText, operationFacts } from './http/operation-access.ts';
import { createDatabaseRouter, type DatabaseAccess } from './http/replica-routing.ts';
import {
  DEFAULT_REQUEST_DEADLINE_MS,
  RequestDeadlineError,
  requestDeadlineError,
  requestDeadlinePlugin,
} from './http/request-deadline.ts';
import {
  findRoute,
  isPublicPagePath,
  type RequestCaches,
  runRoute,
  withoutCredentials,
} from './http/routes.ts';
import { setSecurityHeaders } from './http/security-headers.ts';
import { createStaticHandler, sendDashboardMissing } from './http/static-files.ts';
import {
  type Logger,
  type RequestRecord,
  requestIdFrom,
  runWithRequestRecord,
  silentLogger,
} from './logging.ts';
import { FigureCache } from './modules/shared/figure-cache.ts';

export interface ServerOptions {
  /** The database: the primary, when there is a replica. */
  db: Db;
  /**
   * A PostgreSQL streaming replica of `db` (`DATABASE_REPLICA_URL`), opened read-only: it
   * serves GraphQL queries and downloads (see `http/replica-routing.ts`).
   */
  replicaDb?: Db | undefined;
  /** The built dashboard (`apps/dashboard/dist`); `/` says it is missing when the folder is. */
  dashboardDir?: string | undefined;
  /**
   * The dashboard's server build that renders its first screen (`http/first-screen.ts`); by
   * default `dist-server/entry-server.js` beside `dashboardDir`, used when it was built. `false`
   * sends every page as `index.html`, drawn in the browser.
   */
  firstScreen?: string | false;
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  logger?: Logger;
  /**
   * Production: HSTS on every answer and Secure session cookies whatever the Host; whole-schema
   * introspection off unless `introspection` says otherwise.
   */
  production?: boolean;
  /** Whether `__schema` may be asked for; by default, everywhere but in production. */
  introspection?: boolean;
  /**
   * Whether the approved figures are published to readers without an account (`UDX_PUBLIC`):
   * the open data and the public GraphQL fields. By default everywhere but in production.
   */
  publicFigures?: boolean;
  /** Reverse proxies in front of the server whose `X-Forwarded-For` is believed (default 0). */
  trustedProxies?: number;
  /** How long a request may run statements (see `request-deadline.ts`); 15 s by default. */
  requestDeadlineMs?: number;
}

export interface UdxServer {
  /** Starts listening; port 0 picks a free port. Resolves with the URL of the server. */
  listen(port: number, host?: string): Promise<string>;
  /** Stops taking requests, lets running ones finish, stops Apollo. */
  close(): Promise<void>;
  /** The handler, for tests that drive it without a socket. */
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
}

/**
 * The one HTTP server of udx: the GraphQL API at `/graphql` (GraphiQL for browsers), the
 * dashboard at `/`, and `/healthz` for load balancers.
 */
export async function createServer(options: ServerOptions): Promise<UdxServer> {
  // every statement of a request first checks that the request is not past its deadline
  const db = options.db.withPlugin(requestDeadlinePlugin);
  const deadlineMs = options.requestDeadlineMs ?? DEFAULT_REQUEST_DEADLINE_MS;
  const logger = options.logger ?? silentLogger;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const dashboard = createStaticHandler(options.dashboardDir);
  const firstScreen = createFirstScreen(
    options.firstScreen === false
      ? undefined
      : (options.firstScreen ??
          (options.dashboardDir ? firstScreenEntryOf(options.dashboardDir) : undefined)),
    options.dashboardDir ? path.join(options.dashboardDir, 'index.html') : undefined,
    logger,
  );
  // kept across requests, under the data version each request reads first
  const caches: RequestCaches = { sessions: new SessionCache(), figures: new FigureCache() };
  const answers = new AnswerCache();
  const production = options.production ?? false;
  const publicFigures = options.publicFigures ?? !production;
  // where figures are published, requests without a viewer read them as the public role
  const anonymousRole = publicFigures ? PUBLIC_ROLE : undefined;
  const router = createDatabaseRouter({
    primary: db,
    replica: options.replicaDb?.withPlugin(requestDeadlinePlugin),
    openRequestScope: (target, headers) =>
      openRequestScope(target, headers, caches.sessions, anonymousRole),
    logger,
  });

  // The handler is attached after Apollo starts: Apollo's drain plugin needs the server first.
  // Node would answer an HTTP/1.1 request without Host with an empty 400; handle() answers JSON.
  const httpServer = createHttpServer({ requireHostHeader: false });
  const apollo = await createApollo(httpServer, logger, {
    introspection: options.introspection ?? !production,
  });

  async function createContext(
    request: IncomingMessage,
    response: ServerResponse,
    setCookies: string[],
    operation: OperationText,
  ): Promise<Context> {
    try {
      const facts = operationFacts(operation);
      // without a replica every request runs on the one database: nothing to tell apart
      const access = router.hasReplica ? facts.access : 'write';
      const asPublic = publicFigures && facts.isPublic;
      return await openContext(request, response, setCookies, access, asPublic);
    } catch (error) {
      if (error instanceof RequestDeadlineError) throw requestDeadlineError();
      // the database is down or busy before the operation could start: a 503 that says so
      const fault = databaseFaultOf(error);
      if (fault) {
        logger.warn({ err: error }, 'Database fault');
        throw databaseFaultError(fault);
      }
      throw error;
    }
  }

  async function openContext(
    request: IncomingMessage,
    response: ServerResponse,
    setCookies: string[],
    access: DatabaseAccess,
    asPublic: boolean,
  ): Promise<Context> {
    // Every request runs in one transaction, as the database role of its viewer (anonymous
    // ones included), so that row-level security and grants hold it to its rights. A query may
    // run on the replica; a mutation runs on the primary. An operation of public fields alone
    // runs without a viewer, as the public role: the same figures for everyone.
    const headers = asPublic ? withoutCredentials(request.headers) : request.headers;
    const scope = await router.openScope(headers, access);
    const requestHost = production ? undefined : request.headers.host;
    return {
      db: scope.db,
      viewer: scope.viewer,
      figures: { cache: caches.figures, version: scope.version },
      publicFigures,
      language: languageFrom(request.headers['accept-language']),
      response: { setCookies },
      // In production the session cookie is always Secure: behind a reverse proxy the Host
      // may well say localhost. Only a developer's plain http://localhost keeps it without.
      requestHost,
      clientAddress: clientAddressOf(request, options.trustedProxies ?? 0),
      endViewerScope: router.endOf(scope, access, {
        requestHost,
        setHeader: (name, value) => response.setHeader(name, value),
        addCookie: (cookie) => setCookies.push(cookie),
      }),
    };
  }

  /**
   * Runs a query of the dashboard's first screen as the request's viewer, exactly as `/graphql`
   * would (its own transaction as the viewer's role), in the language the page is rendered in.
   * Cookies the viewer's session sets (a refreshed session) go out with the page.
   */
  function firstScreenRunner(request: IncomingMessage, response: ServerResponse): RunOperation {
    const setCookies: string[] = [];
    return async (operation, language) => {
      if (operationFacts(operation).access !== 'read') {
        return { errors: [{ message: 'The first screen only reads' }] };
      }
      let context: Context | undefined;
      try {
        context = await createContext(request, response, setCookies, operation);
        const result = await apollo.executeOperation(operation, {
          contextValue: { ...context, language: languageFrom(language) },
        });
        return result.body.kind === 'single'
          ? result.body.singleResult
          : { errors: [{ message: 'An incremental answer' }] };
      } finally {
        await context?.endViewerScope?.();
        // The page's head may be on its way already; the app's next request renews the cookie.
        if (setCookies.length > 0 && !response.headersSent) {
          response.setHeader('Set-Cookie', setCookies);
        }
      }
    };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    setSecurityHeaders(response, { production });
    const method = request.method ?? 'GET';
    const headOnly = method === 'HEAD';
    if (request.httpVersion === '1.1' && !request.headers.host) {
      sendJsonError(response, 400, 'An HTTP/1.1 request needs a Host header', 'BAD_REQUEST');
      return;
    }
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      sendJsonError(response, 400, 'Malformed request URL', 'BAD_REQUEST');
      return;
    }
    try {
      const pathname = url.pathname;
      if (pathname === '/graphql' || pathname === '/graphql/') {
        if ((method === 'GET' || headOnly) && wantsGraphiQL(request.headers.accept, url)) {
          sendGraphiQL(response, headOnly);
          return;
        }
        // signIn and signOut leave their cookies here; they go out with the answer
        const setCookies: string[] = [];
        let context: Context | undefined;
        try {
          await handleGraphQL(apollo, request, response, {
            url,
            createContext: async (operation) => {
              context = await createContext(request, response, setCookies, operation);
              return context;
            },
            setCookies,
            bodyLimit,
            keptAnswers: (operation, body) =>
              keptAnswerSlot(
                { cache: answers, sessions: caches.sessions, router, publicFigures },
                request,
                operation,
                body,
                () => context,
              ),
          });
        } finally {
          // normally ended before the answer went out (viewerScopePlugin); this covers requests
          // Apollo refused after creating their context. The answer is sent by now: a database
          // lost meanwhile is logged, not thrown at it (that would cut the connection).
          await context?.endViewerScope?.().catch((error: unknown) => {
            if (!databaseFaultOf(error)) throw error;
            logger.warn({ err: error }, 'Database fault after the answer');
          });
        }
        return;
      }
      if (pathname.startsWith(GRAPHIQL_ASSETS) && (method === 'GET' || headOnly)) {
        sendGraphiQLAsset(response, pathname.slice(GRAPHIQL_ASSETS.length), headOnly);
        return;
      }
      if (pathname === '/livez') {
        sendJson(response, 200, { status: 'ok' });
        return;
      }
      if (pathname === '/readyz' || pathname === '/healthz') {
        await sendReadiness(db, response);
        return;
      }
      // plain HTTP endpoints beside GraphQL (exports), from one table in http/routes.ts
      const route = findRoute(pathname);
      // where nothing is published, a public path is no page of the dashboard either
      if (route?.audience === 'public' && !publicFigures) {
        throw new HttpError(404, `Nothing at ${pathname}`, 'NOT_FOUND');
      }
      if (route) {
        await runRoute(route, request, response, {
          router,
          url,
          logger,
          caches,
          requestHost: production ? undefined : request.headers.host,
        });
        return;
      }
      if (method !== 'GET' && !headOnly) {
        throw new HttpError(405, `${method} is not allowed here`, 'METHOD_NOT_ALLOWED', {
          Allow: 'GET, HEAD',
        });
      }
      // the dashboard's public pages where nothing is published: their page says so, with 404
      const status = !publicFigures && isPublicPagePath(pathname) ? 404 : 200;
      if (
        status === 200 &&
        (await firstScreen.serve(
          request,
          response,
          url,
          headOnly,
          firstScreenRunner(request, response),
        ))
      ) {
        return;
      }
      if (dashboard.serve(pathname, response, headOnly, status)) return;
      if (pathname === '/' || pathname === '/index.html') {
        sendDashboardMissing(response, headOnly);
        return;
      }
      throw new HttpError(404, `Nothing at ${pathname}`, 'NOT_FOUND');
    } catch (error) {
      if (response.headersSent) {
        logger.error({ err: error }, 'Failed while answering a request');
        response.destroy();
        return;
      }
      if (error instanceof HttpError) {
        sendJsonError(response, error.status, error.message, error.code, error.headers);
        return;
      }
      logger.error({ err: error, method, path: url.pathname }, 'Unexpected error');
      sendJsonError(response, 500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
    }
  }

  httpServer.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const record: RequestRecord = {
      requestId: requestIdFrom(request.headers['x-request-id']),
      statements: 0,
    };
    response.setHeader('X-Request-Id', record.requestId);
    const started = performance.now();
    record.deadline = started + deadlineMs;
    response.once('close', () => logRequest(logger, request, response, record, started));
    void runWithRequestRecord(record, () => handle(request, response));
  });
  // A client that sends garbage gets a 4xx in JSON and a closed connection, nothing more.
  httpServer.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (socket.writable) socket.end(clientErrorAnswer(error));
    else socket.destroy();
  });

  return {
    handle,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          const address = httpServer.address() as AddressInfo;
          const shown = host && host !== '0.0.0.0' && host !== '::' ? host : 'localhost';
          resolve(`http://${shown.includes(':') ? `[${shown}]` : shown}:${address.port}`);
        });
      }),
    close: async () => {
      // Apollo's drain plugin closes the HTTP server and waits for requests in flight.
      await apollo.stop();
      if (httpServer.listening) {
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      }
    },
  };
}

/**
 * The one log line of a request. The path without its query string: a GET's variables may hold
 * personal data, and the operation is named by `operationName`.
 */
function logRequest(
  logger: Logger,
  request: IncomingMessage,
  response: ServerResponse,
  record: RequestRecord,
  started: number,
): void {
  const status = response.statusCode;
  const codes = record.errorCodes ?? [];
  const outcome = !response.writableFinished
    ? 'aborted'
    : status >= 500 || codes.includes('INTERNAL_SERVER_ERROR')
      ? 'failed'
      : status >= 400 || codes.length > 0
        ? 'refused'
        : 'ok';
  logger.info(
    {
      requestId: record.requestId,
      method: request.method,
      path: (request.url ?? '/').split('?')[0],
      status,
      operationName: record.operationName,
      role: record.role,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      statements: record.statements,
      ...(record.database ? { database: record.database } : {}),
      outcome,
      ...(codes.length > 0 ? { errorCodes: codes } : {}),
    },
    'request',
  );
}

/**
 * Readiness for a load balancer: 200 when the database answers within two seconds, else 503
 * with the reason, so that traffic goes to another instance until this one can serve it.
 * (`/livez` only says the process runs; `/healthz` is the older name of `/readyz`.)
 */
async function sendReadiness(db: Db, response: ServerResponse): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sql`select 1`.execute(db),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer within 2 s')), 2_000);
      }),
    ]);
    sendJson(response, 200, { status: 'ok', database: 'up' });
  } catch (error) {
    // the reason in words, not the driver's message, which names hosts and ports
    const fault = databaseFaultOf(error) ?? 'DATABASE_UNAVAILABLE';
    const reason =
      fault === 'DATABASE_BUSY'
        ? 'every database connection is busy'
        : 'the database does not answer';
    sendJson(response, 503, { status: 'unavailable', database: 'down', code: fault, reason });
  } finally {
    clearTimeout(timer);
  }
}
