import { computed } from 'vue';
import type { MapPartnership } from '../chart-options/partnershipMap.ts';
import type { LoadError } from '../lib/errors.ts';
import type { Period } from '../lib/period.ts';
import { type Filters, serializeFilters, useFilters, withPeriod } from './filters.ts';

/**
 * The public pages (README, "Open data and public figures"): the programme, its goals, its SDGs
 * and its partnerships without an account, under `/public`. Their period is kept in the URL as
 * on the signed-in pages (`from`/`to`, or `period=all`), so that a page and its public page
 * show the same period; the other filters of the signed-in pages have no public counterpart.
 */
export const PUBLIC_PREFIX = '/public';

/** The address of a public page: the programme's, a goal's, an SDG's or a partnership's. */
export function publicPathOf(
  page: 'overview' | 'goal' | 'sdg' | 'partnership',
  key?: string,
): string {
  const id = encodeURIComponent(key ?? '');
  switch (page) {
    case 'overview':
      return PUBLIC_PREFIX;
    case 'goal':
      return `${PUBLIC_PREFIX}/goals/${id.toLowerCase()}`;
    case 'sdg':
      return `${PUBLIC_PREFIX}/sdgs/${id}`;
    case 'partnership':
      return `${PUBLIC_PREFIX}/partnerships/${id}`;
  }
}

/** The period of filters alone, as a URL query: what a public page keeps of them. */
export function periodQuery(filters: Filters): Record<string, string> {
  const { country: _c, partnership: _p, city: _city, ...period } = filters;
  return serializeFilters({ ...period, granularity: 'YEAR' });
}

/** The period of a public page: from the URL, the current year by default. */
export function usePublicPeriod() {
  const { filters, setFilters } = useFilters();
  const variables = computed(() =>
    filters.value.allYears ? {} : { from: filters.value.from, to: filters.value.to },
  );
  const query = computed(() => periodQuery(filters.value));
  function setPeriod(period: Period): Promise<void> {
    return setFilters(withPeriod(filters.value, period));
  }
  return { filters, setPeriod, variables, query };
}

/** True when the server publishes no figures (the public fields answer NOT_FOUND). */
export function isUnpublished(error: LoadError | null | undefined): boolean {
  return (error?.graphQLErrors ?? []).some((e) => e.extensions?.code === 'NOT_FOUND');
}

/** A public indicator's yearly series as the series chart draws it (IndicatorSeriesPanel). */
export function seriesOf(indicator: {
  code: string;
  name: string;
  unit: string;
  series: readonly {
    year: number;
    value?: number | null;
    baseline?: number | null;
    target?: number | null;
  }[];
}) {
  return {
    code: indicator.code,
    name: indicator.name,
    unit: indicator.unit,
    series: indicator.series.map((point) => ({
      period: String(point.year),
      value: point.value ?? null,
      baseline: point.baseline ?? null,
      target: point.target ?? null,
    })),
  };
}

/** A public indicator's yearly values as periods, for the exchanges-over-time chart. */
export function periodValuesOf(
  indicator: { series: readonly { year: number; value?: number | null }[] } | undefined,
) {
  return (indicator?.series ?? []).map((point) => ({
    period: String(point.year),
    value: point.value ?? null,
  }));
}

/** Where a public partnership's cities lie, as the partnership map draws them. */
export function mapPartnershipOf(partnership: {
  id: string;
  germanCity: string;
  partnerCity: string;
  countryCode: string;
  germanCityLocation?: { latitude: number; longitude: number } | null;
  partnerCityLocation?: { latitude: number; longitude: number } | null;
}): MapPartnership {
  // Cities have no public id: a name within its country names one.
  return {
    id: partnership.id,
    germanCity: {
      id: `DE:${partnership.germanCity}`,
      name: partnership.germanCity,
      countryCode: 'DE',
      latitude: partnership.germanCityLocation?.latitude ?? null,
      longitude: partnership.germanCityLocation?.longitude ?? null,
    },
    partnerCity: {
      id: `${partnership.countryCode}:${partnership.partnerCity}`,
      name: partnership.partnerCity,
      countryCode: partnership.countryCode,
      latitude: partnership.partnerCityLocation?.latitude ?? null,
      longitude: partnership.partnerCityLocation?.longitude ?? null,
    },
  };
}

/** The public page of a partnership, from the map's table or a list. */
export function publicPartnershipPath(id: string): string {
  return publicPathOf('partnership', id);
}
