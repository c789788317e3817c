// Imported rather than read from disk, so `pnpm build` bundles the pairs into the server.
import twinTowns from '../data/twin-towns.json' with { type: 'json' };

/** A city as listed in `data/twin-towns.json`. */
export interface TwinTownCity {
  name: string;
  countryCode: string;
  region: string;
  latitude: number;
  longitude: number;
}

/** A twin-town pair as listed in `data/twin-towns.json`. */
export interface TwinTownPair {
  germanCity: TwinTownCity;
  partnerCity: TwinTownCity;
  twinnedSince: number;
}

interface TwinTownFile {
  note: string;
  partnerships: TwinTownPair[];
}

/** The key that identifies a city in the data set and in the database (unique there too). */
export function cityKey(city: { countryCode: string; name: string }): string {
  return `${city.countryCode}:${city.name}`;
}

function readTwinTowns(): TwinTownFile {
  const data: TwinTownFile = twinTowns;
  if (!Array.isArray(data.partnerships) || data.partnerships.length === 0) {
    throw new Error('packages/demo/data/twin-towns.json lists no partnerships');
  }
  return data;
}

/** The real twin-town pairs the demo data set is built on, in the file's order. */
export const twinTownPairs: readonly TwinTownPair[] = readTwinTowns().partnerships;

/**
 * Every city of the pairs once, German cities first, in the file's order. A city twinned with
 * two German cities (Coventry with Dresden and Kiel) is one city.
 */
export const twinTownCities: readonly TwinTownCity[] = (() => {
  const byKey = new Map<string, TwinTownCity>();
  for (const pair of twinTownPairs) {
    if (!byKey.has(cityKey(pair.germanCity))) byKey.set(cityKey(pair.germanCity), pair.germanCity);
  }
  for (const pair of twinTownPairs) {
    if (!byKey.has(cityKey(pair.partnerCity)))
      byKey.set(cityKey(pair.partnerCity), pair.partnerCity);
  }
  return [...byKey.values()];
})();
