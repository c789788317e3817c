import path from 'node:path';
import { build } from 'vite';
import { gzipSize } from './bundle.ts';

/** Bytes one package (or the dashboard's own source) adds to the critical path. */
export interface PackageShare {
  name: string;
  modules: number;
  renderedBytes: number;
  /** Its rendered code gzipped on its own: an estimate of what moving it out would save. */
  gzipBytes: number;
  /** The chunks it sits in. */
  chunks: string[];
}

export interface ModuleReport {
  /** The eager chunks of this build, by file name (comparable with dist when nothing changed). */
  eagerFiles: string[];
  packages: PackageShare[];
  /** Modules of echarts or zrender in eager chunks (should be none). */
  eagerEchartsModules: string[];
  /** Chunks holding echarts or zrender modules. */
  echartsChunks: string[];
}

// The parts of Rollup's / Rolldown's output chunk this report reads.
interface BuiltModule {
  code?: string | null;
  renderedLength: number;
}
interface BuiltChunk {
  type: 'chunk';
  fileName: string;
  isEntry: boolean;
  imports: string[];
  modules: Record<string, BuiltModule>;
}
interface BuiltAsset {
  type: 'asset';
  fileName: string;
}

/** `echarts`, `@vue/runtime-core`, or `dashboard src/<folder>` for the app's own files. */
export function packageOf(moduleId: string, dashboardDir: string): string {
  const id = moduleId.replace(/^\0/, '').replace(/\?.*$/, '');
  const at = id.lastIndexOf('/node_modules/');
  if (at >= 0) {
    const parts = id.slice(at + '/node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? id);
  }
  const relative = path.relative(dashboardDir, id);
  if (!relative.startsWith('..') && !path.isAbsolute(relative)) {
    const [top, second] = relative.split(path.sep);
    return top === 'src' && second && !second.includes('.')
      ? `dashboard src/${second}`
      : 'dashboard src';
  }
  return id.startsWith('vite/') || id.includes('vite/') ? 'vite runtime' : id;
}

const isEcharts = (name: string) => name === 'echarts' || name === 'zrender';

/**
 * Builds the dashboard once more in memory with its own vite config (nothing is written) and
 * attributes the eager chunks' code to packages, largest first.
 */
export async function eagerModules(dashboardDir: string): Promise<ModuleReport> {
  const result = await build({
    root: dashboardDir,
    configFile: path.join(dashboardDir, 'vite.config.ts'),
    logLevel: 'silent',
    build: { write: false, reportCompressedSize: false },
  });
  const output = (Array.isArray(result) ? result[0] : result) as unknown as {
    output?: (BuiltChunk | BuiltAsset)[];
  };
  if (!output?.output) throw new Error('vite build returned no bundle');
  const chunks = new Map<string, BuiltChunk>();
  for (const item of output.output) if (item.type === 'chunk') chunks.set(item.fileName, item);
  const eager = new Set<string>();
  const pending = [...chunks.values()].filter((c) => c.isEntry).map((c) => c.fileName);
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (eager.has(file)) continue;
    eager.add(file);
    pending.push(...(chunks.get(file)?.imports ?? []));
  }
  const shares = new Map<string, PackageShare & { code: string[] }>();
  const eagerEchartsModules: string[] = [];
  const echartsChunks = new Set<string>();
  for (const chunk of chunks.values()) {
    for (const [id, module] of Object.entries(chunk.modules)) {
      const name = packageOf(id, dashboardDir);
      if (isEcharts(name)) {
        echartsChunks.add(chunk.fileName);
        if (eager.has(chunk.fileName)) eagerEchartsModules.push(id);
      }
      if (!eager.has(chunk.fileName) || module.renderedLength === 0) continue;
      let share = shares.get(name);
      if (!share) {
        share = { name, modules: 0, renderedBytes: 0, gzipBytes: 0, chunks: [], code: [] };
        shares.set(name, share);
      }
      share.modules++;
      share.renderedBytes += module.renderedLength;
      if (module.code) share.code.push(module.code);
      if (!share.chunks.includes(chunk.fileName)) share.chunks.push(chunk.fileName);
    }
  }
  const packages = [...shares.values()]
    .map(({ code, ...share }) => ({
      ...share,
      gzipBytes: code.length ? gzipSize(code.join('\n')) : 0,
    }))
    .sort((a, b) => b.renderedBytes - a.renderedBytes);
  return {
    eagerFiles: [...eager],
    packages,
    eagerEchartsModules,
    echartsChunks: [...echartsChunks],
  };
}
