import type { EChartsOption } from 'echarts';
import { DRAWN_AT_ONCE, FONT_FAMILY, PALETTE, TEXT_COLOUR } from './common.ts';

/** A city of the map: where it lies (when known) and how many partnerships it is in. */
export interface MapCity {
  id: string;
  name: string;
  countryCode: string;
  latitude?: number | null;
  longitude?: number | null;
  /** The German city of any of its partnerships (drawn in the German colour). */
  isGerman: boolean;
  partnershipCount: number;
}

/** Two cities joined by partnerships: a line of the map. */
export interface MapLink {
  germanCityId: string;
  partnerCityId: string;
  partnershipCount: number;
  /** The partnership, when the link is one. */
  partnershipId?: string | null;
}

/**
 * What the map draws: each city once and each pair of cities once, as the API's
 * `Dashboard.partnershipMap` answers for a whole scope, however many partnerships it holds.
 */
export interface PartnershipMapData {
  cities: readonly MapCity[];
  links: readonly MapLink[];
}

/** A partnership with its two cities, as the public pages list them. */
export interface MapPartnership {
  id: string;
  germanCity: Omit<MapCity, 'isGerman' | 'partnershipCount'>;
  partnerCity: Omit<MapCity, 'isGerman' | 'partnershipCount'>;
}

export interface PartnershipMapInput {
  map: PartnershipMapData;
  /** Name under which the world GeoJSON was registered with `registerMap`. */
  mapName: string;
  title: string;
  /** The partnership to emphasise (e.g. the one filtered on). */
  selectedId?: string | undefined;
  /** Words for a number of partnerships, for the tooltips ("3 partnerships"). */
  partnerships: (count: number) => string;
}

/** A link between two cities of the map, with both cities (for its line and its table row). */
export interface MapRow {
  key: string;
  germanCity: MapCity;
  partnerCity: MapCity;
  partnershipCount: number;
  partnershipId: string | null;
  /** Whether both cities have coordinates, so that the line is drawn. */
  drawn: boolean;
}

export interface MapLine {
  key: string;
  partnershipId: string | null;
  name: string;
  partnershipCount: number;
  coords: [[number, number], [number, number]];
}

/**
 * Beyond this many lines or cities, each series is drawn as one shape (ECharts' large mode):
 * the national programme's 5,000 lines and 10,000 cities, or a country's 2,000 and 4,000, as
 * separate SVG elements would take seconds to draw. Lines are then all of one width and colour.
 */
const LARGE = 1_000;

type Located = MapCity & { latitude: number; longitude: number };

function located(city: MapCity): city is Located {
  return (
    typeof city.latitude === 'number' &&
    typeof city.longitude === 'number' &&
    Number.isFinite(city.latitude) &&
    Number.isFinite(city.longitude)
  );
}

/**
 * The map of a list of partnerships (a public page's), counted as the API counts a scope's:
 * each city once with its partnerships, each pair of cities once, either way round, oriented as
 * the first partnership between them.
 */
export function mapOfPartnerships(partnerships: readonly MapPartnership[]): PartnershipMapData {
  const cities = new Map<string, MapCity>();
  const links = new Map<string, MapLink>();
  for (const p of partnerships) {
    for (const [city, isGerman] of [
      [p.germanCity, true],
      [p.partnerCity, false],
    ] as const) {
      const seen = cities.get(city.id);
      cities.set(city.id, {
        ...city,
        isGerman: isGerman || (seen?.isGerman ?? false),
        partnershipCount: (seen?.partnershipCount ?? 0) + 1,
      });
    }
    const key = [p.germanCity.id, p.partnerCity.id].sort().join('\n');
    const link = links.get(key);
    links.set(
      key,
      link
        ? { ...link, partnershipCount: link.partnershipCount + 1, partnershipId: null }
        : {
            germanCityId: p.germanCity.id,
            partnerCityId: p.partnerCity.id,
            partnershipCount: 1,
            partnershipId: p.id,
          },
    );
  }
  return { cities: [...cities.values()], links: [...links.values()] };
}

/**
 * The links of the map with their cities, by German city and then partner city in the
 * language's order: the rows of the map's table. A link whose city is missing from the map's
 * cities is left out.
 */
export function mapRows(map: PartnershipMapData, locale?: string): MapRow[] {
  const byId = new Map(map.cities.map((city) => [city.id, city]));
  const rows = map.links.flatMap((link) => {
    const germanCity = byId.get(link.germanCityId);
    const partnerCity = byId.get(link.partnerCityId);
    if (!germanCity || !partnerCity) return [];
    return [
      {
        key: `${link.germanCityId}\n${link.partnerCityId}`,
        germanCity,
        partnerCity,
        partnershipCount: link.partnershipCount,
        partnershipId: link.partnershipId ?? null,
        drawn: located(germanCity) && located(partnerCity),
      },
    ];
  });
  // one collator for thousands of comparisons (localeCompare would make one per call)
  const collator = new Intl.Collator(locale);
  return rows.sort(
    (a, b) =>
      collator.compare(a.germanCity.name, b.germanCity.name) ||
      collator.compare(a.partnerCity.name, b.partnerCity.name),
  );
}

/** One line per link whose two cities both have coordinates ([longitude, latitude]). */
export function mapLines(map: PartnershipMapData): MapLine[] {
  return mapRows(map).flatMap((row) =>
    located(row.germanCity) && located(row.partnerCity)
      ? [
          {
            key: row.key,
            partnershipId: row.partnershipId,
            name: `${row.germanCity.name} – ${row.partnerCity.name}`,
            partnershipCount: row.partnershipCount,
            coords: [
              [row.germanCity.longitude, row.germanCity.latitude],
              [row.partnerCity.longitude, row.partnerCity.latitude],
            ] as [[number, number], [number, number]],
          },
        ]
      : [],
  );
}

/** The located cities of the map, German cities first. */
export function mapCities(map: PartnershipMapData) {
  return map.cities
    .filter(located)
    .map((city) => ({
      id: city.id,
      name: city.name,
      value: [city.longitude, city.latitude] as [number, number],
      german: city.isGerman,
      partnershipCount: city.partnershipCount,
    }))
    .sort((a, b) => Number(b.german) - Number(a.german));
}

/** A line's width: wider the more partnerships join its two cities. */
export function lineWidth(partnershipCount: number): number {
  return Math.min(1.5 + Math.log2(Math.max(partnershipCount, 1)) * 1.5, 6);
}

/**
 * A world map with the cities of the partnerships as points and a line for each pair of cities
 * they join, wider for more partnerships; the tooltips name the cities and count them.
 */
export function buildMapOption(input: PartnershipMapInput) {
  const lines = mapLines(input.map);
  const cities = mapCities(input.map);
  const cityPoint = (c: (typeof cities)[number]) => ({
    name: `${c.name} (${input.partnerships(c.partnershipCount)})`,
    value: c.value,
  });
  return {
    ...DRAWN_AT_ONCE,
    aria: { enabled: true, label: { description: input.title } },
    textStyle: { fontFamily: FONT_FAMILY, color: TEXT_COLOUR },
    tooltip: { trigger: 'item' },
    geo: {
      map: input.mapName,
      roam: true,
      // The programme links Germany with the US and the UK: show the North Atlantic rim.
      boundingCoords: [
        [-128, 64],
        [28, 18],
      ],
      scaleLimit: { min: 1, max: 12 },
      itemStyle: { areaColor: '#e8ebef', borderColor: '#9aa0a6', borderWidth: 0.5 },
      emphasis: { disabled: true },
      silent: true,
    },
    series: [
      {
        name: 'partnerships',
        type: 'lines',
        coordinateSystem: 'geo',
        polyline: false,
        large: true,
        largeThreshold: LARGE,
        lineStyle: { color: PALETTE[0], width: 1.5, opacity: 0.7, curveness: 0.2 },
        emphasis: { lineStyle: { width: 3, opacity: 1 } },
        tooltip: { formatter: '{b}' },
        data: lines.map((l) => ({
          name:
            l.partnershipCount > 1
              ? `${l.name} (${input.partnerships(l.partnershipCount)})`
              : l.name,
          coords: l.coords,
          ...(l.partnershipId !== null && l.partnershipId === input.selectedId
            ? { lineStyle: { color: PALETTE[4], width: 3, opacity: 1 } }
            : l.partnershipCount > 1
              ? { lineStyle: { width: lineWidth(l.partnershipCount) } }
              : {}),
        })),
      },
      {
        name: 'German cities',
        type: 'scatter',
        coordinateSystem: 'geo',
        symbolSize: 7,
        large: true,
        largeThreshold: LARGE,
        itemStyle: { color: PALETTE[0] },
        tooltip: { formatter: '{b}' },
        data: cities.filter((c) => c.german).map(cityPoint),
      },
      {
        name: 'partner cities',
        type: 'scatter',
        coordinateSystem: 'geo',
        symbolSize: 7,
        large: true,
        largeThreshold: LARGE,
        itemStyle: { color: PALETTE[1] },
        tooltip: { formatter: '{b}' },
        data: cities.filter((c) => !c.german).map(cityPoint),
      },
    ],
  } satisfies EChartsOption;
}
