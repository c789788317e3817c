// Build-time code: runs in Vite's Node process, never in the browser.

/** What the chunking pass knows of a module: whether it is an entry, what it imports, who imports it. */
interface ModuleGraph {
  getModuleInfo(id: string): {
    isEntry: boolean;
    importedIds: readonly string[];
    importers: readonly string[];
    dynamicImporters: readonly string[];
  } | null;
}

/** ECharts and the chart canvases that draw with it (the world map apart: it is large and seen on few pages). */
const CHART_CODE =
  /node_modules[\\/](echarts|zrender|vue-echarts|tslib)[\\/]|[\\/]src[\\/](chart-options[\\/]|components[\\/]charts[\\/](Bars|Line|Graph)Canvas\.vue)/;
const MAP_CODE = /[\\/]src[\\/]components[\\/]charts[\\/]MapCanvas\.vue|world-map/;
/** The dashboard's own code below its pages: components, composables, helpers. */
const APP_CODE = /[\\/]src[\\/](components|composables|lib|gql)[\\/]|virtual:udx-document/;

/**
 * How the dashboard's code is cut into files beyond what the first screen loads.
 *
 * Left to itself the bundler makes a file of every module two pages share: the overview would
 * fetch about forty small files, and a browser asks a server for six at a time over HTTP/1.1,
 * so the overview's data waited behind them. Instead, past the first screen's own code (the
 * entry, left as it is), each page is a file, the components and helpers the pages share are
 * one file, ECharts with the canvases one, the world map one.
 */
export function chunkOf(): (id: string, graph: ModuleGraph) => string | null {
  let eager: Set<string> | undefined;
  return (id, graph) => {
    eager ??= staticallyReachableFromEntries(id, graph);
    if (eager.has(id)) return null;
    if (MAP_CODE.test(id)) return 'map';
    if (CHART_CODE.test(id)) return 'charts';
    if (APP_CODE.test(id)) return 'app';
    return null;
  };
}

/** The entries and every module they import statically: the code of the first screen. */
function staticallyReachableFromEntries(anyId: string, graph: ModuleGraph): Set<string> {
  // Walk up from any module to find the entry first: only modules can be asked for.
  const entries = findEntries(anyId, graph);
  const reached = new Set<string>();
  const todo = [...entries];
  while (todo.length > 0) {
    const id = todo.pop() as string;
    if (reached.has(id)) continue;
    reached.add(id);
    for (const next of graph.getModuleInfo(id)?.importedIds ?? []) todo.push(next);
  }
  return reached;
}

/** The entries: found by walking up the importers of any one module. */
function findEntries(anyId: string, graph: ModuleGraph): string[] {
  const entries: string[] = [];
  const seen = new Set<string>();
  const todo = [anyId];
  while (todo.length > 0) {
    const id = todo.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const info = graph.getModuleInfo(id);
    if (!info) continue;
    if (info.isEntry) entries.push(id);
    todo.push(...info.importers, ...info.dynamicImporters);
  }
  return entries;
}
