import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** One JavaScript file of the built dashboard. */
export interface ChunkFile {
  /** Path below `dist`, e.g. `assets/index-Bub3ci61.js`. */
  file: string;
  bytes: number;
  gzipBytes: number;
  /** Files it imports statically (below `dist`). */
  staticImports: string[];
  /** Files it imports with `import()` (below `dist`). */
  dynamicImports: string[];
  /** Holds the ECharts core (its DOM attribute name is a literal that survives minifying). */
  hasEcharts: boolean;
}

export interface CriticalPath {
  /** What index.html loads itself: module scripts and modulepreload links. */
  htmlScripts: string[];
  /** Every JS file the page needs before it runs: those and their static imports. */
  eager: ChunkFile[];
  gzipBytes: number;
  bytes: number;
  /** Files reachable only through `import()`. */
  lazy: ChunkFile[];
}

/** The budget of the critical path, gzipped (README, Performance). */
export const TARGET_CRITICAL_GZIP_KB = 170;

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
export const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** The literal ECharts' core uses to tag its DOM nodes; no other library writes it. */
const ECHARTS_MARKER = '_echarts_instance_';

/** gzip as a web server would send it (zlib's default level, 6). */
export function gzipSize(content: Buffer | string): number {
  return gzipSync(content).length;
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match ? (match[2] ?? match[3] ?? match[4]) : undefined;
}

/** The JS files index.html loads eagerly: `<script type="module" src>` and modulepreloads. */
export function scriptsOfIndexHtml(html: string): string[] {
  const files: string[] = [];
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attribute(tag, 'src');
    if (src && attribute(tag, 'type') === 'module') files.push(src);
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const href = attribute(tag, 'href');
    if (href && attribute(tag, 'rel')?.toLowerCase() === 'modulepreload') files.push(href);
  }
  return files.map((url) => url.replace(/^\//, ''));
}

/**
 * Import specifiers of a built (minified) ES module: static `import … from "x"`, `import "x"`
 * and `export … from "x"`, and dynamic `import("x")`. Only relative ones name dashboard files.
 */
export function importsOfChunk(code: string): { static: string[]; dynamic: string[] } {
  const staticImports = new Set<string>();
  const dynamicImports = new Set<string>();
  const quoted = `["'\`]([^"'\`]+\\.js)["'\`]`;
  const staticPattern = new RegExp(
    `(?:^|[;}\\s])(?:import|export)\\s*(?:[\\w$*{][^;"'\`()]*?\\bfrom\\s*)?${quoted}`,
    'g',
  );
  for (const match of code.matchAll(staticPattern)) staticImports.add(match[1] as string);
  for (const match of code.matchAll(new RegExp(`\\bimport\\s*\\(\\s*${quoted}`, 'g'))) {
    dynamicImports.add(match[1] as string);
  }
  // Vite lists the files of lazy imports for preloading in __vite__mapDeps; they are lazy too.
  const mapDeps = /__vite__mapDeps\s*=.*?\[((?:\s*"[^"]+"\s*,?)+)\]/s.exec(code);
  if (mapDeps?.[1]) {
    for (const m of mapDeps[1].matchAll(/"([^"]+\.js)"/g)) dynamicImports.add(`/${m[1]}`);
  }
  return { static: [...staticImports], dynamic: [...dynamicImports] };
}

function resolveIn(fromFile: string, specifier: string): string {
  if (specifier.startsWith('/')) return specifier.slice(1);
  return path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier));
}

/** Reads one built JS file and its imports. */
export function readChunk(distDir: string, file: string): ChunkFile {
  const content = readFileSync(path.join(distDir, file));
  const code = content.toString('utf8');
  const imports = importsOfChunk(code);
  return {
    file,
    bytes: content.length,
    gzipBytes: gzipSize(content),
    staticImports: imports.static.map((s) => resolveIn(file, s)),
    dynamicImports: imports.dynamic.map((s) => resolveIn(file, s)),
    hasEcharts: code.includes(ECHARTS_MARKER),
  };
}

/**
 * The critical-path JavaScript of the built dashboard: what index.html loads and everything
 * those files import statically, each gzipped on its own; and the files reachable only lazily.
 */
export function criticalPath(distDir: string): CriticalPath {
  const html = readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const htmlScripts = scriptsOfIndexHtml(html);
  if (htmlScripts.length === 0) throw new Error('index.html loads no module script');
  const chunks = new Map<string, ChunkFile>();
  const load = (file: string) => {
    let chunk = chunks.get(file);
    if (!chunk) {
      chunk = readChunk(distDir, file);
      chunks.set(file, chunk);
    }
    return chunk;
  };
  const eager = new Set<string>();
  const pending = [...htmlScripts];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (eager.has(file)) continue;
    eager.add(file);
    pending.push(...load(file).staticImports);
  }
  const lazy = new Set<string>();
  const lazyPending = [...eager].flatMap((file) => load(file).dynamicImports);
  while (lazyPending.length > 0) {
    const file = lazyPending.pop() as string;
    if (eager.has(file) || lazy.has(file)) continue;
    lazy.add(file);
    const chunk = load(file);
    lazyPending.push(...chunk.staticImports, ...chunk.dynamicImports);
  }
  const eagerChunks = [...eager].map(load);
  return {
    htmlScripts,
    eager: eagerChunks,
    gzipBytes: eagerChunks.reduce((sum, c) => sum + c.gzipBytes, 0),
    bytes: eagerChunks.reduce((sum, c) => sum + c.bytes, 0),
    lazy: [...lazy].map(load),
  };
}

/** Prints the eager files with their raw and gzip sizes, and the total. */
export function printCriticalPath(critical: CriticalPath): void {
  console.log(`index.html loads: ${critical.htmlScripts.join(', ')}`);
  for (const chunk of critical.eager) {
    console.log(
      `  ${chunk.file.padEnd(48)} ${kb(chunk.bytes).padStart(10)}  gzip ${kb(chunk.gzipBytes).padStart(9)}`,
    );
  }
  console.log(
    `  ${'total (each file gzipped, zlib level 6)'.padEnd(48)} ${kb(critical.bytes).padStart(10)}  ` +
      `gzip ${kb(critical.gzipBytes).padStart(9)}`,
  );
}
