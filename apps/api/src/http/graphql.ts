import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  ApolloServer,
  type ApolloServerPlugin,
  HeaderMap,
  type HTTPGraphQLResponse,
} from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { PothosValidationError } from '@pothos/core';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { viewerScopePlugin } from '../auth/row-level-security.ts';
import { signInAlone } from '../auth/sign-in-alone.ts';
import type { Context } from '../context.ts';
import { currentRequestRecord, type Logger } from '../logging.ts';
import { schema } from '../schema.ts';
import { charsetOf, mediaTypeOf, readBody } from './body.ts';
import {
  ANSWER_ENCODINGS,
  chooseEncoding,
  compressAnswer,
  type Encoding,
  MIN_COMPRESSED_ANSWER,
} from './compression.ts';
import { databaseFaultError, databaseFaultOf } from './database-faults.ts';
import { depthLimit } from './depth-limit.ts';
import { HttpError, sendJsonError } from './http-error.ts';
import type { KeptAnswer } from './kept-answers.ts';
import type { OperationText } from './operation-access.ts';
import { operationLimitsPlugin } from './operation-limits.ts';
import { RequestDeadlineError, requestDeadlineError } from './request-deadline.ts';
import { noSchemaIntrospection } from './security-headers.ts';
import { textInputsPlugin } from './text-inputs.ts';

/** Deepest operation the API executes; the dashboard's deepest query needs about 8 levels. */
export const MAX_DEPTH = 15;
/** Most tokens a document may have (Apollo refuses larger ones before parsing them fully). */
export const MAX_TOKENS = 5000;

/** Apollo Server for udx's schema, without Apollo's own landing page (it loads from a CDN). */
export async function createApollo(
  httpServer: Server,
  logger: Logger,
  options: { introspection: boolean },
): Promise<ApolloServer<Context>> {
  const apollo = new ApolloServer<Context>({
    schema,
    csrfPrevention: true,
    // main.ts stops the server on SIGTERM and SIGINT (requests in flight, then the database).
    // Apollo's own handler would stop it a second time, and that concurrent stop() never
    // resolves: the process hung until its forced exit with code 1.
    stopOnTerminationSignals: false,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: MAX_TOKENS },
    validationRules: [
      depthLimit(MAX_DEPTH),
      signInAlone,
      ...(options.introspection ? [] : [noSchemaIntrospection]),
    ],
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // udx sets no cache hints: Apollo's cache-control plugin would still visit every field
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      viewerScopePlugin,
      operationLimitsPlugin,
      textInputsPlugin,
      requestRecordPlugin,
    ],
    logger: {
      debug: () => {},
      info: (message) => logger.info(String(message)),
      warn: (message) => logger.warn(String(message)),
      error: (message) => logger.error(String(message)),
    },
    formatError: (formatted, error) => maskUnexpected(formatted, error, logger),
  });
  await apollo.start();
  return apollo;
}

/**
 * Apollo plugin: tells the request's log line (see `logging.ts`) which operation ran, for which
 * role, and which error codes the answer carried.
 */
const requestRecordPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operationName, contextValue }) {
        const record = currentRequestRecord();
        if (!record) return;
        if (operationName) record.operationName = operationName;
        record.role = contextValue.viewer?.role ?? 'ANONYMOUS';
      },
      async willSendResponse({ response, contextValue }) {
        const record = currentRequestRecord();
        if (!record) return;
        record.role ??= contextValue.viewer?.role ?? 'ANONYMOUS';
        const errors =
          response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
        if (errors.length > 0) {
          record.errorCodes = errors.map((error) => String(error.extensions?.code ?? 'UNKNOWN'));
        }
      },
    };
  },
};

/**
 * Whether an error is the request's deadline: a statement refused after it, or one PostgreSQL
 * cancelled at it (statement_timeout, SQLSTATE 57014, set from the deadline), or one that could
 * not run after that because the cancelled statement had aborted the request's transaction
 * (SQLSTATE 25P02) — statements sent before the deadline wait their turn on its connection.
 */
export function endedByDeadline(error: unknown): boolean {
  if (error instanceof RequestDeadlineError) return true;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === '57014') return true;
  const deadline = currentRequestRecord()?.deadline;
  return code === '25P02' && deadline !== undefined && performance.now() > deadline;
}

/**
 * Errors the API raises on purpose (GraphQLErrors with a code: not found, not allowed, bad
 * input) reach the client as they are. Anything else is a bug or a database failure: it is
 * logged, and the client learns only that something went wrong, never table or constraint names.
 */
function maskUnexpected(
  formatted: GraphQLFormattedError,
  error: unknown,
  logger: Logger,
): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof PothosValidationError) {
    // an argument failed its validation: the message names the argument
    return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
  }
  if (endedByDeadline(original)) {
    const { message, extensions } = requestDeadlineError();
    return {
      message,
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: extensions.code },
    };
  }
  const fault = databaseFaultOf(original);
  if (fault) {
    logger.warn({ err: original, field: formatted.path?.join('.') }, 'Database fault');
    const { message, extensions } = databaseFaultError(fault);
    return {
      message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: extensions.code },
    };
  }
  const code = formatted.extensions?.code;
  const deliberate =
    !original ||
    original instanceof GraphQLError ||
    (code !== undefined && code !== 'INTERNAL_SERVER_ERROR');
  if (deliberate) return formatted;
  logger.error(
    { err: original, field: formatted.path?.join('.') },
    'Unexpected error while answering an operation',
  );
  return {
    message: 'Internal server error',
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/**
 * Answers `/graphql` (GraphQL over HTTP): POST with a JSON body, GET with the query in the URL.
 * The body is read and parsed here, with a size limit and clear 4xx answers for a client's
 * mistakes; Apollo does the rest (content negotiation, CSRF prevention, status codes).
 */
export async function handleGraphQL(
  apollo: ApolloServer<Context>,
  request: IncomingMessage,
  response: ServerResponse,
  options: {
    url: URL;
    /** Opens the request's context, told the operation sent (a server with a replica reads it). */
    createContext: (operation: OperationText) => Promise<Context>;
    /** Cookies the operation set (filled while it runs), sent with the answer. */
    setCookies: string[];
    bodyLimit: number;
    /**
     * Where an answer to this POST's operation (its raw body) is kept, if it may be: with the
     * kept answer, sent instead of running the operation, or where to keep Apollo's.
     */
    keptAnswers?: (operation: OperationText, body: string) => Promise<KeptAnswerSlot | undefined>;
  },
): Promise<void> {
  const { url, createContext, setCookies, bodyLimit } = options;
  let slot: KeptAnswerSlot | undefined;
  const method = request.method ?? 'GET';
  if (method !== 'GET' && method !== 'POST' && method !== 'HEAD') {
    throw new HttpError(405, 'Use GET or POST for /graphql', 'METHOD_NOT_ALLOWED', {
      Allow: 'GET, POST',
    });
  }
  let body: unknown;
  if (method === 'POST') {
    const contentType = request.headers['content-type'];
    const media = mediaTypeOf(contentType);
    const raw = await readBody(request, bodyLimit);
    if (media !== 'application/json' && media !== 'application/graphql-response+json') {
      // 400 rather than 415: some clients only read bodies of 400 answers
      throw new HttpError(
        400,
        media === undefined
          ? 'A POST to /graphql needs the header Content-Type: application/json'
          : `Content-Type ${media} is not supported; send application/json`,
        media === undefined ? 'BAD_REQUEST' : 'UNSUPPORTED_MEDIA_TYPE',
      );
    }
    const charset = charsetOf(contentType);
    if (charset && charset !== 'utf-8' && charset !== 'utf8') {
      throw new HttpError(
        400,
        `Charset ${charset} is not supported; send UTF-8`,
        'UNSUPPORTED_MEDIA_TYPE',
      );
    }
    const text = raw.toString('utf8');
    body = parseJson(text);
    const found = await options.keptAnswers?.(body as OperationText, text);
    const answer = found?.answer;
    if (found && answer) {
      await sendAnswer(request, response, answer, {
        compress: (encoding) => found.encoded(answer, encoding),
      });
      return;
    }
    slot = found;
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const result = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: method === 'HEAD' ? 'GET' : method,
      headers,
      search: url.search,
      body,
    },
    context: () => createContext(method === 'POST' ? (body as OperationText) : operationInUrl(url)),
  });
  let kept: { answer: KeptAnswer; compress: Compress } | undefined;
  const keeping = slot;
  if (setCookies.length > 0) response.setHeader('Set-Cookie', setCookies);
  else if (keeping) {
    const answer = offerAnswer(keeping, result);
    if (answer) kept = { answer, compress: (encoding) => keeping.encoded(answer, encoding) };
  }
  await writeApolloResponse(result, request, response, method === 'HEAD', kept);
}

/** Where an operation's answer is kept (see `kept-answers.ts`): found there, or to keep. */
export interface KeptAnswerSlot {
  answer?: KeptAnswer | undefined;
  keep(answer: KeptAnswer): void;
  /**
   * The slot's answer (found or just kept) compressed in `encoding`: made once per kept answer
   * and encoding and kept with it, so that a repeated request costs no compression.
   */
  encoded(answer: KeptAnswer, encoding: Encoding): Promise<Buffer | undefined>;
}

/**
 * Keeps a complete, successful answer, and returns it as kept. One with errors is not kept (its
 * text names them at the top level; a value quoting that text is merely not kept either).
 */
function offerAnswer(slot: KeptAnswerSlot, result: HTTPGraphQLResponse): KeptAnswer | undefined {
  if ((result.status ?? 200) !== 200 || result.body.kind !== 'complete') return undefined;
  const body = result.body.string;
  if (!body.startsWith('{"data":{') || body.includes('"errors":[')) return undefined;
  const answer = { headers: [...result.headers], body };
  slot.keep(answer);
  return answer;
}

/** A body compressed in an encoding, or undefined to send it as it is. */
type Compress = (encoding: Encoding) => Promise<Buffer | undefined>;

/**
 * Sends a complete answer with its headers, the one place every GraphQL answer is written (kept
 * or executed, GET or POST, data or errors): compressed when it is large enough and the request
 * accepts an encoding (`Accept-Encoding`), by `compress` (a kept answer's compressed copy, made
 * once) or afresh. GraphQL answers are never stored by HTTP caches. A HEAD request gets the
 * headers of the answer as it is: compressing a body that is not sent would be wasted.
 */
async function sendAnswer(
  request: IncomingMessage,
  response: ServerResponse,
  answer: KeptAnswer,
  options: { headOnly?: boolean; compress?: Compress } = {},
): Promise<void> {
  for (const [name, value] of answer.headers) response.setHeader(name, value);
  response.setHeader('Cache-Control', 'no-store');
  const size = Buffer.byteLength(answer.body);
  if (size >= MIN_COMPRESSED_ANSWER) {
    response.setHeader('Vary', 'Accept-Encoding');
    const encoding = options.headOnly
      ? undefined
      : chooseEncoding(request.headers['accept-encoding'], ANSWER_ENCODINGS);
    const compress = options.compress ?? ((coding) => compressAnswer(answer.body, coding));
    // a failure leaves the body as it is: compression never costs a client its answer
    const body = encoding && (await compress(encoding).catch(() => undefined));
    if (encoding && body) {
      response.setHeader('Content-Encoding', encoding);
      response.setHeader('Content-Length', body.length);
      response.end(body);
      return;
    }
  }
  response.setHeader('Content-Length', size);
  response.end(options.headOnly ? undefined : answer.body);
}

/** The operation of a GET request: the `query` and `operationName` parameters of its URL. */
function operationInUrl(url: URL): OperationText {
  return {
    query: url.searchParams.get('query') ?? undefined,
    operationName: url.searchParams.get('operationName') ?? undefined,
  };
}

function parseJson(text: string): unknown {
  if (text.trim() === '') throw new HttpError(400, 'The request body is empty; send a JSON object');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HttpError(400, 'The request body must be a JSON object with a "query"');
  }
  return parsed;
}

async function writeApolloResponse(
  result: HTTPGraphQLResponse,
  request: IncomingMessage,
  response: ServerResponse,
  headOnly: boolean,
  kept: { answer: KeptAnswer; compress: Compress } | undefined,
): Promise<void> {
  const status = result.status ?? 200;
  const contentType = result.headers.get('content-type') ?? '';
  // Apollo answers some malformed requests in plain text; clients get JSON errors instead.
  if (status >= 400 && result.body.kind === 'complete' && !contentType.includes('json')) {
    const extra: Record<string, string> = {};
    const allow = result.headers.get('allow');
    if (allow) extra.Allow = allow;
    sendJsonError(response, status, result.body.string.trim(), codeForStatus(status), extra);
    return;
  }
  // GraphQL over HTTP: a client that accepts only application/json (the legacy format) gets
  // request errors (unparsable document, invalid operation, variables that do not fit, a
  // limit exceeded) with status 200; application/graphql-response+json clients get the 4xx.
  const legacyJson = contentType.startsWith('application/json');
  response.statusCode =
    legacyJson && status === 400 && isGraphQLRequestError(result) ? 200 : status;
  if (result.body.kind === 'complete') {
    const answer = kept?.answer ?? { headers: [...result.headers], body: result.body.string };
    await sendAnswer(request, response, answer, { headOnly, compress: kept?.compress });
    return;
  }
  for (const [name, value] of result.headers) response.setHeader(name, value);
  response.setHeader('Cache-Control', 'no-store');
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

/** Codes of errors in a well-formed request's document, operation or variables. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'QUERY_TOO_COMPLEX',
  'TOO_MANY_ALIASES',
  'TOO_MANY_ROOT_FIELDS',
  'TOO_MANY_DIRECTIVES',
]);

/**
 * Whether a 400 answer is about the GraphQL document, operation or variables of a well-formed
 * request, as opposed to a malformed request (no query, a query that is not a string ...),
 * which stays 400 whatever the client accepts.
 */
function isGraphQLRequestError(result: HTTPGraphQLResponse): boolean {
  if (result.body.kind !== 'complete') return false;
  try {
    const { errors } = JSON.parse(result.body.string) as {
      errors?: { extensions?: { code?: string } }[];
    };
    return (
      Array.isArray(errors) &&
      errors.length > 0 &&
      errors.every((error) => REQUEST_ERROR_CODES.has(error.extensions?.code ?? ''))
    );
  } catch {
    return false;
  }
}

function codeForStatus(status: number): string {
  if (status === 405) return 'METHOD_NOT_ALLOWED';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  return 'BAD_REQUEST';
}
