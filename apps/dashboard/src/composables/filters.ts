import { computed } from 'vue';
import { type LocationQuery, type LocationQueryRaw, useRoute, useRouter } from 'vue-router';
import type { Granularity, ScopeInput } from '../gql/graphql.ts';
import {
  datesOf,
  defaultPeriod,
  isShortPeriod,
  type Period,
  periodOfDates,
  todayInBerlin,
} from '../lib/period.ts';

/**
 * The filters of the dashboard views, as kept in the URL so a view can be shared. The period is
 * `from`/`to` (`YYYY-MM-DD`, both included); an address without them shows the current calendar
 * year, and `period=all` shows all years (then `from`/`to` are ignored). Links made before the
 * period picker, with any `from`/`to`, keep showing what they showed.
 */
export interface Filters {
  country?: string;
  partnership?: string;
  city?: string;
  from?: string;
  to?: string;
  /** All years: no period at all (`period=all` in the URL). */
  allYears?: boolean;
  granularity: Granularity;
}

/** No filter given: the current year over the whole programme, once read from a URL. */
export const EMPTY_FILTERS: Filters = { granularity: 'YEAR' };

/** The URL value of `period` that asks for all years. */
const ALL_YEARS = 'all';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const COUNTRY = /^[A-Z]{2}$/;
const FILTER_KEYS = [
  'country',
  'partnership',
  'city',
  'from',
  'to',
  'period',
  'granularity',
] as const;

function first(value: LocationQuery[string] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/**
 * Reads filters from a URL query; anything malformed is dropped rather than sent to the API.
 * Without a period the current calendar year of `today` (Berlin) is filled in.
 */
export function parseFilters(query: LocationQuery, today: string = todayInBerlin()): Filters {
  const filters: Filters = {
    granularity: first(query.granularity) === 'QUARTER' ? 'QUARTER' : 'YEAR',
  };
  const country = first(query.country)?.toUpperCase();
  if (country && COUNTRY.test(country)) filters.country = country;
  const partnership = first(query.partnership);
  if (partnership) filters.partnership = partnership;
  const city = first(query.city);
  if (city) filters.city = city;
  if (first(query.period) === ALL_YEARS) {
    filters.allYears = true;
    return filters;
  }
  const from = first(query.from);
  if (from && DATE.test(from)) filters.from = from;
  const to = first(query.to);
  if (to && DATE.test(to)) filters.to = to;
  if (filters.from && filters.to && filters.from > filters.to) {
    // A reversed period is almost always two fields typed the wrong way round.
    [filters.from, filters.to] = [filters.to, filters.from];
  }
  if (!filters.from && !filters.to) Object.assign(filters, datesOf(defaultPeriod(today)));
  return filters;
}

/** The period the filters show, as the period picker offers it. */
export function periodOfFilters(filters: Filters): Period {
  return filters.allYears ? { kind: 'ALL' } : periodOfDates(filters.from, filters.to);
}

/** The filters with another period. */
export function withPeriod(filters: Filters, period: Period): Filters {
  const { from: _from, to: _to, allYears: _allYears, ...rest } = filters;
  return period.kind === 'ALL' ? { ...rest, allYears: true } : { ...rest, ...datesOf(period) };
}

/**
 * The granularity of the filters' series: quarters for a period of one year or shorter, whose
 * yearly series would be a single point; else the filters' choice.
 */
export function seriesGranularity(filters: Filters): Granularity {
  return isShortPeriod(filters.from, filters.to) ? 'QUARTER' : filters.granularity;
}

/** Writes filters as a URL query; defaults and empty values are left out to keep links short. */
export function serializeFilters(filters: Filters): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.country) query.country = filters.country;
  if (filters.partnership) query.partnership = filters.partnership;
  if (filters.city) query.city = filters.city;
  if (filters.allYears) query.period = ALL_YEARS;
  else {
    if (filters.from) query.from = filters.from;
    if (filters.to) query.to = filters.to;
  }
  if (filters.granularity === 'QUARTER') query.granularity = 'QUARTER';
  return query;
}

/** Replaces the filter keys of a query, keeping any other keys it has. */
export function mergeFilterQuery(query: LocationQuery, filters: Filters): LocationQueryRaw {
  const rest: LocationQueryRaw = {};
  for (const [key, value] of Object.entries(query)) {
    if (!(FILTER_KEYS as readonly string[]).includes(key)) rest[key] = value;
  }
  return { ...rest, ...serializeFilters(filters) };
}

/** The API scope for filters; `fixed` (e.g. the partnership of a partnership page) wins. */
export function filtersToScope(filters: Filters, fixed: ScopeInput = {}): ScopeInput {
  const scope: ScopeInput = {};
  if (filters.country) scope.countryCode = filters.country;
  if (filters.partnership) scope.partnershipId = filters.partnership;
  if (filters.city) scope.cityId = filters.city;
  if (!filters.allYears) {
    if (filters.from) scope.from = filters.from;
    if (filters.to) scope.to = filters.to;
  }
  return { ...scope, ...fixed };
}

/**
 * True when a filter narrows the view or the period is not the default one (the current year);
 * granularity is a display choice, not a filter.
 */
export function hasActiveFilters(filters: Filters, today: string = todayInBerlin()): boolean {
  const usual = datesOf(defaultPeriod(today));
  const otherPeriod =
    (filters.from !== undefined || filters.to !== undefined) &&
    (filters.from !== usual.from || filters.to !== usual.to);
  return Boolean(
    filters.country || filters.partnership || filters.city || filters.allYears || otherPeriod,
  );
}

/** The current route's filters, and a setter that writes them back to the URL. */
export function useFilters() {
  const route = useRoute();
  const router = useRouter();
  const filters = computed(() => parseFilters(route.query));
  async function setFilters(next: Filters): Promise<void> {
    await router.replace({ query: mergeFilterQuery(route.query, next) });
  }
  return { filters, setFilters };
}
