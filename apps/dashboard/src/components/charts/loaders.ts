/** The overview's chart canvases: each a lazily loaded chunk with the ECharts parts it uses. */
export const loadBarsCanvas = () => import('./BarsCanvas.vue');
/** The partnership map's canvas; its chunk brings the world map data along. */
export const loadMapCanvas = () => import('./MapCanvas.vue');

/**
 * Starts loading ECharts, the overview's chart canvases and the world map, so that they arrive
 * while the overview's query is answered instead of after it. Failures are left to the charts,
 * which load the same chunks again when they appear.
 */
export function prefetchOverviewCharts(): void {
  Promise.all([loadBarsCanvas(), loadMapCanvas()]).catch(() => {});
}

/** The name MapCanvas registers the world map under with ECharts, for map options to use. */
export const WORLD_MAP = 'world';
