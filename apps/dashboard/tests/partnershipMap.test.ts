import { describe, expect, it } from 'vitest';
import {
  buildMapOption,
  lineWidth,
  mapCities,
  mapLines,
  mapOfPartnerships,
  mapRows,
  type PartnershipMapData,
} from '../src/chart-options/partnershipMap.ts';

/** The item at `index`, failing the test when it is missing. */
function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

const city = (
  id: string,
  name: string,
  countryCode: string,
  isGerman: boolean,
  partnershipCount: number,
  [latitude, longitude]: [number, number] | [null, null],
) => ({ id, name, countryCode, isGerman, partnershipCount, latitude, longitude });

// As the API's Dashboard.partnershipMap answers: Bonn with Boston, Oxford and a city without
// coordinates; Kiel and Austin joined by two partnerships, one each way round.
const map: PartnershipMapData = {
  cities: [
    city('austin', 'Austin', 'US', true, 2, [30.27, -97.74]),
    city('bonn', 'Bonn', 'DE', true, 3, [50.73, 7.1]),
    city('boston', 'Boston', 'US', false, 1, [42.36, -71.06]),
    city('kiel', 'Kiel', 'DE', true, 2, [54.32, 10.14]),
    city('x', 'Nowhere', 'US', false, 1, [null, null]),
    city('oxford', 'Oxford', 'GB', false, 1, [51.75, -1.26]),
  ],
  links: [
    { germanCityId: 'bonn', partnerCityId: 'oxford', partnershipCount: 1, partnershipId: 'p2' },
    { germanCityId: 'bonn', partnerCityId: 'boston', partnershipCount: 1, partnershipId: 'p1' },
    { germanCityId: 'bonn', partnerCityId: 'x', partnershipCount: 1, partnershipId: 'p3' },
    { germanCityId: 'kiel', partnerCityId: 'austin', partnershipCount: 2, partnershipId: null },
  ],
};
/** What the tests read of a series, whichever kind. */
interface DrawnSeries {
  type: string;
  coordinateSystem: string;
  large: boolean;
  largeThreshold: number;
  data: { name: string; lineStyle?: { width?: number } }[];
}

const partnerships = (count: number) => (count === 1 ? '1 partnership' : `${count} partnerships`);

describe('partnership map', () => {
  it('lists every link with its cities by German city and partner city, noting those not drawn', () => {
    expect(
      mapRows(map, 'en').map((row) => [
        row.germanCity.name,
        row.partnerCity.name,
        row.partnershipCount,
        row.partnershipId,
        row.drawn,
      ]),
    ).toEqual([
      ['Bonn', 'Boston', 1, 'p1', true],
      ['Bonn', 'Nowhere', 1, 'p3', false],
      ['Bonn', 'Oxford', 1, 'p2', true],
      ['Kiel', 'Austin', 2, null, true],
    ]);
  });

  it('draws a line per link whose cities have coordinates, as [longitude, latitude]', () => {
    const lines = mapLines(map);
    expect(lines.map((l) => l.name)).toEqual(['Bonn – Boston', 'Bonn – Oxford', 'Kiel – Austin']);
    expect(at(lines, 0).coords).toEqual([
      [7.1, 50.73],
      [-71.06, 42.36],
    ]);
  });

  it('shows each located city once, German cities first', () => {
    expect(mapCities(map).map((c) => [c.name, c.german])).toEqual([
      ['Austin', true],
      ['Bonn', true],
      ['Kiel', true],
      ['Boston', false],
      ['Oxford', false],
    ]);
  });

  it('uses the registered world map, widens lines of several partnerships and highlights the selected one', () => {
    const option = buildMapOption({
      map,
      mapName: 'world',
      title: 'Map',
      selectedId: 'p2',
      partnerships,
    });
    expect(option.geo.map).toBe('world');
    const [lines, german, partner] = option.series.map((series) => series as DrawnSeries);
    if (!lines || !german || !partner) throw new Error('three series expected');
    expect(lines.type).toBe('lines');
    expect(lines.coordinateSystem).toBe('geo');
    expect(lines.data.map((d) => d.name)).toEqual([
      'Bonn – Boston',
      'Bonn – Oxford',
      'Kiel – Austin (2 partnerships)',
    ]);
    expect(at(lines.data, 0)).not.toHaveProperty('lineStyle');
    expect(at(lines.data, 1)).toHaveProperty('lineStyle.width', 3);
    expect(at(lines.data, 2)).toHaveProperty('lineStyle.width', lineWidth(2));
    expect(lineWidth(2)).toBeGreaterThan(lineWidth(1));
    expect(lineWidth(10_000)).toBe(6);
    expect(german.type).toBe('scatter');
    expect(german.data.map((d) => d.name)).toEqual([
      'Austin (2 partnerships)',
      'Bonn (3 partnerships)',
      'Kiel (2 partnerships)',
    ]);
    expect(partner.data.map((d) => d.name)).toEqual([
      'Boston (1 partnership)',
      'Oxford (1 partnership)',
    ]);
    // thousands of lines and cities are drawn as one shape each
    expect(lines.large).toBe(true);
    expect(german.largeThreshold).toBe(1_000);
  });

  it('counts a list of partnerships as the API counts a scope', () => {
    const place = (id: string, name: string, countryCode: string) => ({
      id,
      name,
      countryCode,
      latitude: 1,
      longitude: 2,
    });
    const kiel = place('kiel', 'Kiel', 'DE');
    const austin = place('austin', 'Austin', 'US');
    const bonn = place('bonn', 'Bonn', 'DE');
    const counted = mapOfPartnerships([
      { id: 'p1', germanCity: kiel, partnerCity: austin },
      { id: 'p2', germanCity: austin, partnerCity: kiel },
      { id: 'p3', germanCity: bonn, partnerCity: austin },
    ]);
    expect(counted.cities.map((c) => [c.name, c.isGerman, c.partnershipCount])).toEqual([
      ['Kiel', true, 2],
      ['Austin', true, 3],
      ['Bonn', true, 1],
    ]);
    expect(counted.links).toEqual([
      { germanCityId: 'kiel', partnerCityId: 'austin', partnershipCount: 2, partnershipId: null },
      { germanCityId: 'bonn', partnerCityId: 'austin', partnershipCount: 1, partnershipId: 'p3' },
    ]);
  });
});
