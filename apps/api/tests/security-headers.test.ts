import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DatabaseHandle } from '@udx/db/database';
import { createTestDatabase } from '@udx/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type UdxServer } from '../src/server.ts';
import { insertAccount, post, SIGN_IN } from './auth-helpers.ts';

// HTTP hardening: what the browser is told (CSP, framing, HSTS, caching), Secure cookies in
// production whatever the Host says, and the whole schema unpublished in production.

const PASSWORD = 'security-headers-password';

describe('security headers, cookies and introspection', () => {
  let handle: DatabaseHandle;
  let dashboardDir: string;
  const servers: UdxServer[] = [];
  let development: string;
  let production: string;

  beforeAll(async () => {
    handle = await createTestDatabase('pglite');
    await insertAccount(handle.db, {
      email: 'monitor@example.org',
      role: 'FOREIGN_OFFICE',
      password: PASSWORD,
    });
    dashboardDir = mkdtempSync(path.join(tmpdir(), 'udx-dashboard-'));
    mkdirSync(path.join(dashboardDir, 'assets'));
    writeFileSync(
      path.join(dashboardDir, 'index.html'),
      '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>',
    );
    writeFileSync(path.join(dashboardDir, 'assets', 'index-abc123.js'), 'export {};');
    const start = async (production: boolean) => {
      const server = await createServer({ db: handle.db, dashboardDir, production });
      servers.push(server);
      return server.listen(0, '127.0.0.1');
    };
    development = await start(false);
    production = await start(true);
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await handle?.close();
    rmSync(dashboardDir, { recursive: true, force: true });
  });

  it('gives the dashboard a CSP without inline script, that no site may frame', async () => {
    const page = await fetch(`${development}/`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    // a client route is the same page with the same policy
    expect((await fetch(`${development}/goals/SHAPE`)).headers.get('content-security-policy')).toBe(
      csp,
    );
    const asset = await fetch(`${development}/assets/index-abc123.js`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers data with a CSP that loads nothing, and GraphiQL with its own', async () => {
    const data = await post(development, '{ __typename }');
    expect(data.status).toBe(200);
    const api = await fetch(`${development}/graphql?query=%7B__typename%7D`);
    expect(api.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    const graphiql = await fetch(`${development}/graphql`, { headers: { Accept: 'text/html' } });
    expect(graphiql.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('sends HSTS in production only', async () => {
    expect((await fetch(`${development}/healthz`)).headers.get('strict-transport-security')).toBe(
      null,
    );
    expect((await fetch(`${production}/healthz`)).headers.get('strict-transport-security')).toBe(
      'max-age=31536000; includeSubDomains',
    );
  });

  it('sets a Secure session cookie in production even when the Host says localhost', async () => {
    const variables = { email: 'monitor@example.org', password: PASSWORD };
    const headers = { Host: 'localhost' };
    const inProduction = await post(production, SIGN_IN, variables, headers);
    expect(inProduction.cookies[0]).toMatch(/; Secure/);
    expect(inProduction.cookies[0]).toMatch(/HttpOnly/);
    // a developer's plain http://localhost keeps working without TLS
    const inDevelopment = await post(development, SIGN_IN, variables, headers);
    expect(inDevelopment.cookies[0]).not.toMatch(/; Secure/);
  });

  it('keeps the whole schema to itself in production, not __type and __typename', async () => {
    const schemaQuery = '{ __schema { queryType { name } } }';
    expect((await post(development, schemaQuery)).json.data.__schema.queryType.name).toBe('Query');
    const refused = await post(production, schemaQuery);
    expect(refused.json.data).toBeUndefined();
    expect(refused.json.errors[0].message).toMatch(/Introspection of the whole schema is off/);
    const named = await post(production, '{ __typename __type(name: "Dashboard") { name } }');
    expect(named.json.data).toEqual({ __typename: 'Query', __type: { name: 'Dashboard' } });
  });
});
