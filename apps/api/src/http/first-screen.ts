import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createBrotliCompress, createGzip, constants as zlib } from 'node:zlib';
import { sessionTokenFrom } from '../auth/session.ts';
import type { Logger } from '../logging.ts';
import { escapeHtml } from '../modules/public/embed.page.ts';
import { chooseEncoding } from './compression.ts';
import { DASHBOARD_CSP } from './security-headers.ts';

/**
 * The dashboard's first screen rendered on the server (docs/architecture.md, "The first
 * screen"): for a signed-in browser opening the overview, the API sends the page's HTML with its
 * figures and charts drawn, made by the dashboard's own components (its server build,
 * `apps/dashboard/dist-server/entry-server.js`), and the browser's app takes it over. Without
 * the server build, for a page not rendered here, or for a viewer who is not signed in, the
 * dashboard's `index.html` goes out as it is, and the browser draws the page.
 */

/** One operation the dashboard's first screen asks, as `entry-server.ts` passes it. */
export interface FirstScreenOperation {
  query: string;
  operationName: string;
  variables: Record<string, unknown>;
}

/** An operation's answer, as GraphQL over HTTP would send it. */
export interface FirstScreenAnswer {
  data?: Record<string, unknown> | null;
  errors?: readonly unknown[];
}

/** The dashboard's server build, as far as the API uses it (`src/entry-server.ts`). */
interface DashboardServerBuild {
  FIRST_SCREEN_STATE_ID: string;
  localeOfRequest(cookie: string | undefined, acceptLanguage: string | undefined): 'de' | 'en';
  prepareFirstScreen(request: {
    url: string;
    locale: 'de' | 'en';
    execute(operation: FirstScreenOperation): Promise<FirstScreenAnswer>;
  }): Promise<
    | {
        title: string;
        /** Undefined for a page too large to render here: the browser draws it. */
        render(): Promise<{ html: string; state: unknown } | undefined>;
      }
    | undefined
  >;
}

/** Runs an operation of the first screen as the request's viewer, in `language`. */
export type RunOperation = (
  operation: FirstScreenOperation,
  language: 'de' | 'en',
) => Promise<FirstScreenAnswer>;

/** The server build beside the dashboard's `dist` (`dist-server`), if it was built. */
export function firstScreenEntryOf(dashboardDir: string): string {
  return path.join(dashboardDir, '..', 'dist-server', 'entry-server.js');
}

export function createFirstScreen(
  entry: string | undefined,
  indexFile: string | undefined,
  logger: Logger,
) {
  let build: Promise<DashboardServerBuild | undefined> | undefined;
  const load = () => {
    // Loaded once, with the first page asked for; a build that does not load is logged, and the
    // pages go out as index.html.
    build ??=
      entry && existsSync(entry)
        ? (import(pathToFileURL(entry).href) as Promise<DashboardServerBuild>).catch(
            (error: unknown) => {
              logger.error({ err: error }, 'First screen: the server build does not load');
              return undefined;
            },
          )
        : Promise.resolve(undefined);
    return build;
  };
  // index.html as built, read afresh (a kilobyte): the dashboard may be rebuilt meanwhile
  const readTemplate = () =>
    indexFile && existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : undefined;

  return {
    /**
     * Answers a GET or HEAD of a dashboard page with its first screen rendered, if it is one
     * rendered here and the request is signed in; false to leave the request to `index.html`.
     */
    async serve(
      request: IncomingMessage,
      response: ServerResponse,
      url: URL,
      headOnly: boolean,
      run: RunOperation,
    ): Promise<boolean> {
      // A request without a session is signed out: the browser's app sends it to sign in.
      if (url.pathname !== '/' || sessionTokenFrom(request.headers) === null) return false;
      const page = readTemplate();
      const dashboard = page ? await load() : undefined;
      if (!page || !dashboard) return false;
      const locale = dashboard.localeOfRequest(
        request.headers.cookie,
        request.headers['accept-language'],
      );
      let failed = false;
      const execute = async (operation: FirstScreenOperation) => {
        const answer = await run(operation, locale).catch((error: unknown) => {
          logger.warn({ err: error }, 'First screen: an operation failed');
          return { errors: [{ message: 'failed' }] };
        });
        if (answer.errors?.length) failed = true;
        return answer;
      };
      let prepared: Awaited<ReturnType<DashboardServerBuild['prepareFirstScreen']>>;
      try {
        prepared = await dashboard.prepareFirstScreen({
          url: `${url.pathname}${url.search}`,
          locale,
          execute,
        });
      } catch (error) {
        logger.error({ err: error }, 'First screen: preparing failed');
        return false;
      }
      if (!prepared || failed) return false;
      const [head, tail, ...more] = page.split(APP_ELEMENT);
      if (head === undefined || tail === undefined || more.length > 0) return false;
      // The head goes out at once, so that the browser fetches the style sheet and the scripts
      // while the page renders; the page follows, or the empty app element the browser fills.
      const out = openPage(response, headOnly, logger);
      if (headOnly) return true;
      out.write(
        head
          .replace(/<html lang="[^"]*">/, `<html lang="${locale}">`)
          .replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(prepared.title)}</title>`),
      );
      out.flush();
      let body = APP_ELEMENT;
      try {
        const screen = await prepared.render();
        // A page with an error in it is drawn by the browser, which can offer to try again; so is
        // a page too large to render here.
        if (screen && !failed) {
          body =
            `<div id="app">${screen.html}</div>` +
            `<script type="application/json" id="${dashboard.FIRST_SCREEN_STATE_ID}">` +
            `${jsonInHtml(screen.state)}</script>`;
        }
      } catch (error) {
        logger.error({ err: error }, 'First screen: rendering failed');
      }
      out.end(body + tail);
      return true;
    },
  };
}

/** Where index.html's app goes: empty, the browser draws it; filled, the browser takes it over. */
const APP_ELEMENT = '<div id="app"></div>';

/** JSON inside a `<script>` element: no `</script>` or `<!--` can end or change it. */
function jsonInHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Starts a rendered page: one viewer's figures, so never stored by a shared cache or kept by the
 * browser, compressed as it is written (quickly: it is made for this request alone). `flush`
 * sends what was written so far.
 */
function openPage(
  response: ServerResponse,
  headOnly: boolean,
  logger: Logger,
): { write(text: string): void; flush(): void; end(text: string): void } {
  const encoding = chooseEncoding(response.req?.headers['accept-encoding']);
  response.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    Vary: 'Accept-Encoding, Accept-Language, Cookie',
    ...(encoding ? { 'Content-Encoding': encoding } : {}),
    'Content-Security-Policy': DASHBOARD_CSP,
  });
  if (headOnly) response.end();
  if (!encoding) {
    return {
      write: (text) => response.write(text),
      flush: () => {},
      end: (text) => response.end(text),
    };
  }
  const compressor =
    encoding === 'br'
      ? createBrotliCompress({ params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } })
      : createGzip({ level: 6 });
  // A browser that leaves before the page is complete closes the connection: no error of ours.
  pipeline(compressor, response, (error) => {
    if (error && !response.destroyed) logger.warn({ err: error }, 'First screen: sending failed');
  });
  return {
    write: (text) => compressor.write(text),
    flush: () => compressor.flush(),
    end: (text) => compressor.end(text),
  };
}
