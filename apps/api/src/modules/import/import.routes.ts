import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Context, type Language, languageFrom, type Viewer } from '../../context.ts';
import { mediaTypeOf } from '../../http/body.ts';
import { HttpError, sendJson } from '../../http/http-error.ts';
import type { HttpRoute, RouteRequest } from '../../http/routes.ts';
import { currentRequestRecord } from '../../logging.ts';
import { VALUE_REPORTERS } from '../reported-value/reported-value.service.ts';
import { REFUSALS } from './import.messages.ts';
import {
  BodyTooLargeError,
  CSV_TYPES,
  csvRows,
  limitedBody,
  UnreadableFileError,
  XLSX_TYPE,
  xlsxRows,
} from './import.reader.ts';
import { ImportConflictError, importValues } from './import.service.ts';
import { sendTemplate } from './import.template.ts';

/** Largest import file: 100,000 rows of CSV are some 5 MiB (README, "Import"). */
export const IMPORT_BODY_LIMIT = 50 * 1024 * 1024;
/**
 * How long an import may keep the database busy: far longer than a GraphQL request (the
 * rows are checked in chunks of a thousand; 100,000 rows take 100 rounds of statements).
 */
export const IMPORT_DEADLINE_MS = 5 * 60_000;

/**
 * The routes of imports (README, "Import"): `POST /import/values` takes a CSV or XLSX file of
 * reported values (`?dryRun=true` only checks it); `GET /import/values/template.csv` and
 * `.xlsx` give the file to fill in. Signed in by cookie or bearer token as for `/graphql`, in
 * the request's transaction as the account's database role (see `runRoute`).
 */
export const IMPORT_ROUTES: readonly HttpRoute[] = [
  {
    path: '/import/values',
    methods: ['POST'],
    handle: (request, response, route) => handleImport(request, response, route),
  },
  ...(['csv', 'xlsx'] as const).map(
    (format): HttpRoute => ({
      path: `/import/values/template.${format}`,
      methods: ['GET', 'HEAD'],
      async handle(request, response, route) {
        const language = requestLanguage(request, route.url);
        const { db, viewer } = await openReporterContext(route, language);
        await sendTemplate(db, viewer, response, {
          format,
          language,
          headOnly: request.method === 'HEAD',
        });
      },
    }),
  ),
];

/** `?lang=de` or `?lang=en`, else the Accept-Language header. */
function requestLanguage(request: IncomingMessage, url: URL): Language {
  const asked = url.searchParams.get('lang');
  return asked === 'de' || asked === 'en'
    ? asked
    : languageFrom(request.headers['accept-language']);
}

/** A refusal in the request's language; the rest of the body is not read. */
function refusal(
  status: number,
  code: keyof typeof REFUSALS,
  language: Language,
  values: Record<string, string> = {},
): HttpError {
  let message: string = REFUSALS[code][language];
  for (const [name, value] of Object.entries(values)) message = message.replace(`{${name}}`, value);
  return new HttpError(status, message, code, { Connection: 'close' });
}

/** The request's context, for a signed-in account that may report values (else 401 or 403). */
async function openReporterContext(
  route: RouteRequest,
  language: Language,
): Promise<Context & { viewer: Viewer }> {
  const context = await route.openContext();
  const { viewer } = context;
  if (!viewer) throw refusal(401, 'UNAUTHENTICATED', language);
  const record = currentRequestRecord();
  if (record) record.role = viewer.role;
  if (!VALUE_REPORTERS.includes(viewer.role)) throw refusal(403, 'FORBIDDEN', language);
  return { ...context, viewer };
}

async function handleImport(
  request: IncomingMessage,
  response: ServerResponse,
  route: RouteRequest,
): Promise<void> {
  const language = requestLanguage(request, route.url);
  const limit = IMPORT_BODY_LIMIT;
  const limitText = String(Math.round(limit / 1024 / 1024));
  const type = mediaTypeOf(request.headers['content-type']);
  const format = type === XLSX_TYPE ? 'xlsx' : type && CSV_TYPES.includes(type) ? 'csv' : null;
  // a large file takes longer than a GraphQL request may
  const record = currentRequestRecord();
  if (record) record.deadline = performance.now() + IMPORT_DEADLINE_MS;
  const context = await openReporterContext(route, language);
  if (format === null) throw refusal(415, 'UNSUPPORTED_MEDIA_TYPE', language);
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    throw refusal(413, 'PAYLOAD_TOO_LARGE', language, { limit: limitText });
  }
  const body = limitedBody(request as AsyncIterable<Buffer>, limit);
  try {
    const result = await importValues(
      context.db,
      context.viewer,
      format === 'csv' ? csvRows(body) : xlsxRows(body),
      { dryRun: route.url.searchParams.get('dryRun') === 'true', language, format },
    );
    // committed before the answer goes out, so that the next request sees the values
    await context.endViewerScope?.();
    sendJson(response, !result.dryRun && result.problemCount > 0 ? 422 : 200, result);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      throw refusal(413, 'PAYLOAD_TOO_LARGE', language, { limit: limitText });
    }
    if (error instanceof UnreadableFileError) {
      if (error.kind === 'utf8') throw refusal(400, 'NOT_UTF8', language);
      throw error.kind === 'csv'
        ? refusal(400, 'NOT_CSV', language, { reason: error.reason })
        : refusal(400, 'NOT_XLSX', language);
    }
    if (error instanceof ImportConflictError) throw refusal(409, 'CONFLICT', language);
    // the client went away mid-upload: nothing was kept, and it is no fault of the server's
    if (request.destroyed || (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
      throw new HttpError(
        400,
        'The upload was cut off before the file was complete',
        'BAD_REQUEST',
      );
    }
    throw error;
  }
}
