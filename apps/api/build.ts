import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

// `pnpm build` for @udx/api: the server (`dist/main.js`) and the `udx` command line
// (`dist/cli.js`) as JavaScript that Node runs without tsx or TypeScript (README, Production).
// The workspace packages export TypeScript sources, so they are bundled in; everything from
// node_modules stays external and is loaded from apps/api/node_modules at run time: native
// addons (@node-rs/argon2), PGlite's WebAssembly files and GraphiQL's assets live there.

const packageDir = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.join(packageDir, 'dist');
const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
};
const runtimeDependencies = new Set(Object.keys(manifest.dependencies ?? {}));
/** Development tools that must never be needed by the built server. */
const developmentOnly = new Set(['tsx', 'typescript', 'esbuild', 'vitest']);

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Bundles the workspace's own packages (`@udx/*`); leaves every other package to Node. */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(plugin) {
    plugin.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || args.path.startsWith('@udx/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: packageDir,
  entryPoints: { main: 'src/main.ts', cli: 'src/cli.ts' },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // stack traces point at the TypeScript sources under `node --enable-source-maps`
  sourcemap: true,
  plugins: [externalPackages],
  metafile: true,
  logLevel: 'warning',
});

// Node resolves the external imports from apps/api/dist, that is from @udx/api's own
// node_modules: a package the bundled workspace code imports must be a dependency of @udx/api
// itself (pnpm links only declared dependencies), or the server fails only when it starts.
const problems: string[] = [];
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  for (const imported of output.imports) {
    if (!imported.external || imported.path.startsWith('node:')) continue;
    const name = packageName(imported.path);
    if (developmentOnly.has(name)) {
      problems.push(`${file} imports ${imported.path}, a development tool`);
    } else if (!runtimeDependencies.has(name)) {
      problems.push(`${file} imports ${imported.path}: add ${name} to dependencies of @udx/api`);
    }
  }
}
if (problems.length > 0) {
  console.error(`The build of @udx/api cannot run as it is:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
const bytes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith('.js'))
  .map(([file, output]) => `${file} (${Math.round(output.bytes / 1024)} KB)`);
console.log(`Built ${bytes.join(', ')}`);
