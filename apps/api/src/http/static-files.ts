import { createReadStream, existsSync, readFileSync, type Stats, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { chooseEncoding, type Encoding } from './compression.ts';
import { DASHBOARD_CSP } from './security-headers.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.xml': 'application/xml',
  '.wasm': 'application/wasm',
};

/** Text that shrinks when compressed; images and fonts are compressed already. */
const COMPRESSIBLE = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.json',
  '.map',
  '.svg',
  '.txt',
  '.webmanifest',
  '.xml',
]);

/** Smaller files gain less than the header costs. */
const MIN_COMPRESSED_SIZE = 1024;

/**
 * Compressed copies of the dashboard's files, made on first request and kept while the file is
 * unchanged: ECharts alone is 466 KB as built and 160 KB gzipped. Brotli at quality 5 and gzip at
 * level 9 each take some milliseconds once per file and encoding.
 */
const compressed = new Map<string, { mtimeMs: number; size: number; body: Buffer }>();

function compressedBody(file: string, stats: Stats, encoding: Encoding): Buffer {
  const key = `${encoding} ${file}`;
  const kept = compressed.get(key);
  if (kept && kept.mtimeMs === stats.mtimeMs && kept.size === stats.size) return kept.body;
  const content = readFileSync(file);
  const body =
    encoding === 'br'
      ? brotliCompressSync(content, {
          params: {
            [zlib.BROTLI_PARAM_QUALITY]: 5,
            [zlib.BROTLI_PARAM_SIZE_HINT]: content.length,
          },
        })
      : gzipSync(content, { level: 9 });
  compressed.set(key, { mtimeMs: stats.mtimeMs, size: stats.size, body });
  return body;
}

/** Vite puts content-hashed files under `assets/`: they never change, so browsers keep them. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves the built dashboard (a single-page app): files as they are, and `index.html` for any
 * other path without a file extension, so that client routes survive a reload.
 * Returns false when the dashboard is not built, so the caller can say so.
 */
export function createStaticHandler(root: string | undefined) {
  const indexFile = root ? path.join(root, 'index.html') : undefined;
  const available = () => indexFile !== undefined && existsSync(indexFile);

  return {
    available,
    /**
     * Answers a GET or HEAD for `pathname`; false when nothing matches (the caller answers 404).
     * `status` is the client route's: 404 for a page that is not there, which still says so.
     */
    serve(pathname: string, response: ServerResponse, headOnly: boolean, status = 200): boolean {
      if (!root || !indexFile || !available()) return false;
      let decoded: string;
      try {
        decoded = decodeURIComponent(pathname);
      } catch {
        return false;
      }
      const file = path.resolve(root, `.${path.posix.normalize(decoded)}`);
      // never outside the dashboard's folder
      if (file !== root && !file.startsWith(root + path.sep)) return false;
      if (!decoded.includes('\0') && isFile(file)) {
        const relative = path.relative(root, file).split(path.sep).join('/');
        const cache = relative.startsWith('assets/') ? IMMUTABLE : 'no-cache';
        sendFile(response, file, cache, headOnly);
        return true;
      }
      if (path.posix.extname(decoded) === '') {
        sendFile(response, indexFile, 'no-cache', headOnly, status);
        return true;
      }
      return false;
    },
  };
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function sendFile(
  response: ServerResponse,
  file: string,
  cache: string,
  headOnly: boolean,
  status = 200,
): void {
  const stats = statSync(file);
  const extension = path.extname(file).toLowerCase();
  const compressible = COMPRESSIBLE.has(extension) && stats.size >= MIN_COMPRESSED_SIZE;
  const encoding = compressible
    ? chooseEncoding(response.req?.headers['accept-encoding'])
    : undefined;
  const body = encoding ? compressedBody(file, stats, encoding) : undefined;
  response.writeHead(status, {
    'Content-Type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
    'Content-Length': body ? body.length : stats.size,
    'Cache-Control': cache,
    ...(compressible ? { Vary: 'Accept-Encoding' } : {}),
    ...(encoding ? { 'Content-Encoding': encoding } : {}),
    ...(extension === '.html' ? { 'Content-Security-Policy': DASHBOARD_CSP } : {}),
  });
  if (headOnly) {
    response.end();
    return;
  }
  if (body) {
    response.end(body);
    return;
  }
  createReadStream(file).pipe(response);
}

/** The page `/` shows while the dashboard has not been built. */
export function sendDashboardMissing(response: ServerResponse, headOnly: boolean): void {
  const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>udx</title></head>
<body>
<main>
<h1>udx — impact monitor of the Urban Diplomacy Exchange</h1>
<p>The dashboard is not built yet. Build it with <code>pnpm build</code> and restart the server.</p>
<p>The GraphQL API is running: <a href="/graphql">/graphql</a> (GraphiQL in the browser).</p>
</main>
</body>
</html>
`;
  response.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(page),
    'Cache-Control': 'no-cache',
    'Content-Security-Policy': DASHBOARD_CSP,
  });
  response.end(headOnly ? undefined : page);
}
