declare module 'virtual:world-map' {
  import type { FeatureCollection } from 'geojson';

  /** The countries the partnership map draws (see build/world-map.ts). */
  const worldMap: FeatureCollection;
  export default worldMap;
}
