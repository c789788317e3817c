import type { FeatureCollection } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

/** The name the world map is registered under with ECharts. */
export const WORLD_MAP = 'world';

/** Converts world-atlas' TopoJSON countries into the GeoJSON that ECharts' `geo` draws. */
export function worldGeoJson(
  topology: Topology<{ countries: GeometryCollection }>,
): FeatureCollection {
  const countries = feature(topology, topology.objects.countries) as FeatureCollection;
  return {
    type: 'FeatureCollection',
    // ECharts names regions after `properties.name`; world-atlas provides it.
    features: countries.features.filter((f) => f.geometry !== null),
  };
}

/** Loads the 1:110m world map from the bundle (a lazy chunk; nothing is fetched elsewhere). */
export function loadWorldGeoJson(): Promise<FeatureCollection> {
  world ??= import('world-atlas/countries-110m.json').then((mod) =>
    worldGeoJson(mod.default as unknown as Topology<{ countries: GeometryCollection }>),
  );
  return world;
}

let world: Promise<FeatureCollection> | undefined;
