import type { ValueStatus } from '@udx/db/schema';
import {
  computeGoalSummaries,
  computePartnershipBreakdown,
  computeSdgSummaries,
  computeSeriesOf,
  computeTotals,
  type IndicatorCode,
  type IndicatorGoalSummary,
  type PartnershipFigures,
  type Scope,
  type SdgSummary,
  type SeriesPoint,
  type Totals,
} from '@udx/indicators/engine';
import { INDICATOR_CODES } from '@udx/indicators/rules';
import { GraphQLError } from 'graphql';
import type { Context } from '../../context.ts';
import { findIndicators, type IndicatorRow } from '../indicator/indicator.repository.ts';
import { cachedFigure, readsOfPeriod } from '../shared/figure-cache.ts';
import { findPublicPartnerships, type PublicPartnershipRow } from './public.repository.ts';

/** The query fields anyone may ask for where figures are published (`public.schema.ts`). */
export const PUBLIC_QUERY_FIELDS: readonly string[] = ['publicProgramme', 'publicPartnership'];

/**
 * The query fields an operation of public figures may hold: the public ones and the catalogue
 * every request reads (SDGs, topics, indicator definitions).
 */
export const PUBLIC_OPERATION_FIELDS: readonly string[] = [
  ...PUBLIC_QUERY_FIELDS,
  'sdgGoals',
  'topics',
  'indicators',
  'indicator',
];

/** Public figures count approved reported values only (docs/methodology.md). */
export const PUBLIC_STATUSES: readonly ValueStatus[] = ['APPROVED'];

/**
 * Holds a request to the rule of public figures (README, "Open data and public figures"):
 * where the server publishes none, nothing public exists (NOT_FOUND); a public field is
 * answered only in a request that runs without a viewer, as the public role, so that every
 * reader gets the same figures from approved values. The server runs an operation of public
 * fields alone that way whoever sends it; beside a signed-in account's other fields it is
 * refused.
 */
export function assertPublicRequest(context: Pick<Context, 'viewer' | 'publicFigures'>): void {
  if (!context.publicFigures) {
    throw new GraphQLError('Public figures are not published here', {
      extensions: { code: 'NOT_FOUND' },
    });
  }
  if (context.viewer) {
    throw new GraphQLError(
      'Public figures are asked in an operation of their own, without the fields of an account',
      { extensions: { code: 'BAD_USER_INPUT' } },
    );
  }
}

type PublicContext = Pick<Context, 'db' | 'viewer' | 'figures'>;

/** The catalogue's indicators (names in both languages) by code, once per data version. */
export function publicIndicatorRowsOf(context: PublicContext): Promise<Map<string, IndicatorRow>> {
  return cachedFigure(
    context,
    'public-indicator-rows',
    null,
    async () => {
      const rows = await findIndicators(context.db);
      return new Map(rows.map((row) => [row.code, row]));
    },
    { reads: 'undated' },
  );
}

/** The totals of a scope from its approved figures. */
export function publicTotalsOf(context: PublicContext, scope: Scope): Promise<Totals> {
  return cachedFigure(context, 'public-totals', scope, () => computeTotals(context.db, scope), {
    reads: readsOfPeriod(scope),
  });
}

/** The 15 indicators of a scope, in display order, from approved values. */
export function publicIndicatorsOf(
  context: PublicContext,
  scope: Scope,
): Promise<IndicatorGoalSummary[]> {
  return cachedFigure(
    context,
    'public-indicators',
    scope,
    async () => {
      const goals = await computeGoalSummaries(context.db, scope, {
        reportedStatuses: PUBLIC_STATUSES,
      });
      return goals.flatMap((goal) => goal.indicators);
    },
    { reads: readsOfPeriod(scope) },
  );
}

/** The exchanges, outcomes and partnerships of a scope per SDG. */
export function publicSdgsOf(context: PublicContext, scope: Scope): Promise<SdgSummary[]> {
  return cachedFigure(context, 'public-sdgs', scope, () => computeSdgSummaries(context.db, scope), {
    reads: readsOfPeriod(scope),
  });
}

/** Every indicator's value per year of a scope, from approved values. */
export function publicYearlySeriesOf(
  context: PublicContext,
  scope: Scope,
): Promise<Map<IndicatorCode, SeriesPoint[]>> {
  return cachedFigure(
    context,
    'public-yearly-series',
    scope,
    () =>
      computeSeriesOf(context.db, INDICATOR_CODES, scope, 'YEAR', {
        reportedStatuses: PUBLIC_STATUSES,
      }),
    { reads: readsOfPeriod(scope) },
  );
}

/**
 * One indicator's value per year of a scope, the scope's period aside: a series runs over every
 * year with activity (as `Indicator.series`).
 */
export async function publicYearsOf(
  context: PublicContext,
  scope: Scope,
  code: IndicatorCode,
): Promise<SeriesPoint[]> {
  const { from: _from, to: _to, ...withoutPeriod } = scope;
  const series = await publicYearlySeriesOf(context, withoutPeriod);
  return (series.get(code) ?? []).filter((point) => /^\d{4}$/.test(point.period));
}

/**
 * Every partnership's indicators in one calendar year, from approved values: a year's value of
 * a partnership is its yearly series' value (`Indicator.series`), for every partnership in a
 * few statements however many there are.
 */
export function publicBreakdownOfYear(
  context: PublicContext,
  year: number,
): Promise<PartnershipFigures[]> {
  const scope = { from: `${year}-01-01`, to: `${year}-12-31` };
  return cachedFigure(
    context,
    'public-breakdown',
    scope,
    () => computePartnershipBreakdown(context.db, scope, { reportedStatuses: PUBLIC_STATUSES }),
    { reads: readsOfPeriod(scope) },
  );
}

/** The partnerships of the programme, or the one asked for. */
export function publicPartnershipsOf(
  context: PublicContext,
  partnershipId?: number | null,
): Promise<PublicPartnershipRow[]> {
  return cachedFigure(context, 'public-partnerships', partnershipId ?? null, () =>
    findPublicPartnerships(context.db, partnershipId),
  );
}

/** How a partnership is named in public: its German city and its partner city. */
export function partnershipName(row: PublicPartnershipRow): string {
  return `${row.germanCity} – ${row.partnerCity}`;
}
