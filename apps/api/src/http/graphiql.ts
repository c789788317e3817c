import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { HttpError } from './http-error.ts';

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

/** URL prefix of GraphiQL's files; they come from installed packages, never from a CDN. */
export const GRAPHIQL_ASSETS = '/graphql/assets/';

// Resolved once: a missing package fails at start-up, not at the first visit.
const assets: Record<string, { file: string; type: string }> = {
  'react.production.min.js': {
    file: path.join(packageDir('react'), 'umd/react.production.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'react-dom.production.min.js': {
    file: path.join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'graphiql.min.js': {
    file: path.join(packageDir('graphiql'), 'graphiql.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'graphiql.min.css': {
    file: path.join(packageDir('graphiql'), 'graphiql.min.css'),
    type: 'text/css; charset=utf-8',
  },
};

// Starts GraphiQL against this server; a file of its own so the page needs no inline script.
const START_SCRIPT = `(function () {
  var fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultEditorToolsVisibility: true,
    defaultQuery: '# udx GraphQL API\\n{\\n  sdgGoals { number shortTitle colour }\\n  indicators { code name goal unit }\\n}\\n'
  }));
})();
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>udx GraphQL API</title>
<link rel="stylesheet" href="${GRAPHIQL_ASSETS}graphiql.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<noscript>GraphiQL needs JavaScript. The API answers POST /graphql with a JSON body.</noscript>
<script src="${GRAPHIQL_ASSETS}react.production.min.js"></script>
<script src="${GRAPHIQL_ASSETS}react-dom.production.min.js"></script>
<script src="${GRAPHIQL_ASSETS}graphiql.min.js"></script>
<script src="${GRAPHIQL_ASSETS}start.js"></script>
</body>
</html>
`;

// The page loads nothing from elsewhere; GraphiQL's styles and fonts are inline data.
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/** Whether a GET to /graphql comes from a browser window rather than a GraphQL client. */
export function wantsGraphiQL(accept: string | undefined, url: URL): boolean {
  if (url.searchParams.has('query')) return false;
  return accept?.toLowerCase().includes('text/html') ?? false;
}

/** The GraphiQL page. */
export function sendGraphiQL(response: ServerResponse, headOnly: boolean): void {
  response.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(PAGE),
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'Cache-Control': 'no-cache',
  });
  response.end(headOnly ? undefined : PAGE);
}

const cache = new Map<string, Buffer>();

/** One of GraphiQL's files, from node_modules. */
export function sendGraphiQLAsset(response: ServerResponse, name: string, headOnly: boolean): void {
  let body: Buffer;
  let type: string;
  if (name === 'start.js') {
    body = Buffer.from(START_SCRIPT);
    type = 'text/javascript; charset=utf-8';
  } else {
    const asset = assets[name];
    if (!asset) throw new HttpError(404, `No GraphiQL asset ${name}`, 'NOT_FOUND');
    type = asset.type;
    body = cache.get(name) ?? readFileSync(asset.file);
    cache.set(name, body);
  }
  response.writeHead(200, {
    'Content-Type': type,
    'Content-Length': body.length,
    // versions change only with a new install, which restarts the server
    'Cache-Control': 'public, max-age=3600',
  });
  response.end(headOnly ? undefined : body);
}
