import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { criticalPath, kb, printCriticalPath, TARGET_CRITICAL_GZIP_KB } from './bundle.ts';

// `pnpm --filter @udx/dashboard size`: the critical-path part of the dashboard benchmark alone,
// without the in-memory build and the browser; exits non-zero when over budget.

const distDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../apps/dashboard/dist',
);
if (!existsSync(path.join(distDir, 'index.html'))) {
  console.error(`No built dashboard at ${distDir}: run pnpm --filter @udx/dashboard build first`);
  process.exit(1);
}
const critical = criticalPath(distDir);
printCriticalPath(critical);
const lazyGzip = critical.lazy.reduce((sum, c) => sum + c.gzipBytes, 0);
console.log(`lazily loaded JavaScript (gzip): ${kb(lazyGzip)} in ${critical.lazy.length} files`);
console.log(
  `critical path (gzip): ${kb(critical.gzipBytes)} of ${TARGET_CRITICAL_GZIP_KB} KB allowed`,
);
if (critical.gzipBytes > TARGET_CRITICAL_GZIP_KB * 1024) {
  console.error('The critical path is over budget.');
  process.exit(1);
}
