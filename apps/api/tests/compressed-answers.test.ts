import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { DatabaseHandle } from '@udx/db/database';
import { createTestDatabase, testEngines } from '@udx/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseEncoding, MIN_COMPRESSED_ANSWER } from '../src/http/compression.ts';
import { AnswerCache } from '../src/http/kept-answers.ts';
import { createServer, type UdxServer } from '../src/server.ts';
import { bearer, insertAccount, signInToken } from './auth-helpers.ts';
import { type HttpAnswer, rawRequest } from './battery/programme.ts';

// GraphQL answers compressed for clients that accept it (README, "Caches and what a figure
// costs"): the same JSON once decompressed, never compressed unasked, and a kept answer's
// compressed copy made once and sent again as it is.

const PASSWORD = 'compressed-password-2030';

/** A keepable query whose answer is well above the threshold: the catalogue's goals. */
const CATALOGUE = /* GraphQL */ `
  query Catalogue {
    sdgGoals { number title }
    indicators { code name }
  }
`;
/** The same with the viewer's own address: never kept, so executed every time. */
const CATALOGUE_AND_ME = /* GraphQL */ `
  query CatalogueAndMe {
    me { email }
    sdgGoals { number title }
    indicators { code name }
  }
`;

describe.each(testEngines())('compressed GraphQL answers on %s', (engine) => {
  let handle: DatabaseHandle;
  let server: UdxServer;
  let url = '';
  let token = '';
  /** The statements the database ran, in order. */
  const statements: string[] = [];

  /** POSTs an operation; the answer's body as sent (a compressed body stays so). */
  const postRaw = (query: string, headers: Record<string, string> = {}) =>
    rawRequest(url, {
      method: 'POST',
      path: '/graphql',
      headers: { 'Content-Type': 'application/json', ...bearer(token), ...headers },
      body: JSON.stringify({ query }),
    });
  /** The body of an answer as JSON text, decompressed as its `Content-Encoding` says. */
  const textOf = (answer: HttpAnswer) => {
    const encoding = answer.headers['content-encoding'];
    if (encoding === 'gzip') return gunzipSync(answer.body).toString('utf8');
    if (encoding === 'br') return brotliDecompressSync(answer.body).toString('utf8');
    return answer.body.toString('utf8');
  };

  beforeAll(async () => {
    handle = await createTestDatabase(engine, {
      log: (event) => {
        if (event.level === 'query') statements.push(event.query.sql);
      },
    });
    server = await createServer({ db: handle.db });
    url = await server.listen(0, '127.0.0.1');
    await insertAccount(handle.db, {
      email: 'monitor@compressed.example',
      role: 'FOREIGN_OFFICE',
      password: PASSWORD,
    });
    token = await signInToken(url, 'monitor@compressed.example', PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await handle?.close();
  });

  it('sends gzip or Brotli to a client that accepts it: the same JSON as the plain answer', async () => {
    const query = CATALOGUE_AND_ME;
    const plain = await postRaw(query);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(Number(plain.headers['content-length'])).toBe(plain.body.length);
    expect(plain.body.length).toBeGreaterThan(MIN_COMPRESSED_ANSWER);
    expect(JSON.parse(plain.text).errors).toBeUndefined();

    const gzip = await postRaw(query, { 'Accept-Encoding': 'gzip' });
    expect(gzip.status).toBe(200);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.headers.vary).toBe('Accept-Encoding');
    expect(gzip.headers['content-type']).toBe(plain.headers['content-type']);
    expect(Number(gzip.headers['content-length'])).toBe(gzip.body.length);
    expect(gzip.body.length).toBeLessThan(plain.body.length / 2);
    expect(textOf(gzip)).toBe(plain.text);
    // a browser over HTTPS accepts Brotli too, which is preferred
    const br = await postRaw(query, { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(textOf(br)).toBe(plain.text);
  });

  it('honours refusals and preferences of Accept-Encoding', async () => {
    const refused = await postRaw(CATALOGUE, { 'Accept-Encoding': 'identity;q=1, gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(refused.text).data.sdgGoals).toHaveLength(17);
    const gzipPreferred = await postRaw(CATALOGUE, { 'Accept-Encoding': 'br;q=0.5, gzip' });
    expect(gzipPreferred.headers['content-encoding']).toBe('gzip');
    expect(textOf(gzipPreferred)).toBe(refused.text);
    const any = await postRaw(CATALOGUE, { 'Accept-Encoding': '*' });
    expect(any.headers['content-encoding']).toBe('br');
    expect(textOf(any)).toBe(refused.text);
    const unknown = await postRaw(CATALOGUE, { 'Accept-Encoding': 'deflate, zstd' });
    expect(unknown.headers['content-encoding']).toBeUndefined();
  });

  it.each(['gzip', 'br'])(
    'serves a kept answer in %s, the same bytes again with one statement',
    async (encoding) => {
      const headers = { 'Accept-Encoding': encoding };
      // a body of its own (kept answers are found by the raw body): executed and kept, then
      // found twice
      const query = `${CATALOGUE}# ${encoding}`;
      statements.length = 0;
      const executed = await postRaw(query, headers);
      expect(statements.length).toBeGreaterThan(1);
      statements.length = 0;
      const first = await postRaw(query, headers);
      const firstStatements = [...statements];
      statements.length = 0;
      const second = await postRaw(query, headers);
      for (const answer of [executed, first, second]) {
        expect(answer.headers['content-encoding']).toBe(encoding);
      }
      expect(first.body.equals(executed.body)).toBe(true);
      expect(second.body.equals(first.body)).toBe(true);
      // the version alone, for the one as for the other
      for (const ran of [firstStatements, [...statements]]) {
        expect(ran).toHaveLength(1);
        expect(ran[0]).toContain('from data_version');
      }
      // and the same answer, uncompressed, to a client that does not ask
      const plain = await postRaw(query);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(textOf(second)).toBe(plain.text);
    },
  );

  it('compresses a GET answer too, and sends HEAD the headers of the plain answer', async () => {
    const path = `/graphql?query=${encodeURIComponent(CATALOGUE)}`;
    const headers = { ...bearer(token), 'Apollo-Require-Preflight': 'true' };
    const plain = await rawRequest(url, { method: 'GET', path, headers });
    const gzip = await rawRequest(url, {
      method: 'GET',
      path,
      headers: { ...headers, 'Accept-Encoding': 'gzip' },
    });
    expect(plain.status).toBe(200);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(textOf(gzip)).toBe(plain.text);
    const head = await rawRequest(url, {
      method: 'HEAD',
      path,
      headers: { ...headers, 'Accept-Encoding': 'gzip' },
    });
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBeUndefined();
    expect(Number(head.headers['content-length'])).toBe(plain.body.length);
    expect(head.body.length).toBe(0);
  });

  it('answers errors and small answers as before', async () => {
    const accept = { Accept: 'application/graphql-response+json', 'Accept-Encoding': 'gzip' };
    const syntax = await postRaw('query {', accept);
    expect(syntax.status).toBe(400);
    expect(syntax.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(syntax.text).errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    // a large error answer is compressed like any other, and is still the error
    const unknown = `query { ${Array.from({ length: 60 }, (_, i) => `f${i}: nope${i}`).join(' ')} }`;
    const invalid = await postRaw(unknown, accept);
    expect(invalid.status).toBe(400);
    expect(invalid.headers['content-encoding']).toBe('gzip');
    expect(Number(invalid.headers['content-length'])).toBe(invalid.body.length);
    const errors = JSON.parse(textOf(invalid)).errors;
    expect(errors.length).toBeGreaterThan(1);
    expect(errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const small = await postRaw('{ me { email } }', { 'Accept-Encoding': 'gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.headers.vary).toBeUndefined();
    expect(JSON.parse(small.text).data.me.email).toBe('monitor@compressed.example');
    // an HTTP-level mistake is the JSON error it was
    const malformed = await rawRequest(url, {
      method: 'POST',
      path: '/graphql',
      headers: { 'Content-Type': 'application/json', 'Accept-Encoding': 'gzip' },
      body: '{"query":',
    });
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.text).errors[0].message).toContain('not valid JSON');
  });
});

describe('Accept-Encoding', () => {
  it('is read with its q-values, identity and *', () => {
    const gzip = ['gzip'] as const;
    expect(chooseEncoding(undefined, gzip)).toBeUndefined();
    expect(chooseEncoding('', gzip)).toBeUndefined();
    expect(chooseEncoding('gzip', gzip)).toBe('gzip');
    expect(chooseEncoding('GZip;Q=0.5', gzip)).toBe('gzip');
    expect(chooseEncoding('x-gzip', gzip)).toBe('gzip');
    expect(chooseEncoding('gzip;q=0', gzip)).toBeUndefined();
    expect(chooseEncoding('gzip; q=0.000', gzip)).toBeUndefined();
    expect(chooseEncoding('identity;q=1, gzip;q=0', gzip)).toBeUndefined();
    expect(chooseEncoding('identity;q=1, gzip;q=0.5', gzip)).toBeUndefined();
    expect(chooseEncoding('identity;q=0.5, gzip', gzip)).toBe('gzip');
    expect(chooseEncoding('identity', gzip)).toBeUndefined();
    expect(chooseEncoding('*', gzip)).toBe('gzip');
    expect(chooseEncoding('*;q=0', gzip)).toBeUndefined();
    expect(chooseEncoding('*, gzip;q=0', gzip)).toBeUndefined();
    expect(chooseEncoding('*;q=0, gzip', gzip)).toBe('gzip');
    expect(chooseEncoding('br, deflate', gzip)).toBeUndefined();
    // a q-value that is not one is ignored with its coding
    expect(chooseEncoding('gzip;q=2', gzip)).toBeUndefined();
    expect(chooseEncoding('gzip;q=abc, *;q=0.1', gzip)).toBe('gzip');
    // of several offered, the highest q, then the server's order
    expect(chooseEncoding('gzip, br', ['br', 'gzip'])).toBe('br');
    expect(chooseEncoding('gzip, br;q=0.9', ['br', 'gzip'])).toBe('gzip');
    expect(chooseEncoding(['gzip;q=0.1', 'br;q=0.2'], ['gzip', 'br'])).toBe('br');
  });
});

describe('kept answers compressed', () => {
  const answer = (body: string) => ({ headers: [] as [string, string][], body });
  const gzipOf = async (body: string) => Buffer.from(`gz:${body}`);

  it('are made once per answer and encoding, and counted in the budget', async () => {
    const cache = new AnswerCache(10_000);
    const kept = answer('x'.repeat(2_000));
    cache.keep(1, 'k', kept);
    const before = cache.bytes;
    let made = 0;
    const compress = async (body: string) => {
      made++;
      return gzipOf(body);
    };
    const [one, two] = await Promise.all([
      cache.encoded('k', kept, 'gzip', compress),
      cache.encoded('k', kept, 'gzip', compress),
    ]);
    expect(made).toBe(1);
    expect(one).toBe(two);
    expect(cache.bytes).toBe(before + (one?.length ?? 0));
    expect(await cache.encoded('k', kept, 'gzip', compress)).toBe(one);
    expect(made).toBe(1);
    // over the budget, the least recently used answers make way: their copies with them
    cache.keep(1, 'l', answer('y'.repeat(7_000)));
    expect(cache.has('k')).toBe(false);
    expect(cache.bytes).toBe(7_001);
  });

  it('fall back to the plain body when compression fails, and try again later', async () => {
    const cache = new AnswerCache();
    const kept = answer('x'.repeat(2_000));
    cache.keep(1, 'k', kept);
    const before = cache.bytes;
    const failed = await cache.encoded('k', kept, 'gzip', async () => {
      throw new Error('out of memory');
    });
    expect(failed).toBeUndefined();
    expect(cache.bytes).toBe(before);
    expect(await cache.encoded('k', kept, 'gzip', gzipOf)).toBeDefined();
  });

  it('of an answer no longer kept are made for the request alone', async () => {
    const cache = new AnswerCache();
    const old = answer('x'.repeat(2_000));
    cache.keep(1, 'k', old);
    cache.keep(2, 'k', answer('z'.repeat(2_000)));
    const before = cache.bytes;
    expect((await cache.encoded('k', old, 'gzip', gzipOf))?.toString()).toBe(`gz:${old.body}`);
    expect(cache.bytes).toBe(before);
  });
});
