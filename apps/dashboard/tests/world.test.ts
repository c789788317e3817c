import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { describe, expect, it } from 'vitest';
import { loadWorldGeoJson, worldGeoJson } from '../src/charts/world.ts';

const require = createRequire(import.meta.url);

describe('world map', () => {
  it('converts the bundled world-atlas TopoJSON into named country features', () => {
    const topology = JSON.parse(
      readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8'),
    ) as Topology<{ countries: GeometryCollection }>;
    const world = worldGeoJson(topology);
    expect(world.type).toBe('FeatureCollection');
    expect(world.features.length).toBeGreaterThan(170);
    const names = world.features.map((f) => f.properties?.name);
    expect(names).toEqual(
      expect.arrayContaining(['Germany', 'United States of America', 'United Kingdom']),
    );
    expect(world.features.every((f) => f.geometry !== null)).toBe(true);
  });

  it('loads the map once through a dynamic import', async () => {
    const first = loadWorldGeoJson();
    expect(loadWorldGeoJson()).toBe(first);
    expect((await first).features.length).toBeGreaterThan(170);
  });
});
