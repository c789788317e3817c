import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { testEngines } from '@udx/db/testing';
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseEncoding } from '../../src/http/compression.ts';
import { rawRequest } from '../battery/programme.ts';
import { postGraphQL, type RunningServer, readJson, startServer } from './server.ts';

/** A GET of `path` with the headers given, answered as sent (a compressed body stays so). */
const getRaw = (url: string, path: string, headers: Record<string, string>) =>
  rawRequest(url, { method: 'GET', path, headers });

describe.each(testEngines())('the HTTP server on %s', (engine) => {
  let running: RunningServer;
  let dashboardDir: string;

  beforeAll(async () => {
    dashboardDir = mkdtempSync(path.join(tmpdir(), 'udx-dashboard-'));
    mkdirSync(path.join(dashboardDir, 'assets'));
    writeFileSync(
      path.join(dashboardDir, 'index.html'),
      '<!doctype html><title>udx dashboard</title>',
    );
    writeFileSync(path.join(dashboardDir, 'assets', 'index-abc123.js'), 'console.log(1);');
    running = await startServer(engine, { dashboardDir, bodyLimit: 64 * 1024 });
  });
  afterAll(async () => {
    await running?.stop();
  });

  describe('GraphQL over HTTP conformance (graphql-http audits)', () => {
    for (const audit of serverAudits({ url: () => `${running.url}/graphql` })) {
      it(audit.name, async () => {
        const result = await audit.fn();
        // MUST and SHOULD hold; the MAYs left out are GETs without a CSRF-safe header, which
        // the server refuses on purpose (cross-site request forgery)
        if (audit.name.startsWith('MUST') || audit.name.startsWith('SHOULD')) {
          expect(result.status, 'reason' in result ? result.reason : undefined).toBe('ok');
        }
      });
    }
  });

  it('answers a query in the language of Accept-Language', async () => {
    const query = { query: '{ sdgGoals { number title shortTitle } }' };
    const english = await postGraphQL(running.url, query, { 'Accept-Language': 'en-GB,en;q=0.9' });
    const german = await postGraphQL(running.url, query, {
      'Accept-Language': 'de-DE,de;q=0.9,en;q=0.5',
    });
    expect(english.status).toBe(200);
    expect(english.contentType).toContain('application/graphql-response+json');
    expect(english.json.data.sdgGoals).toHaveLength(17);
    const englishEleven = english.json.data.sdgGoals.find(
      (g: { number: number }) => g.number === 11,
    );
    const germanEleven = german.json.data.sdgGoals.find((g: { number: number }) => g.number === 11);
    expect(englishEleven.shortTitle).toBe('Sustainable cities and communities');
    expect(germanEleven.shortTitle).toBe('Nachhaltige Städte und Gemeinden');
  });

  it('answers a GET query with application/json when that is what the client accepts', async () => {
    const response = await fetch(
      `${running.url}/graphql?query=${encodeURIComponent('{ topics { code } }')}`,
      { headers: { Accept: 'application/json', 'apollo-require-preflight': 'true' } },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = await readJson(response);
    expect(body.data.topics.map((t: { code: string }) => t.code)).toContain('SPONGE_CITY');
  });

  it('refuses malformed requests with 400 and a JSON error, never HTML', async () => {
    const cases: RequestInit[] = [
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"query": ' },
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '' },
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[1, 2]' },
      {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: '{"query":"{ topics { code } }"}',
      },
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"query": 42}' },
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"variables": {}}',
      },
    ];
    for (const init of cases) {
      const response = await fetch(`${running.url}/graphql`, init);
      expect(response.status, String(init.body)).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/json');
      const body = await readJson(response);
      expect(body.errors[0].message).toEqual(expect.any(String));
    }
  });

  it('refuses a body above the size limit with 413', async () => {
    const response = await fetch(`${running.url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: `{ topics { code } } # ${'x'.repeat(70 * 1024)}` }),
    });
    expect(response.status).toBe(413);
    expect((await readJson(response)).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers a syntax error with 400 and the GraphQL error, not a server error', async () => {
    const result = await postGraphQL(running.url, { query: '{ topics { code ' });
    expect(result.status).toBe(400);
    expect(result.json.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('refuses an operation nested too deep', async () => {
    let selection = 'number';
    for (let i = 0; i < 9; i++) selection = `targets { goal { ${selection} } }`;
    const result = await postGraphQL(running.url, { query: `{ sdgGoals { ${selection} } }` });
    expect(result.status).toBe(400);
    expect(result.json.errors[0].message).toMatch(/nested \d+ levels deep/);
  });

  it('keeps the dashboard figures from anonymous requests', async () => {
    const result = await postGraphQL(running.url, {
      query: '{ dashboard { totals { exchanges } } }',
    });
    expect(result.json.data).toBeNull();
    expect(result.json.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('serves GraphiQL to browsers, with every asset from this server', async () => {
    const response = await fetch(`${running.url}/graphql`, { headers: { Accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('GraphiQL');
    expect(html).not.toMatch(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      const file = await fetch(`${running.url}${asset}`);
      expect(file.status, asset).toBe(200);
      expect((await file.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
  });

  it('serves the dashboard, its client routes and its hashed assets', async () => {
    const index = await fetch(`${running.url}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('udx dashboard');
    const route = await fetch(`${running.url}/partnerships/42`);
    expect(route.status).toBe(200);
    expect(route.headers.get('content-type')).toContain('text/html');
    const asset = await fetch(`${running.url}/assets/index-abc123.js`);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const missing = await fetch(`${running.url}/assets/missing.js`);
    expect(missing.status).toBe(404);
    // a path escaping the folder is just another client route
    const outside = await fetch(`${running.url}/..%2f..%2fetc%2fpasswd`);
    expect(await outside.text()).not.toContain('root:');
    expect((await fetch(`${running.url}/..%2fpackage.json`)).status).toBe(404);
  });

  it('sends the dashboard text files compressed to a browser that accepts it', async () => {
    const script = `${'export const figures = [1, 2, 3];\n'.repeat(400)}`;
    writeFileSync(path.join(dashboardDir, 'assets', 'dist-def456.js'), script);
    const asset = '/assets/dist-def456.js';
    const gzip = await getRaw(running.url, asset, { 'Accept-Encoding': 'gzip, deflate' });
    expect(gzip.status).toBe(200);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.headers.vary).toBe('Accept-Encoding');
    expect(gzip.headers['cache-control']).toContain('immutable');
    expect(Number(gzip.headers['content-length'])).toBe(gzip.body.length);
    expect(gzip.body.length).toBeLessThan(script.length / 10);
    expect(gunzipSync(gzip.body).toString()).toBe(script);
    const br = await getRaw(running.url, asset, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe(script);
    // Without the header, or with gzip refused, the file as it is.
    const plain = await getRaw(running.url, asset, { 'Accept-Encoding': 'gzip;q=0' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
    // A file changed in place (a new build) is not answered from the old copy.
    const changed = script.replace('[1, 2, 3]', '[4, 5, 6]');
    writeFileSync(path.join(dashboardDir, 'assets', 'dist-def456.js'), `${changed}\n`);
    const again = await getRaw(running.url, asset, { 'Accept-Encoding': 'gzip' });
    expect(gunzipSync(again.body).toString()).toBe(`${changed}\n`);
    // A small file is not worth it.
    const small = await getRaw(running.url, '/assets/index-abc123.js', {
      'Accept-Encoding': 'gzip',
    });
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('reports its health as JSON', async () => {
    const response = await fetch(`${running.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'up' });
  });
});

describe('the HTTP server without a built dashboard', () => {
  it('says so at / and links the API', async () => {
    const [engine] = testEngines();
    const running = await startServer(engine ?? 'pglite', { dashboardDir: '/nonexistent/udx' });
    try {
      const response = await fetch(`${running.url}/`);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('not built');
      expect(html).toContain('href="/graphql"');
    } finally {
      await running.stop();
    }
  });
});

describe('the encoding of the dashboard files', () => {
  it('is Brotli or gzip as the browser accepts them, else none', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(chooseEncoding('gzip, deflate')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(chooseEncoding('GZIP')).toBe('gzip');
    expect(chooseEncoding('identity')).toBeUndefined();
    expect(chooseEncoding(undefined)).toBeUndefined();
  });
});
