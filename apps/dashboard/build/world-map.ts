import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Plugin } from 'vite';
import { virtualModule } from './virtual-module.ts';

// Build-time code: runs in Vite's Node process, never in the browser.

/** A longitude/latitude rectangle in degrees. */
export interface Region {
  west: number;
  east: number;
  south: number;
  north: number;
}

/**
 * What the partnership map can show: it is framed on the North Atlantic (Germany, the UK, the
 * US); the margin covers narrow panels, which show more latitude, and some panning. Asia,
 * Oceania and Antarctica lie outside and are not drawn.
 */
export const MAP_REGION: Region = { west: -170, east: 60, south: -50, north: 84 };

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

type Edge = { inside: (p: Position) => boolean; cross: (a: Position, b: Position) => Position };

function edges(r: Region): Edge[] {
  const atLongitude = (lon: number) => (a: Position, b: Position) => {
    const t = (lon - (a[0] as number)) / ((b[0] as number) - (a[0] as number));
    return [lon, (a[1] as number) + t * ((b[1] as number) - (a[1] as number))];
  };
  const atLatitude = (lat: number) => (a: Position, b: Position) => {
    const t = (lat - (a[1] as number)) / ((b[1] as number) - (a[1] as number));
    return [(a[0] as number) + t * ((b[0] as number) - (a[0] as number)), lat];
  };
  return [
    { inside: (p) => (p[0] as number) >= r.west, cross: atLongitude(r.west) },
    { inside: (p) => (p[0] as number) <= r.east, cross: atLongitude(r.east) },
    { inside: (p) => (p[1] as number) >= r.south, cross: atLatitude(r.south) },
    { inside: (p) => (p[1] as number) <= r.north, cross: atLatitude(r.north) },
  ];
}

/** Sutherland–Hodgman: a closed ring cut to the rectangle, or null when nothing is left. */
function clipRing(ring: readonly Position[], r: Region): Position[] | null {
  // The closing point repeats the first; work on the open ring.
  let points: Position[] = ring.slice(0, -1);
  for (const edge of edges(r)) {
    if (points.length === 0) break;
    const out: Position[] = [];
    for (let i = 0; i < points.length; i++) {
      const current = points[i] as Position;
      const previous = points[(i + points.length - 1) % points.length] as Position;
      if (edge.inside(current)) {
        if (!edge.inside(previous)) out.push(edge.cross(previous, current));
        out.push(current);
      } else if (edge.inside(previous)) {
        out.push(edge.cross(previous, current));
      }
    }
    points = out;
  }
  if (points.length < 3) return null;
  // About 1 km: finer than a 1:110m map can show, and a much smaller file.
  const rounded = points.map((p) => [
    Math.round((p[0] as number) * 100) / 100,
    Math.round((p[1] as number) * 100) / 100,
  ]);
  return [...rounded, rounded[0] as Position];
}

function clipPolygon(rings: readonly Position[][], r: Region): Position[][] | null {
  const [outer, ...holes] = rings;
  const clippedOuter = outer && clipRing(outer, r);
  if (!clippedOuter) return null;
  const clippedHoles = holes.map((hole) => clipRing(hole, r));
  return [clippedOuter, ...clippedHoles.filter((hole): hole is Position[] => hole !== null)];
}

/**
 * The countries cut to `region`, coordinates rounded to 0.01°: what remains outside is never
 * seen, but would cost the browser time to draw. Countries wholly outside are left out.
 */
export function clipToRegion(world: FeatureCollection, region: Region): FeatureCollection {
  const features: Feature[] = [];
  for (const f of world.features) {
    const g = f.geometry;
    let polygons: Position[][][] = [];
    if (g?.type === 'Polygon') polygons = [g.coordinates];
    else if (g?.type === 'MultiPolygon') polygons = g.coordinates;
    const clipped = polygons
      .map((p) => clipPolygon(p, region))
      .filter((p): p is Position[][] => p !== null);
    if (clipped.length === 0) continue;
    const geometry: Polygon | MultiPolygon =
      clipped.length === 1
        ? { type: 'Polygon', coordinates: clipped[0] as Position[][] }
        : { type: 'MultiPolygon', coordinates: clipped };
    features.push({ type: 'Feature', properties: { name: f.properties?.name }, geometry });
  }
  return { type: 'FeatureCollection', features };
}

/**
 * The countries as one region: one MultiPolygon of all their polygons. The map draws them all
 * alike (one colour, no names, no hover), and ECharts outlines each polygon of a region, so the
 * borders look as before; but ECharts pays for every region (a label, a path, styles) when it
 * draws the map, and 143 of them made the map the dearest chart of the overview to draw.
 */
export function asOneRegion(countries: FeatureCollection, name = 'land'): FeatureCollection {
  const polygons = countries.features.flatMap((f): Position[][][] => {
    if (f.geometry?.type === 'Polygon') return [f.geometry.coordinates];
    if (f.geometry?.type === 'MultiPolygon') return f.geometry.coordinates;
    return [];
  });
  return {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { name },
        geometry: { type: 'MultiPolygon', coordinates: polygons },
      },
    ],
  };
}

const require = createRequire(import.meta.url);

/**
 * `virtual:world-map`: the GeoJSON the partnership map draws, converted from world-atlas, cut
 * to the North Atlantic and made one region once at build time rather than in every browser on
 * every load.
 */
export function worldMap(): Plugin {
  return virtualModule('world-map', (context) => {
    const file = require.resolve('world-atlas/countries-110m.json');
    context.addWatchFile(file);
    const topology = JSON.parse(readFileSync(file, 'utf8')) as Topology<{
      countries: GeometryCollection;
    }>;
    const geoJson = JSON.stringify(asOneRegion(clipToRegion(worldGeoJson(topology), MAP_REGION)));
    // JSON.parse of a string literal is faster for the browser than an object literal.
    return `export default JSON.parse(${JSON.stringify(geoJson)});`;
  });
}
