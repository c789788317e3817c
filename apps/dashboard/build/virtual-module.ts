// Build-time code: runs in Vite's Node process, never in the browser.
import type { Plugin, Rollup } from 'vite';

/**
 * A Vite plugin serving `virtual:<name>`, whose code `load` builds once per build (and again in
 * the dev server when a file it watches changes).
 */
export function virtualModule(
  name: string,
  load: (context: Rollup.PluginContext) => string,
): Plugin {
  const id = `virtual:${name}`;
  return {
    name: `udx-${name}`,
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load(resolved) {
      return resolved === `\0${id}` ? load(this) : undefined;
    },
  };
}
