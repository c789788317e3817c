import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import worldMap from 'virtual:world-map';
import type { FeatureCollection, Position } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { describe, expect, it } from 'vitest';
import { asOneRegion, clipToRegion, MAP_REGION, worldGeoJson } from '../build/world-map.ts';

const require = createRequire(import.meta.url);

function rings(collection: FeatureCollection): Position[][] {
  return collection.features.flatMap((f) => {
    if (f.geometry.type === 'Polygon') return f.geometry.coordinates;
    if (f.geometry.type === 'MultiPolygon') return f.geometry.coordinates.flat();
    return [];
  });
}

const names = (collection: FeatureCollection) =>
  collection.features.map((f) => f.properties?.name as string);

describe('world map', () => {
  const topology = JSON.parse(
    readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8'),
  ) as Topology<{ countries: GeometryCollection }>;
  const world = worldGeoJson(topology);

  it('converts the bundled world-atlas TopoJSON into named country features', () => {
    expect(world.type).toBe('FeatureCollection');
    expect(world.features.length).toBeGreaterThan(170);
    expect(names(world)).toEqual(
      expect.arrayContaining(['Germany', 'United States of America', 'United Kingdom']),
    );
    expect(world.features.every((f) => f.geometry !== null)).toBe(true);
  });

  it('cuts countries to a region and leaves out those wholly outside it', () => {
    const europe = clipToRegion(world, { west: -12, east: 30, south: 35, north: 72 });
    expect(names(europe)).toEqual(expect.arrayContaining(['Germany', 'United Kingdom', 'Russia']));
    expect(names(europe)).not.toContain('United States of America');
    expect(names(europe)).not.toContain('Australia');
    for (const ring of rings(europe)) {
      expect(ring.length).toBeGreaterThanOrEqual(4);
      expect(ring.at(-1)).toEqual(ring[0]);
      for (const [lon, lat] of ring) {
        expect(lon).toBeGreaterThanOrEqual(-12);
        expect(lon).toBeLessThanOrEqual(30);
        expect(lat).toBeGreaterThanOrEqual(35);
        expect(lat).toBeLessThanOrEqual(72);
      }
    }
    // A country inside the region keeps its shape.
    const germany = (c: FeatureCollection) =>
      rings({
        type: 'FeatureCollection',
        features: c.features.filter((f) => f.properties?.name === 'Germany'),
      });
    expect(germany(europe)[0]?.length).toBeGreaterThan(10);
    expect(germany(europe)[0]?.length).toBe(germany(world)[0]?.length);
  });

  it('makes the countries one region of all their polygons, borders and holes kept', () => {
    const europe = clipToRegion(world, { west: -12, east: 30, south: 35, north: 72 });
    const land = asOneRegion(europe);
    expect(names(land)).toEqual(['land']);
    // Every country's polygons, each with its own outline (and holes), in the one region.
    expect(rings(land)).toEqual(rings(europe));
    expect(land.features[0]?.geometry.type).toBe('MultiPolygon');
  });

  it('builds the map the dashboard draws: the North Atlantic, smaller than the world', () => {
    const countries = clipToRegion(world, MAP_REGION);
    expect(names(countries)).toEqual(
      expect.arrayContaining(['Germany', 'United States of America', 'United Kingdom', 'Canada']),
    );
    expect(names(countries)).not.toContain('Australia');
    expect(names(countries)).not.toContain('Japan');
    // What the browser gets: those countries' polygons as one region.
    expect(worldMap.features).toHaveLength(1);
    expect(rings(worldMap)).toEqual(rings(countries));
    const points = (c: FeatureCollection) => rings(c).reduce((n, r) => n + r.length, 0);
    expect(points(worldMap)).toBeLessThan(points(world) * 0.8);
    for (const [lon, lat] of rings(worldMap).flat()) {
      expect(lon).toBeGreaterThanOrEqual(MAP_REGION.west);
      expect(lon).toBeLessThanOrEqual(MAP_REGION.east);
      expect(lat).toBeGreaterThanOrEqual(MAP_REGION.south);
      expect(lat).toBeLessThanOrEqual(MAP_REGION.north);
    }
  });
});
