import type { EChartsOption } from 'echarts';
import { FONT_FAMILY, PALETTE, TEXT_COLOUR } from './common.ts';

export interface MapCity {
  id: string;
  name: string;
  countryCode?: string;
  latitude?: number | null;
  longitude?: number | null;
}

export interface MapPartnership {
  id: string;
  germanCity: MapCity;
  partnerCity: MapCity;
}

export interface PartnershipMapInput {
  partnerships: readonly MapPartnership[];
  /** Name under which the world GeoJSON was registered with `registerMap`. */
  mapName: string;
  title: string;
  /** The partnership to emphasise (e.g. the one filtered on). */
  selectedId?: string;
}

export interface MapLine {
  id: string;
  name: string;
  coords: [[number, number], [number, number]];
}

function located(city: MapCity): city is MapCity & { latitude: number; longitude: number } {
  return (
    typeof city.latitude === 'number' &&
    typeof city.longitude === 'number' &&
    Number.isFinite(city.latitude) &&
    Number.isFinite(city.longitude)
  );
}

/** One line per partnership whose two cities both have coordinates ([longitude, latitude]). */
export function partnershipLines(partnerships: readonly MapPartnership[]): MapLine[] {
  return partnerships.flatMap((p) =>
    located(p.germanCity) && located(p.partnerCity)
      ? [
          {
            id: p.id,
            name: `${p.germanCity.name} – ${p.partnerCity.name}`,
            coords: [
              [p.germanCity.longitude, p.germanCity.latitude],
              [p.partnerCity.longitude, p.partnerCity.latitude],
            ] as [[number, number], [number, number]],
          },
        ]
      : [],
  );
}

/** Distinct located cities of the partnerships, German ones first. */
export function mapCities(partnerships: readonly MapPartnership[]) {
  const seen = new Map<
    string,
    { id: string; name: string; value: [number, number]; german: boolean }
  >();
  for (const p of partnerships) {
    for (const [city, german] of [
      [p.germanCity, true],
      [p.partnerCity, false],
    ] as const) {
      if (located(city) && !seen.has(city.id)) {
        seen.set(city.id, {
          id: city.id,
          name: city.name,
          value: [city.longitude, city.latitude],
          german,
        });
      }
    }
  }
  return [...seen.values()].sort((a, b) => Number(b.german) - Number(a.german));
}

/** A world map with the partnerships' cities as points and a line for each partnership. */
export function buildMapOption(input: PartnershipMapInput) {
  const lines = partnershipLines(input.partnerships);
  const cities = mapCities(input.partnerships);
  return {
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
        lineStyle: { color: PALETTE[0], width: 1.5, opacity: 0.7, curveness: 0.2 },
        emphasis: { lineStyle: { width: 3, opacity: 1 } },
        tooltip: { formatter: '{b}' },
        data: lines.map((l) => ({
          name: l.name,
          coords: l.coords,
          ...(l.id === input.selectedId
            ? { lineStyle: { color: PALETTE[4], width: 3, opacity: 1 } }
            : {}),
        })),
      },
      {
        name: 'cities',
        type: 'scatter',
        coordinateSystem: 'geo',
        symbolSize: 7,
        tooltip: { formatter: '{b}' },
        data: cities.map((c) => ({
          name: c.name,
          value: c.value,
          itemStyle: { color: c.german ? PALETTE[0] : PALETTE[1] },
        })),
      },
    ],
  } satisfies EChartsOption;
}
