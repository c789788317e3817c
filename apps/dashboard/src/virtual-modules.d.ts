declare module 'virtual:world-map' {
  import type { FeatureCollection } from 'geojson';

  /** The countries the partnership map draws (see build/world-map.ts). */
  const worldMap: FeatureCollection;
  export default worldMap;
}

declare module 'virtual:methodology' {
  /** docs/methodology.md and docs/methodik.md as HTML, per language (see build/methodology.ts). */
  const methodology: Record<'en' | 'de', { lang: 'en' | 'de'; html: string }>;
  export default methodology;
}
