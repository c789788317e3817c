// Prints the gzip size of what the browser must load before the first page (the overview) can
// show: index.html, the entry chunk, the overview page and everything they import statically.
// Lazily loaded chunks (ECharts, the world map, other pages) are listed apart.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = path.resolve(import.meta.dirname, '../dist');
const manifest = JSON.parse(readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8'));
const LIMIT_KB = 170;

const gz = (file) => gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length;
const critical = new Set(['index.html']);

function walk(key) {
  const chunk = manifest[key];
  if (!chunk || critical.has(chunk.file)) return;
  critical.add(chunk.file);
  for (const css of chunk.css ?? []) critical.add(css);
  for (const imported of chunk.imports ?? []) walk(imported);
}
walk('index.html');
walk('src/pages/OverviewPage.vue');

const all = new Set(Object.values(manifest).flatMap((c) => [c.file, ...(c.css ?? [])]));
const lazy = [...all].filter((f) => !critical.has(f));
const sum = (files) => [...files].reduce((total, f) => total + gz(f), 0);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

for (const file of critical) console.log(`  ${kb(gz(file)).padStart(10)}  ${file}`);
const total = sum(critical);
console.log(`critical path (overview, gzip): ${kb(total)} of ${LIMIT_KB} KB allowed`);
console.log(`lazily loaded (gzip): ${kb(sum(lazy))} in ${lazy.length} files`);
if (total > LIMIT_KB * 1024) {
  console.error('The critical path is over budget.');
  process.exit(1);
}
