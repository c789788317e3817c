import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DatabaseHandle } from '@udx/db/database';
import { createTestDatabase, testEngines } from '@udx/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type UdxServer } from '../src/server.ts';
import { bearer, insertAccount, ME, post, signInToken } from './auth-helpers.ts';

// The API's side of the dashboard's first screen (http/first-screen.ts), with server builds of
// the dashboard written here, each doing one thing the real one could meet: reading as the
// viewer, failing before the page, failing while the page renders, asking for a write. The
// real build is tested end to end (tests/e2e/first-screen.test.ts).

const PASSWORD = 'first-screen-password-1';
const INDEX = `<!doctype html>
<html lang="en">
  <head><title>udx</title><script type="module" src="/assets/index.js"></script></head>
  <body>
    <div id="app"></div>
  </body>
</html>
`;

/** A server build of the dashboard whose `prepareFirstScreen` is `prepare` (JavaScript source). */
function serverBuild(folder: string, name: string, prepare: string): string {
  const file = path.join(folder, `${name}.js`);
  writeFileSync(
    file,
    `export const FIRST_SCREEN_STATE_ID = 'udx-first-screen';
export const localeOfRequest = (cookie, languages) => (languages ?? '').startsWith('de') ? 'de' : 'en';
export async function prepareFirstScreen(request) { ${prepare} }
`,
  );
  return file;
}

describe.each(testEngines())('the first screen rendered on the server, on %s', (engine) => {
  let handle: DatabaseHandle;
  const servers: UdxServer[] = [];
  let dashboardDir: string;
  let builds: string;
  let token: string;

  /** A server on the test database whose dashboard renders with `build`. */
  async function serverWith(build: string): Promise<string> {
    const server = await createServer({ db: handle.db, dashboardDir, firstScreen: build });
    servers.push(server);
    return server.listen(0, '127.0.0.1');
  }

  /** GET / as a browser of the monitor's session. */
  async function page(url: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${url}/`, {
      headers: { cookie: `udx_session=${token}`, 'accept-encoding': 'gzip', ...headers },
    });
    return { status: response.status, headers: response.headers, html: await response.text() };
  }

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    const root = mkdtempSync(path.join(tmpdir(), 'udx-first-screen-'));
    dashboardDir = path.join(root, 'dist');
    builds = path.join(root, 'dist-server');
    mkdirSync(dashboardDir);
    mkdirSync(builds);
    writeFileSync(path.join(dashboardDir, 'index.html'), INDEX);
    await insertAccount(handle.db, {
      email: 'monitor@first-screen.example',
      role: 'FOREIGN_OFFICE',
      password: PASSWORD,
    });
    const url = await serverWith(path.join(builds, 'none.js'));
    token = await signInToken(url, 'monitor@first-screen.example', PASSWORD);
  }, 120_000);
  afterAll(async () => {
    for (const server of servers) await server.close();
    await handle?.close();
  });

  it('renders with what the viewer reads, in the language asked, kept by no cache', async () => {
    const url = await serverWith(
      serverBuild(
        builds,
        'reads',
        `const answer = await request.execute({ query: '{ me { email role } }', operationName: null, variables: {} });
         if (!answer.data.me) return undefined;
         return { title: 'Overview · udx', render: async () => ({
           html: '<p>' + answer.data.me.email + ' ' + answer.data.me.role + ' ' + request.locale + '</p>',
           state: { seen: '</script><script>alert(1)</script>' } }) };`,
      ),
    );
    const { status, headers, html } = await page(url, { 'accept-language': 'de-DE,de;q=0.9' });
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('<title>Overview · udx</title>');
    expect(html).toContain(
      '<div id="app"><p>monitor@first-screen.example FOREIGN_OFFICE de</p></div>',
    );
    // the state is data in the page: nothing in it ends its element or starts a script
    expect(html).toContain('<script type="application/json" id="udx-first-screen">');
    expect(html).not.toContain('<script>alert(1)');
    expect(html.match(/<\/script>/g)).toHaveLength(2);

    // signed out, or with a session that is not one: the app alone, drawn by the browser
    for (const cookie of ['', `udx_session=${'A'.repeat(43)}`]) {
      const signedOut = await page(url, { cookie });
      expect(signedOut.status).toBe(200);
      expect(signedOut.html).toBe(INDEX);
    }
  });

  it('sends the app alone when the page cannot be prepared, and keeps serving', async () => {
    const url = await serverWith(
      serverBuild(builds, 'throws', `throw new Error('the dashboard failed');`),
    );
    const { status, html } = await page(url);
    expect(status).toBe(200);
    expect(html).toBe(INDEX);
    const me = await post(url, ME, {}, bearer(token));
    expect(me.json.data.me.email).toBe('monitor@first-screen.example');
  });

  it('sends the app alone when the server build does not load', async () => {
    const broken = path.join(builds, 'broken.js');
    writeFileSync(broken, 'export const = ;');
    const url = await serverWith(broken);
    for (let i = 0; i < 2; i++) {
      const { status, html } = await page(url);
      expect(status).toBe(200);
      expect(html).toBe(INDEX);
    }
  });

  it('completes the page with the app alone when rendering fails after its head went out', async () => {
    const url = await serverWith(
      serverBuild(
        builds,
        'fails-late',
        `return { title: 'Overview · udx', render: async () => { throw new Error('late'); } };`,
      ),
    );
    const { status, html } = await page(url);
    expect(status).toBe(200);
    expect(html).toBe(INDEX.replace('<title>udx</title>', '<title>Overview · udx</title>'));
  });

  it('runs no write, and sends the app alone when one is asked for', async () => {
    const url = await serverWith(
      serverBuild(
        builds,
        'writes',
        `await request.execute({ query: 'mutation { signOut { errors { code } } }', operationName: null, variables: {} });
         return { title: 'Overview · udx', render: async () => ({ html: '<p>drawn</p>', state: {} }) };`,
      ),
    );
    const { html } = await page(url);
    expect(html).toBe(INDEX);
    // the session was not ended
    const me = await post(url, ME, {}, bearer(token));
    expect(me.json.data.me.email).toBe('monitor@first-screen.example');
  });
});
