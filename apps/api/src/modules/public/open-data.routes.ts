import type { IncomingMessage, ServerResponse } from 'node:http';
import { INDICATOR_CODES, type IndicatorCode } from '@udx/indicators/rules';
import type { Context } from '../../context.ts';
import type { HttpRoute } from '../../http/routes.ts';
import {
  OPEN_DATA_LICENCE,
  type OpenDataRow,
  openDataCsv,
  openDataRows,
  openSdgCsv,
} from './open-data.ts';
import { type FiguresChange, findFiguresChange } from './public.repository.ts';

/** Where the open data lives (README, "Open data and public figures"). */
export const OPEN_DATA_PATH = '/open-data/';

/** An open data file: its name below `/open-data/`, what it holds and how it is written. */
interface OpenDataFile {
  name: string;
  title: string;
  contentType: string;
  body(rows: readonly OpenDataRow[]): string;
}

const CSV = 'text/csv; charset=utf-8; header=present';
const JSON_TYPE = 'application/json; charset=utf-8';

const OPEN_DATA_FILES: readonly OpenDataFile[] = [
  {
    name: 'indicators.csv',
    title: 'Every indicator per year, for the programme and each partnership (CSV)',
    contentType: CSV,
    body: openDataCsv,
  },
  {
    name: 'indicators.json',
    title: 'Every indicator per year, for the programme and each partnership (JSON)',
    contentType: JSON_TYPE,
    body: (rows) => JSON.stringify({ licence: OPEN_DATA_LICENCE, rows }),
  },
  ...INDICATOR_CODES.map(
    (code: IndicatorCode): OpenDataFile => ({
      name: `indicator_${code}.csv`,
      title: `Indicator ${code} per year and partnership, in the Open SDG data format`,
      contentType: CSV,
      body: (rows) => openSdgCsv(rows, code),
    }),
  ),
];

/**
 * The strong validator of a public answer: the figures' data version, and the variant of the
 * answer when one path has several (the widget's languages).
 */
function entityTagOf(change: FiguresChange, variant?: string): string {
  return variant ? `"v${change.version}-${variant}"` : `"v${change.version}"`;
}

/**
 * Whether the client's copy is current: its `If-None-Match` names the entity tag, or, without
 * one, its `If-Modified-Since` is not before the last change (HTTP dates keep seconds).
 */
function isUnchanged(request: IncomingMessage, change: FiguresChange, entityTag: string): boolean {
  const tags = request.headers['if-none-match'];
  if (tags !== undefined) {
    return tags
      .split(',')
      .map((tag) => tag.trim().replace(/^W\//, ''))
      .some((tag) => tag === '*' || tag === entityTag);
  }
  const since = Date.parse(request.headers['if-modified-since'] ?? '');
  return !Number.isNaN(since) && Math.floor(change.changedAt.getTime() / 1000) * 1000 <= since;
}

/** A public answer: its media type, headers of its own, its variant and how its body is made. */
export interface PublicAnswer {
  contentType: string;
  headers?: Record<string, string>;
  /** Which of a path's answers this is, when they differ by a request header (`Vary`). */
  variant?: string;
  body(context: Context): Promise<string>;
}

/**
 * Answers a public file or page from the request's context: 304 when the client's copy is
 * current, else the body `answer` makes. Caches keep it and ask again each time (`no-cache`),
 * which costs one statement while nothing changed.
 */
export async function answerPublic(
  request: IncomingMessage,
  response: ServerResponse,
  context: Context,
  answer: PublicAnswer,
): Promise<void> {
  const change = await findFiguresChange(context.db);
  const entityTag = entityTagOf(change, answer.variant);
  const headers = {
    ETag: entityTag,
    'Last-Modified': change.changedAt.toUTCString(),
    'Cache-Control': 'public, no-cache',
    ...answer.headers,
  };
  if (isUnchanged(request, change, entityTag)) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  const body = await answer.body(context);
  response.writeHead(200, {
    ...headers,
    'Content-Type': answer.contentType,
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** The listing of `/open-data/`: the licence and every file with its last change. */
function listingOf(change: FiguresChange): unknown {
  const lastModified = change.changedAt.toISOString();
  return {
    licence: OPEN_DATA_LICENCE,
    lastModified,
    files: OPEN_DATA_FILES.map((file) => ({
      path: `${OPEN_DATA_PATH}${file.name}`,
      title: file.title,
      mediaType: file.contentType.split(';')[0],
      licence: OPEN_DATA_LICENCE.id,
      lastModified,
    })),
  };
}

function publicRoute(
  path: string,
  body: (context: Context) => Promise<string>,
  contentType: string,
): HttpRoute {
  return {
    path,
    methods: ['GET', 'HEAD'],
    audience: 'public',
    // anyone may read it, from any site
    handle: async (request, response, route) =>
      answerPublic(request, response, await route.openContext(), {
        contentType,
        headers: { 'Access-Control-Allow-Origin': '*' },
        body,
      }),
  };
}

/**
 * The open data (README, "Open data and public figures"): the listing at `/open-data/` and
 * each file, computed as the public role from approved values, for readers without an account.
 */
export const OPEN_DATA_ROUTES: readonly HttpRoute[] = [
  ...[OPEN_DATA_PATH, OPEN_DATA_PATH.slice(0, -1)].map((path) =>
    publicRoute(
      path,
      async (context) => JSON.stringify(listingOf(await findFiguresChange(context.db))),
      JSON_TYPE,
    ),
  ),
  ...OPEN_DATA_FILES.map((file) =>
    publicRoute(
      `${OPEN_DATA_PATH}${file.name}`,
      async (context) => file.body(await openDataRows(context)),
      file.contentType,
    ),
  ),
];
