import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testEngines } from '@udx/db/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentOf } from './mutations.ts';
import {
  CALLERS,
  type HttpAnswer,
  headersOf,
  type Programme,
  rawRequest,
  startProgramme,
} from './programme.ts';
import { changedTables, type DatabaseSnapshot, snapshotDatabase } from './snapshot.ts';

/**
 * The HTTP layer under fuzz (README, "GraphQL over HTTP"): requests to /graphql and elsewhere
 * with any method, media type, Accept header, query string and body fast-check makes up. None
 * may be answered with a 5xx; a client's mistake is answered with a JSON error saying what was
 * wrong; nothing is written; and the server answers a plain query afterwards.
 *
 * UDX_BATTERY_SEED replays a run; UDX_BATTERY_RUNS sets the runs per property (default 20).
 */
const SEED = process.env.UDX_BATTERY_SEED ? Number(process.env.UDX_BATTERY_SEED) : undefined;
const RUNS = Number(process.env.UDX_BATTERY_RUNS ?? 20);
const options = (numRuns: number) => ({ numRuns, ...(SEED === undefined ? {} : { seed: SEED }) });

/** A file beside the dashboard's folder: no path may reach it. */
const SECRET = 'udx-battery-secret-5f1c';

const printable = (maxLength: number) =>
  fc.string({ maxLength }).filter((s) => /^[\x20-\x7e]*$/.test(s));

const QUERIES = [
  '{ __typename }',
  '{ sdgGoals { number title } }',
  '{ me { email } }',
  'query ($id: ID!) { node(id: $id) { id } }',
  'query ($s: ScopeInput) { dashboard(scope: $s) { totals { exchanges } } }',
  'query ($first: Int) { exchanges(first: $first) { totalCount } }',
  'subscription { x }',
  'mutation { signOut { errors { code } } }',
  documentOf('recordExchange'),
  documentOf('reportValues'),
  '{ a { a { a { a } } } }',
  '{',
  'query Q { __typename } query Q { __typename }',
  '{ __schema { types { name } } }',
];

/** Things that may stand where JSON is expected: anything, or nearly JSON. */
const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, [], {}, '', 0, true, { query: null }, [{ query: '{ __typename }' }]),
);

/** A body for POST /graphql (or any method): bytes, JSON, deep nesting, or an operation. */
const graphqlBody: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
  jsonish.map((value) => JSON.stringify(value)),
  fc
    .record(
      {
        query: fc.oneof(fc.constantFrom(...QUERIES), fc.string({ maxLength: 40 }), jsonish),
        variables: jsonish,
        operationName: fc.oneof(fc.string({ maxLength: 10 }), jsonish),
        extensions: jsonish,
      },
      { requiredKeys: [] },
    )
    .map((body) => JSON.stringify(body)),
  // nesting beyond any parser's stack
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 1_000, max: 100_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  fc
    .integer({ min: 100, max: 50_000 })
    // written out: JSON.stringify itself would overflow the stack on it
    .map(
      (n) =>
        `{"query":${JSON.stringify(documentOf('createCity'))},"variables":{"input":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}}`,
    ),
  fc
    .integer({ min: 100, max: 20_000 })
    .map((n) => JSON.stringify({ query: `{${' a {'.repeat(n)} b ${'}'.repeat(n)}}` })),
  // larger than the 1 MiB limit
  fc.constant(JSON.stringify({ query: '{ __typename }', pad: 'x'.repeat(1024 * 1024) })),
  // JSON in another encoding than UTF-8
  fc.constant(Buffer.from(JSON.stringify({ query: '{ __typename }' }), 'utf16le')),
  fc.constant(
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"query":"{ __typename }"}')]),
  ),
);

/** A query string for /graphql: parameters of GraphQL over HTTP, well formed or not. */
const queryString: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  fc
    .record(
      {
        query: fc.oneof(fc.constantFrom(...QUERIES), fc.string({ maxLength: 30 })),
        variables: fc.oneof(
          jsonish.map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 20 }),
        ),
        operationName: fc.string({ maxLength: 10 }),
        extensions: fc.oneof(
          jsonish.map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 20 }),
        ),
      },
      { requiredKeys: [] },
    )
    .map((params) => `?${new URLSearchParams(params as Record<string, string>).toString()}`),
  printable(40).map((raw) => `?${raw.replace(/[#\s]/g, '')}`),
  fc.constantFrom(
    '?query=%zz',
    '?query=%',
    '?&&==&',
    '?query={__typename}&query={__typename}',
    '?variables=%7B',
  ),
);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/graphql-response+json',
  'application/graphql',
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json;;;',
  '*/*',
  ';',
];

const ACCEPTS = [
  'application/json',
  'application/graphql-response+json',
  'application/graphql-response+json, application/json;q=0.9',
  '*/*',
  'text/html',
  'application/xml',
  'image/png',
  'application/json;q=0',
  'text/event-stream',
  'multipart/mixed',
  ',,,',
];

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND', 'PURGE'];

/** Headers a client may send: a media type, an Accept, a session or none, and some more. */
function headersArbitrary(p: () => Programme): fc.Arbitrary<Record<string, string>> {
  return fc
    .record(
      {
        'Content-Type': fc.oneof(fc.constantFrom(...CONTENT_TYPES), printable(30)),
        Accept: fc.oneof(fc.constantFrom(...ACCEPTS), printable(30)),
        'Accept-Language': fc.oneof(
          fc.constantFrom('de', 'en;q=0', 'de-DE,de;q=0.9', '*;q=x'),
          printable(20),
        ),
        'apollo-require-preflight': fc.constant('true'),
        'X-Request-Id': printable(40),
        Cookie: printable(60),
        Authorization: fc.oneof(printable(60), fc.constantFrom(...CALLERS).map(String)),
      },
      { requiredKeys: [] },
    )
    .map((headers) => {
      // a caller's name stands for its real bearer token
      const caller = CALLERS.find((c) => c === headers.Authorization);
      if (caller) {
        const { Authorization: _, ...rest } = headers;
        return { ...rest, ...headersOf(p(), caller) };
      }
      return headers;
    });
}

/** Paths other than /graphql: the dashboard, GraphiQL's assets, probes, and ways out of them. */
const otherPath: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '/',
    '/index.html',
    '/assets/index-abc123.js',
    '/assets/missing.js',
    '/livez',
    '/readyz',
    '/healthz',
    '/graphql/assets/react.production.min.js',
    '/graphql/assets/../../package.json',
    '/graphql/assets/%2e%2e/%2e%2e/package.json',
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '//secret.txt',
    '/%00',
    '/index.html%00.js',
    '/graphql%00',
    '/%ff%fe',
    '/\u00e4',
    `/${'a'.repeat(5000)}`,
    '/graphqlx',
    '/GRAPHQL',
    '/.env',
    '/node_modules/',
  ),
  fc.webPath({ size: 'small' }).map((p) => (p.startsWith('/') ? p : `/${p}`)),
  printable(30).map((s) => `/${encodeURI(s)}`),
);

/**
 * Whether an answer is as it should be: below 500, and for a client's mistake (4xx) a JSON body
 * with errors that say what was wrong (HEAD answers have no body).
 */
function problemsOf(answer: HttpAnswer, method: string): string[] {
  const problems: string[] = [];
  if (answer.status >= 500 || answer.status < 100) problems.push(`HTTP ${answer.status}`);
  if (answer.text.includes(SECRET)) problems.push('a file outside the dashboard was served');
  if (answer.status >= 400 && method !== 'HEAD') {
    const type = String(answer.headers['content-type'] ?? '');
    if (!type.includes('json'))
      problems.push(`a ${answer.status} answered as ${type || 'nothing'}`);
    try {
      const json = JSON.parse(answer.text);
      const errors = json?.errors;
      if (!Array.isArray(errors) || errors.length === 0) problems.push('a 4xx without errors');
      else if (
        !errors.every(
          (e: { message?: unknown }) => typeof e.message === 'string' && e.message !== '',
        )
      ) {
        problems.push('a 4xx error without a message');
      }
    } catch {
      problems.push(`a ${answer.status} that is not JSON: ${answer.text.slice(0, 120)}`);
    }
  }
  return problems;
}

/** Bytes written straight to a socket; resolves with what came back before the server closed. */
function rawExchange(url: string, bytes: Buffer): Promise<string> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    }, 3_000);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // the server may close while we still write: what it said before counts
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return;
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.end(bytes);
  });
}

/** The first answer in raw bytes from a socket, as rawRequest would have read it. */
function parseRawAnswer(raw: string): HttpAnswer | null {
  const match = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n([\s\S]*?)\r\n\r\n/.exec(raw);
  if (!match) return null;
  const headers: Record<string, string> = {};
  for (const line of (match[2] ?? '').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = Buffer.from(raw.slice(match[0].length), 'latin1');
  const length = Number(headers['content-length'] ?? rest.length);
  const body = rest.subarray(0, length);
  return { status: Number(match[1]), headers, text: body.toString('utf8'), body };
}

describe.each(testEngines())('the HTTP layer under fuzz on %s', (engine) => {
  let p: Programme;
  let root: string;
  let snapshot: DatabaseSnapshot;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'udx-battery-'));
    const dist = path.join(root, 'dist');
    mkdirSync(path.join(dist, 'assets'), { recursive: true });
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>udx</title>');
    writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1);');
    writeFileSync(path.join(root, 'secret.txt'), SECRET);
    p = await startProgramme(engine, { dashboardDir: dist, bodyLimit: 1024 * 1024 });
    snapshot = await snapshotDatabase(p.db);
  });
  afterAll(async () => {
    await p?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** The server still answers a plain query, and nothing was written. */
  async function expectServing(context: string): Promise<void> {
    const answer = await rawRequest(p.url, {
      method: 'POST',
      path: '/graphql',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(answer.status, context).toBe(200);
    expect(JSON.parse(answer.text), context).toEqual({ data: { __typename: 'Query' } });
    const after = await snapshotDatabase(p.db);
    expect(changedTables(snapshot, after), context).toEqual([]);
    snapshot = after;
  }

  // What the battery found answered without a JSON error once: Node's own empty 400s.
  it.each([
    ['an HTTP/1.1 request without Host', 'GET /graphql HTTP/1.1\r\n\r\n', 400],
    ['a path with a raw non-ASCII byte', 'GET /\u00e4 HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['a header line without a colon', 'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n', 400],
    ['headers of 20 KB', `GET / HTTP/1.1\r\nHost: x\r\nX-Long: ${'x'.repeat(20_000)}\r\n\r\n`, 431],
  ])('known case: %s is a JSON %i', async (_name, bytes, status) => {
    const answer = parseRawAnswer(await rawExchange(p.url, Buffer.from(bytes, 'latin1')));
    expect(answer?.status).toBe(status);
    expect(problemsOf(answer as HttpAnswer, 'GET')).toEqual([]);
    await expectServing(bytes.slice(0, 40));
  });

  it('known case: a HEAD request Node cannot parse gets its 400 without a body', async () => {
    const raw = await rawExchange(
      p.url,
      Buffer.from('HEAD /\u00e4 HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1'),
    );
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw.endsWith('\r\n\r\n')).toBe(true);
    await expectServing('HEAD');
  });

  it('answers any request to /graphql below 500, client mistakes as JSON errors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        fc.constantFrom('/graphql', '/graphql/'),
        queryString,
        headersArbitrary(() => p),
        graphqlBody,
        async (method, pathname, search, headers, body) => {
          const sendsBody = method !== 'GET' && method !== 'HEAD';
          const answer = await rawRequest(p.url, {
            method,
            path: `${pathname}${search}`,
            headers,
            ...(sendsBody ? { body } : {}),
          });
          const context = `${method} ${pathname}${search.slice(0, 80)} ${JSON.stringify(headers)} body ${String(
            body,
          ).slice(0, 80)} → ${answer.status} ${answer.text.slice(0, 300)}`;
          expect(problemsOf(answer, method), context).toEqual([]);
          await expectServing(context);
        },
      ),
      options(RUNS * 5),
    );
  });

  it('answers any other path below 500, never with a file outside the dashboard', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        otherPath,
        headersArbitrary(() => p),
        async (method, target, headers) => {
          const answer = await rawRequest(p.url, { method, path: target, headers });
          const context = `${method} ${target.slice(0, 100)} → ${answer.status} ${answer.text.slice(0, 200)}`;
          expect(problemsOf(answer, method), context).toEqual([]);
          await expectServing(context);
        },
      ),
      options(RUNS * 3),
    );
  });

  it('answers bytes that are no HTTP request with a JSON 4xx or nothing, and keeps serving', async () => {
    const requestLine = fc.constantFrom(
      'GET / HTTP/1.1',
      'POST /graphql HTTP/1.1',
      'GET /graphql HTTP/9.9',
      'BREW /graphql HTTP/1.1',
      'GET  HTTP/1.1',
      'GET /\u0000 HTTP/1.1',
    );
    const garbage = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      fc
        .tuple(
          requestLine,
          fc.array(
            fc.oneof(
              fc.constantFrom(
                'Host: localhost',
                'Content-Length: 5',
                'Content-Length: -1',
                'Content-Length: 1, 2',
                'Transfer-Encoding: chunked',
                'Transfer-Encoding: gzip, chunked',
                'Content-Type: application/json',
                'Bad Header',
                ': empty name',
                `X-Long: ${'x'.repeat(20_000)}`,
                'X-Ctl: a\u0001b',
              ),
              printable(40),
            ),
            { maxLength: 6 },
          ),
          fc.oneof(
            fc.constant(''),
            printable(40),
            fc.constantFrom('0\r\n\r\n', 'zz\r\nabc\r\n0\r\n\r\n'),
          ),
        )
        .map(([line, headers, body]) =>
          Buffer.from(`${line}\r\n${headers.join('\r\n')}\r\n\r\n${body}`, 'latin1'),
        ),
    );
    await fc.assert(
      fc.asyncProperty(garbage, async (bytes) => {
        const answer = await rawExchange(p.url, bytes);
        const context = `${JSON.stringify(bytes.toString('latin1').slice(0, 120))} → ${answer.slice(0, 200)}`;
        if (answer !== '') {
          const parsed = parseRawAnswer(answer);
          expect(parsed, context).not.toBeNull();
          if (parsed) expect(problemsOf(parsed, 'GET'), context).toEqual([]);
        }
        await expectServing(context);
      }),
      options(RUNS * 2),
    );
  });
});
