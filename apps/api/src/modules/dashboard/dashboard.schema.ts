import { createContextCache } from '@pothos/core';
import { encodeGlobalID, resolveArrayConnection } from '@pothos/plugin-relay';
import type { ProgrammeGoal as ProgrammeGoalValue } from '@udx/db/schema';
import {
  computeDepartmentLinks,
  computeGoalSummaries,
  computeIndicatorValues,
  computePartnershipBreakdown,
  computeSdgSummaries,
  computeSeriesOf,
  computeTotals,
  type DepartmentLink as DepartmentLinkShape,
  type Granularity as GranularityValue,
  type IndicatorCode,
  type IndicatorGoalSummary,
  type IndicatorStatus as IndicatorStatusValue,
  type IndicatorValues,
  type PartnershipFigures,
  partnershipsInBreakdownOrder,
  type Scope,
  type ScopeRows,
  type SdgSummary as SdgSummaryShape,
  type SeriesPoint,
  type Totals,
} from '@udx/indicators/engine';
import { changeOf, type DateRange, previousPeriod } from '@udx/indicators/period';
import { isIndicatorCode } from '@udx/indicators/rules';
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import { City } from '../city/city.schema.ts';
import { Department } from '../department/department.schema.ts';
import {
  findGoalsOfIndicators,
  findIndicators,
  type IndicatorRow,
} from '../indicator/indicator.repository.ts';
import {
  Granularity,
  Indicator,
  IndicatorStatus,
  IndicatorUnit,
  ProgrammeGoal,
} from '../indicator/indicator.schema.ts';
import {
  findPartnershipMap,
  type MapCityRow,
  type MapCountryRow,
  type MapLinkRow,
  type PartnershipMapRows,
} from '../partnership/partnership.repository.ts';
import { Partnership } from '../partnership/partnership.schema.ts';
import { SdgGoal } from '../sdg/sdg.schema.ts';
import { checkCursors, MAX_PAGE_SIZE, resolveTotalCount } from '../shared/connection.ts';
import { cachedFigure, readsOfPeriod } from '../shared/figure-cache.ts';
import { parseScope, ScopeInput } from '../shared/scope.ts';
import { findProgrammeTotals } from './dashboard.repository.ts';
import { type Figures, figuresFor } from './dashboard.service.ts';

/**
 * What the dashboard's fields compute from; each part is computed only when asked for, the
 * indicator summaries once however many fields (goals, SDGs) show them.
 */
interface DashboardShape extends Figures {
  indicatorSummaries?: Promise<IndicatorSummaryShape[]>;
  totals?: Promise<Totals>;
  previousTotals?: Promise<Totals | null>;
  previousIndicatorValues?: Promise<IndicatorValues | null>;
  previousSdgSummaries?: Promise<Map<number, SdgSummaryShape> | null>;
  previousBreakdown?: Promise<Map<number, PartnershipFigures> | null>;
}

/**
 * An indicator summary with its catalogue row and, computed only when asked for, the values of
 * the previous period its change is measured against (null when there is none).
 */
type IndicatorSummaryShape = IndicatorGoalSummary & {
  row: IndicatorRow;
  previousValues: () => Promise<IndicatorValues | null>;
};

interface GoalSummaryShape {
  goal: ProgrammeGoalValue;
  indicators: IndicatorSummaryShape[];
}

interface SdgSummaryWithIndicators extends SdgSummaryShape {
  indicators: IndicatorSummaryShape[];
  previous: () => Promise<SdgSummaryShape | null>;
}

interface PartnershipBreakdownShape {
  partnershipId: number;
  totals: Totals;
  indicators: IndicatorSummaryShape[];
  hasOwnTargets: boolean;
}

type StatusCounts = Record<IndicatorStatusValue, number>;

/** The indicator rows of the catalogue, with the SDGs each is mapped to, once per request. */
const indicatorCatalogue = createContextCache((context: Context) =>
  cachedFigure(context, 'indicator-catalogue', null, () => readIndicatorCatalogue(context), {
    reads: 'undated',
  }),
);

async function readIndicatorCatalogue(context: Context) {
  const rows = await findIndicators(context.db);
  const goals = await findGoalsOfIndicators(
    context.db,
    rows.map((row) => row.id),
  );
  const sdgsById = new Map<number, number[]>();
  for (const goal of goals) {
    sdgsById.set(goal.indicator_id, [...(sdgsById.get(goal.indicator_id) ?? []), goal.number]);
  }
  return {
    byCode: new Map(rows.map((row) => [row.code, row])),
    sdgsOf: (row: IndicatorRow) => sdgsById.get(row.id) ?? [],
  };
}

/**
 * Engine summaries with the indicator row each refers to (for `IndicatorSummary.indicator`) and
 * the values of the previous period (for `IndicatorSummary.previousValue`).
 */
async function withIndicatorRows(
  context: Context,
  summaries: readonly IndicatorGoalSummary[],
  previousValues: () => Promise<IndicatorValues | null>,
): Promise<IndicatorSummaryShape[]> {
  const { byCode } = await indicatorCatalogue(context);
  return summaries.flatMap((summary) => {
    const row = byCode.get(summary.code);
    return row ? [{ ...summary, row, previousValues }] : [];
  });
}

/**
 * The dashboard's scope over the previous period of the same length (docs/methodology.md,
 * "Scopes and periods"); null for all years or an open period.
 */
function previousScopeOf(dashboard: DashboardShape): Scope | null {
  const previous = previousPeriod(dashboard.scope.from, dashboard.scope.to);
  return previous ? { ...dashboard.scope, ...previous } : null;
}

/** The totals of a scope (see `cachedFigure`). */
function totalsOfScope(context: Context, scope: Scope): Promise<Totals> {
  return cachedFigure(context, 'totals', scope, () => computeTotals(context.db, scope), {
    reads: readsOfPeriod(scope),
  });
}

/** The SDG summaries of a scope (see `cachedFigure`). */
function sdgSummariesOf(context: Context, scope: Scope): Promise<SdgSummaryShape[]> {
  return cachedFigure(context, 'sdgs', scope, () => computeSdgSummaries(context.db, scope), {
    reads: readsOfPeriod(scope),
  });
}

/** The breakdown of a scope by partnership (see `cachedFigure`). */
function breakdownOf(
  context: Context,
  scope: Scope | ScopeRows,
  reportedStatuses: Figures['reportedStatuses'],
): Promise<PartnershipFigures[]> {
  return cachedFigure(
    context,
    'breakdown',
    [scope, reportedStatuses],
    () => computePartnershipBreakdown(context.db, scope, { reportedStatuses }),
    { reads: readsOfPeriod(scope) },
  );
}

/** The scope's partnerships in the order of the breakdown's rows, without their figures. */
function breakdownOrderOf(context: Context, scope: Scope): Promise<number[]> {
  return cachedFigure(
    context,
    'breakdown-order',
    scope,
    () => partnershipsInBreakdownOrder(context.db, scope),
    { reads: 'undated' },
  );
}

/** The programme's totals, past row-level security (see `findProgrammeTotals`), for everyone. */
function programmeTotalsOf(
  context: Context,
  period: { from?: string | undefined; to?: string | undefined },
): Promise<Totals> {
  return cachedFigure(
    context,
    'programme-totals',
    period,
    () => findProgrammeTotals(context.db, period),
    { sameForEveryone: true, reads: readsOfPeriod(period) },
  );
}

/** The dashboard's totals, computed once for `totals` and `totalsChange`. */
function totalsOf(dashboard: DashboardShape, context: Context): Promise<Totals> {
  dashboard.totals ??= totalsOfScope(context, dashboard.scope);
  return dashboard.totals;
}

function previousTotalsOf(dashboard: DashboardShape, context: Context): Promise<Totals | null> {
  const scope = previousScopeOf(dashboard);
  dashboard.previousTotals ??= scope ? totalsOfScope(context, scope) : Promise.resolve(null);
  return dashboard.previousTotals;
}

function previousIndicatorValuesOf(
  dashboard: DashboardShape,
  context: Context,
): Promise<IndicatorValues | null> {
  const scope = previousScopeOf(dashboard);
  dashboard.previousIndicatorValues ??= scope
    ? cachedFigure(
        context,
        'indicator-values',
        [scope, dashboard.reportedStatuses],
        () =>
          computeIndicatorValues(context.db, scope, {
            reportedStatuses: dashboard.reportedStatuses,
          }),
        { reads: readsOfPeriod(scope) },
      )
    : Promise.resolve(null);
  return dashboard.previousIndicatorValues;
}

function previousSdgSummariesOf(
  dashboard: DashboardShape,
  context: Context,
): Promise<Map<number, SdgSummaryShape> | null> {
  const scope = previousScopeOf(dashboard);
  dashboard.previousSdgSummaries ??= scope
    ? sdgSummariesOf(context, scope).then((sdgs) => new Map(sdgs.map((sdg) => [sdg.goal, sdg])))
    : Promise.resolve(null);
  return dashboard.previousSdgSummaries;
}

function previousBreakdownOf(
  dashboard: DashboardShape,
  context: Context,
): Promise<Map<number, PartnershipFigures> | null> {
  const scope = previousScopeOf(dashboard);
  dashboard.previousBreakdown ??= scope
    ? breakdownOf(context, scope, dashboard.reportedStatuses).then(
        (rows) => new Map(rows.map((row) => [row.partnershipId, row])),
      )
    : Promise.resolve(null);
  return dashboard.previousBreakdown;
}

/** The values of an engine summary list, keyed by indicator, as `IndicatorValues`. */
function valuesOfSummaries(summaries: readonly IndicatorGoalSummary[]): IndicatorValues {
  return Object.fromEntries(
    summaries.map((summary) => [summary.code, summary.value]),
  ) as IndicatorValues;
}

/** The 15 indicator summaries of a dashboard, computed once for its goals and SDGs. */
function indicatorSummariesOf(
  dashboard: DashboardShape,
  context: Context,
): Promise<IndicatorSummaryShape[]> {
  const { scope, reportedStatuses } = dashboard;
  dashboard.indicatorSummaries ??= cachedFigure(
    context,
    'goals',
    [scope, reportedStatuses],
    () => computeGoalSummaries(context.db, scope, { reportedStatuses }),
    { reads: readsOfPeriod(scope) },
  ).then((goals) =>
    withIndicatorRows(
      context,
      goals.flatMap((goal) => goal.indicators),
      () => previousIndicatorValuesOf(dashboard, context),
    ),
  );
  return dashboard.indicatorSummaries;
}

export const DashboardTotals = builder.objectRef<Totals>('DashboardTotals').implement({
  description: 'The size of the scope and its activity in the period.',
  fields: (t) => ({
    partnerships: t.exposeInt('partnerships', { description: 'Partnerships in the scope.' }),
    cities: t.exposeInt('cities', { description: 'Cities of those partnerships, both sides.' }),
    departments: t.exposeInt('departments', { description: 'Departments of those cities.' }),
    exchanges: t.exposeInt('exchanges', { description: 'Exchanges that started in the period.' }),
    outcomes: t.exposeInt('outcomes', {
      description: 'Outcomes dated in the period, dropped ones left out.',
    }),
    participants: t.exposeInt('participants', {
      description: 'Participants of the exchanges that started in the period.',
    }),
  }),
});

/** The change of each total against the previous period. */
const TotalsChange = builder.objectRef<Totals>('TotalsChange').implement({
  description:
    'How much each total grew (positive) or shrank (negative) against the previous period ' +
    '(docs/methodology.md, "Scopes and periods").',
  fields: (t) => ({
    partnerships: t.exposeInt('partnerships', { description: 'Change in partnerships.' }),
    cities: t.exposeInt('cities', { description: 'Change in cities.' }),
    departments: t.exposeInt('departments', { description: 'Change in departments.' }),
    exchanges: t.exposeInt('exchanges', { description: 'Change in exchanges.' }),
    outcomes: t.exposeInt('outcomes', { description: 'Change in outcomes.' }),
    participants: t.exposeInt('participants', { description: 'Change in participants.' }),
  }),
});

/** The change of each total: `current - previous`, field by field. */
function totalsChangeOf(current: Totals, previous: Totals): Totals {
  return {
    partnerships: current.partnerships - previous.partnerships,
    cities: current.cities - previous.cities,
    departments: current.departments - previous.departments,
    exchanges: current.exchanges - previous.exchanges,
    outcomes: current.outcomes - previous.outcomes,
    participants: current.participants - previous.participants,
  };
}

const DashboardPeriod = builder.objectRef<DateRange>('DashboardPeriod').implement({
  description: 'A period, both days included.',
  fields: (t) => ({
    from: t.field({ type: 'Date', description: 'First day.', resolve: (period) => period.from }),
    to: t.field({ type: 'Date', description: 'Last day.', resolve: (period) => period.to }),
  }),
});

const IndicatorSummary = builder.objectRef<IndicatorSummaryShape>('IndicatorSummary').implement({
  description:
    'An indicator for the scope: its value over the period and its change against the ' +
    'previous period, and for the reference year its value, target, progress and status.',
  fields: (t) => ({
    indicator: t.field({
      type: Indicator,
      description: 'The indicator.',
      resolve: (summary) => summary.row,
    }),
    unit: t.field({
      type: IndicatorUnit,
      description: 'Count or percentage, as the indicator.',
      resolve: (summary) => summary.unit,
    }),
    value: t.float({
      nullable: true,
      description:
        'The value over the whole scope and period; null for a percentage nothing was reported for.',
      resolve: (summary) => summary.value,
    }),
    previousValue: t.float({
      nullable: true,
      description:
        'The value over the same scope in the previous period of the same length ' +
        '(`Dashboard.previousPeriod`); null for all years, an open period, or a percentage ' +
        'nothing was reported for then.',
      resolve: async (summary) => (await summary.previousValues())?.[summary.code] ?? null,
    }),
    change: t.float({
      nullable: true,
      description:
        '`value - previousValue`: positive when the number grew, whichever direction is ' +
        'better; null when either is null.',
      resolve: async (summary) =>
        changeOf(summary.value, (await summary.previousValues())?.[summary.code]),
    }),
    year: t.int({
      description: 'The reference year: the year of `scope.to`, else the current year.',
      resolve: (summary) => summary.year,
    }),
    referenceDate: t.field({
      type: 'Date',
      description:
        'The day the status is judged at: `scope.to` when it lies before today, else today ' +
        '(Europe/Berlin). A past period’s status does not change with the day of looking.',
      resolve: (summary) => summary.referenceDate,
    }),
    yearValue: t.float({
      nullable: true,
      description: 'The value in the reference year (within the period).',
      resolve: (summary) => summary.yearValue,
    }),
    baseline: t.float({
      nullable: true,
      description: 'The baseline of the target for the reference year.',
      resolve: (summary) => summary.baseline,
    }),
    target: t.float({
      nullable: true,
      description:
        'The target for the reference year: the partnership’s own for one partnership, the ' +
        'programme-wide one for the whole programme, none for other selections.',
      resolve: (summary) => summary.target,
    }),
    progress: t.float({
      nullable: true,
      description: 'yearValue / target (1 = reached); null without a target.',
      resolve: (summary) => summary.progress,
    }),
    status: t.field({
      type: IndicatorStatus,
      description:
        'On track, at risk or off track against the target pro rata at `referenceDate`; no ' +
        'target, or no data yet for a percentage.',
      resolve: (summary) => summary.status,
    }),
  }),
});

const GoalSummary = builder.objectRef<GoalSummaryShape>('GoalSummary').implement({
  description: 'A programme goal with its indicators.',
  fields: (t) => ({
    goal: t.field({ type: ProgrammeGoal, description: 'The goal.', resolve: (s) => s.goal }),
    indicators: t.field({
      type: [IndicatorSummary],
      description: 'The indicators of the goal, in display order.',
      resolve: (s) => s.indicators,
    }),
  }),
});

const SdgSummary = builder.objectRef<SdgSummaryWithIndicators>('SdgSummary').implement({
  description: 'What addresses one SDG in the scope and period.',
  fields: (t) => ({
    goal: t.field({ type: SdgGoal, description: 'The SDG.', resolve: (s) => s.goal }),
    exchangeCount: t.exposeInt('exchangeCount', {
      description: 'Exchanges of the period addressing the SDG (by its targets or topics).',
    }),
    outcomeCount: t.exposeInt('outcomeCount', {
      description: 'Outcomes of the period addressing the SDG, dropped ones left out.',
    }),
    partnershipCount: t.exposeInt('partnershipCount', {
      description: 'Partnerships with an exchange or outcome of the period addressing the SDG.',
    }),
    indicators: t.field({
      type: [IndicatorSummary],
      description:
        'The programme indicators mapped to the SDG, in display order, with their value, ' +
        'target and status for the scope and period (as in `Dashboard.goals`).',
      resolve: (s) => s.indicators,
    }),
    previous: t.field({
      type: SdgCounts,
      nullable: true,
      description:
        'The same counts in the previous period of the same length (`Dashboard.previousPeriod`); ' +
        'null for all years or an open period.',
      resolve: (s) => s.previous(),
    }),
    change: t.field({
      type: SdgCounts,
      nullable: true,
      description: 'Each count minus its previous one; null without a previous period.',
      resolve: async (s) => {
        const previous = await s.previous();
        if (!previous) return null;
        return {
          goal: s.goal,
          exchangeCount: s.exchangeCount - previous.exchangeCount,
          outcomeCount: s.outcomeCount - previous.outcomeCount,
          partnershipCount: s.partnershipCount - previous.partnershipCount,
        };
      },
    }),
  }),
});

const SdgCounts = builder.objectRef<SdgSummaryShape>('SdgCounts').implement({
  description: 'What addresses an SDG, counted as in `SdgSummary`.',
  fields: (t) => ({
    exchangeCount: t.exposeInt('exchangeCount', { description: 'Exchanges.' }),
    outcomeCount: t.exposeInt('outcomeCount', { description: 'Outcomes.' }),
    partnershipCount: t.exposeInt('partnershipCount', { description: 'Partnerships.' }),
  }),
});

/** The fields of `IndicatorStatusCounts`, each counting one status. */
const STATUS_COUNT_FIELDS: [string, IndicatorStatusValue, string][] = [
  ['onTrack', 'ON_TRACK', 'Indicators on track.'],
  ['atRisk', 'AT_RISK', 'Indicators at risk.'],
  ['offTrack', 'OFF_TRACK', 'Indicators off track.'],
  ['noTarget', 'NO_TARGET', 'Indicators without a target.'],
  ['noData', 'NO_DATA', 'Percentages with a target and no data yet.'],
];

const IndicatorStatusCounts = builder.objectRef<StatusCounts>('IndicatorStatusCounts').implement({
  description:
    'How many of a set of indicators have each status: how far a partnership lags behind ' +
    '(docs/methodology.md, "Status").',
  fields: (t) => ({
    ...Object.fromEntries(
      STATUS_COUNT_FIELDS.map(([name, status, description]) => [
        name,
        t.exposeInt(status, { description }),
      ]),
    ),
    behind: t.int({
      description: 'Indicators at risk or off track: what "most behind" orders by.',
      resolve: (counts) => counts.AT_RISK + counts.OFF_TRACK,
    }),
  }),
});

/** The statuses of the indicators of a goal, of an SDG, or of both, or of all 15. */
function statusCountsOf(
  indicators: readonly IndicatorSummaryShape[],
  sdgsOf: (row: IndicatorRow) => number[],
  goal: ProgrammeGoalValue | null | undefined,
  sdg: number | null | undefined,
): StatusCounts {
  const counts: StatusCounts = { ON_TRACK: 0, AT_RISK: 0, OFF_TRACK: 0, NO_TARGET: 0, NO_DATA: 0 };
  for (const item of indicators) {
    if (goal != null && item.goal !== goal) continue;
    if (sdg != null && !sdgsOf(item.row).includes(sdg)) continue;
    counts[item.status] += 1;
  }
  return counts;
}

const PartnershipBreakdown = builder
  .objectRef<PartnershipBreakdownShape>('PartnershipBreakdown')
  .implement({
    description:
      'One partnership of the scope with the figures its own dashboard shows for the same ' +
      'period: its totals and its 15 indicators against its own targets.',
    fields: (t) => ({
      partnership: t.field({
        type: Partnership,
        description: 'The partnership.',
        resolve: (row) => row.partnershipId,
      }),
      totals: t.field({
        type: DashboardTotals,
        description:
          'Its cities (two), their departments, and its exchanges, outcomes and participants ' +
          'in the period.',
        resolve: (row) => row.totals,
      }),
      indicators: t.field({
        type: [IndicatorSummary],
        description: 'Its 15 indicators in display order.',
        resolve: (row) => row.indicators,
      }),
      hasOwnTargets: t.boolean({
        description:
          'Whether any of its indicators has a target of the partnership’s own for the ' +
          'reference year. Without one every indicator has the status NO_TARGET: a ' +
          'partnership is never held against the programme-wide targets.',
        resolve: (row) => row.hasOwnTargets,
      }),
      statusCounts: t.field({
        type: IndicatorStatusCounts,
        description:
          'How many of its indicators have each status: of one programme goal, of those ' +
          'mapped to one SDG, or of all 15 when neither is given.',
        args: {
          goal: t.arg({ type: ProgrammeGoal, required: false, description: 'Only this goal’s.' }),
          sdg: t.arg.int({ required: false, description: 'Only those mapped to this SDG.' }),
        },
        resolve: async (row, args, context) => {
          const { sdgsOf } = await indicatorCatalogue(context);
          return statusCountsOf(row.indicators, sdgsOf, args.goal, args.sdg);
        },
      }),
    }),
  });

const DepartmentLink = builder.objectRef<DepartmentLinkShape>('DepartmentLink').implement({
  description:
    'Two departments, one of the German city and one of the partner city, that took part in ' +
    'exchanges of the period together: a link indicator N4 counts.',
  fields: (t) => ({
    germanDepartment: t.field({
      type: Department,
      description: 'The department of the German city.',
      resolve: (link) => link.germanDepartmentId,
    }),
    partnerDepartment: t.field({
      type: Department,
      description: 'The department of the partner city.',
      resolve: (link) => link.partnerDepartmentId,
    }),
    exchangeCount: t.exposeInt('exchanges', {
      description: 'Exchanges of the period both took part in.',
    }),
  }),
});

const PartnershipMapCity = builder.objectRef<MapCityRow>('PartnershipMapCity').implement({
  description:
    'A city of the scope’s partnerships on their map, with how many of them it is in. Its ' +
    'coordinates are null when the city has none (it is then not drawn).',
  fields: (t) => ({
    id: t.id({
      description: 'The city’s global id, as `City.id`.',
      resolve: (city) => encodeGlobalID('City', city.id),
    }),
    name: t.exposeString('name', { description: 'The name of the city.' }),
    countryCode: t.exposeString('country_code', {
      description: 'The ISO 3166-1 alpha-2 code of its country, e.g. "DE", "US", "GB".',
    }),
    latitude: t.float({
      nullable: true,
      description: 'WGS 84 latitude.',
      resolve: (city) => city.latitude,
    }),
    longitude: t.float({
      nullable: true,
      description: 'WGS 84 longitude.',
      resolve: (city) => city.longitude,
    }),
    isGerman: t.exposeBoolean('german', {
      description: 'Whether it is the German city of any of those partnerships.',
    }),
    partnershipCount: t.exposeInt('partnerships', {
      description: 'The scope’s partnerships it is in, on either side.',
    }),
  }),
});

const PartnershipMapLink = builder.objectRef<MapLinkRow>('PartnershipMapLink').implement({
  description:
    'Two cities joined by partnerships of the scope, a line on the map. A partnership and one ' +
    'between the same cities the other way round are one link, oriented as the first of them.',
  fields: (t) => ({
    germanCityId: t.id({
      description: 'The global id of the German city (a `PartnershipMapCity.id`).',
      resolve: (link) => encodeGlobalID('City', link.german_city_id),
    }),
    partnerCityId: t.id({
      description: 'The global id of the partner city (a `PartnershipMapCity.id`).',
      resolve: (link) => encodeGlobalID('City', link.partner_city_id),
    }),
    partnershipCount: t.exposeInt('partnerships', {
      description: 'The scope’s partnerships between the two cities.',
    }),
    partnershipId: t.id({
      nullable: true,
      description: 'The partnership, when the link is one; null when it is several.',
      resolve: (link) =>
        link.partnership_id == null ? null : encodeGlobalID('Partnership', link.partnership_id),
    }),
  }),
});

const PartnershipMapCountry = builder.objectRef<MapCountryRow>('PartnershipMapCountry').implement({
  description: 'A country of the scope’s partner cities.',
  fields: (t) => ({
    countryCode: t.exposeString('country_code', {
      description: 'The ISO 3166-1 alpha-2 code of the country, e.g. "US".',
    }),
    partnershipCount: t.exposeInt('partnerships', {
      description: 'The scope’s partnerships whose partner city lies in it.',
    }),
  }),
});

const PartnershipMap = builder.objectRef<PartnershipMapRows>('PartnershipMap').implement({
  description:
    'The partnerships of a scope as places: what their map and the choices of country and city ' +
    'draw from, one item per city, pair of cities and country however many partnerships the ' +
    'scope holds.',
  fields: (t) => ({
    cities: t.field({
      type: [PartnershipMapCity],
      description: 'Every city of the scope’s partnerships, both sides, each once; by name.',
      resolve: (map) => map.cities,
    }),
    links: t.field({
      type: [PartnershipMapLink],
      description: 'Every pair of cities the scope’s partnerships join, each once.',
      resolve: (map) => map.links,
    }),
    countries: t.field({
      type: [PartnershipMapCountry],
      description: 'The countries of the scope’s partner cities, by code.',
      resolve: (map) => map.countries,
    }),
  }),
});

/** The scope a dashboard's figures were computed for, as the viewer may ask for it again. */
const DashboardScope = builder.objectRef<Scope>('DashboardScope').implement({
  description:
    'The scope the figures cover, after the viewer’s rights applied: a city account’s ' +
    'scope always names its own city. The same scope gives the same figures to every account ' +
    'that may see it.',
  fields: (t) => ({
    partnershipId: t.id({
      nullable: true,
      description: 'The one partnership, if the scope names one.',
      resolve: (scope) =>
        scope.partnershipId == null ? null : encodeGlobalID('Partnership', scope.partnershipId),
    }),
    cityId: t.id({
      nullable: true,
      description: 'The city whose partnerships the scope covers, if it names one.',
      resolve: (scope) => (scope.cityId == null ? null : encodeGlobalID('City', scope.cityId)),
    }),
    city: t.field({
      type: City,
      nullable: true,
      description: 'That city.',
      resolve: (scope) => scope.cityId ?? null,
    }),
    partnership: t.field({
      type: Partnership,
      nullable: true,
      description: 'That partnership.',
      resolve: (scope) => scope.partnershipId ?? null,
    }),
    countryCode: t.string({
      nullable: true,
      description: 'The partner cities’ country, if the scope names one.',
      resolve: (scope) => scope.countryCode ?? null,
    }),
    from: t.field({
      type: 'Date',
      nullable: true,
      description: 'First day of the period; none for all time.',
      resolve: (scope) => scope.from ?? null,
    }),
    to: t.field({
      type: 'Date',
      nullable: true,
      description: 'Last day of the period; none for all time.',
      resolve: (scope) => scope.to ?? null,
    }),
  }),
});

/**
 * The breakdown of a dashboard with each row's indicator rows and previous values; with `only`,
 * the rows of those partnerships alone (each row counts its own partnership's facts, so it is
 * the same either way), in the breakdown's order.
 */
async function breakdownRowsOf(
  dashboard: DashboardShape,
  context: Context,
  only?: readonly number[],
): Promise<PartnershipBreakdownShape[]> {
  const { reportedStatuses } = dashboard;
  const rows = await breakdownOf(
    context,
    only ? { ...dashboard.scope, partnershipIds: only } : dashboard.scope,
    reportedStatuses,
  );
  let previousRows: Promise<Map<number, PartnershipFigures> | null> | undefined;
  const previousOf = () => {
    if (!only) return previousBreakdownOf(dashboard, context);
    const previousScope = previousScopeOf(dashboard);
    previousRows ??= previousScope
      ? breakdownOf(context, { ...previousScope, partnershipIds: only }, reportedStatuses).then(
          (previous) => new Map(previous.map((row) => [row.partnershipId, row])),
        )
      : Promise.resolve(null);
    return previousRows;
  };
  return Promise.all(
    rows.map(async (row) => ({
      ...row,
      indicators: await withIndicatorRows(context, row.indicators, async () => {
        const previous = (await previousOf())?.get(row.partnershipId);
        return previous ? valuesOfSummaries(previous.indicators) : null;
      }),
    })),
  );
}

type BreakdownOrderValue =
  | 'PARTNERSHIP'
  | 'BEHIND'
  | 'EXCHANGES'
  | 'OUTCOMES'
  | 'PARTICIPANTS'
  | 'INDICATOR';

const BreakdownOrder = builder.enumType('BreakdownOrder', {
  description: 'A column of the breakdown by partnership to order its rows by.',
  values: {
    PARTNERSHIP: { description: 'By German city, then partner city (the order of `breakdown`).' },
    BEHIND: {
      description:
        'By indicators at risk or off track (`statusCounts.behind`), ties by those off track.',
    },
    EXCHANGES: { description: 'By exchanges in the period.' },
    OUTCOMES: { description: 'By outcomes in the period.' },
    PARTICIPANTS: { description: 'By participants in the period.' },
    INDICATOR: { description: 'By the value of one indicator (`indicator`) in the period.' },
  } satisfies Record<BreakdownOrderValue, { description: string }>,
});

const PartnershipBreakdownConnection = builder.connectionObject(
  {
    type: PartnershipBreakdown,
    name: 'PartnershipBreakdownConnection',
    description: 'A page of the breakdown by partnership.',
    fields: (c) => ({
      totalCount: c.int({
        description: 'How many partnerships the scope holds: the rows of every page together.',
        resolve: resolveTotalCount,
      }),
    }),
  },
  { name: 'PartnershipBreakdownEdge', description: 'A partnership of the breakdown.' },
);

/** The numbers a breakdown row is ordered by, most significant first; null orders last. */
type BreakdownSortValues = (row: PartnershipBreakdownShape) => (number | null)[];

/** How `breakdownPage` orders its rows, checked: an unknown indicator is refused by name. */
async function breakdownSortOf(
  context: Context,
  args: {
    orderBy?: BreakdownOrderValue | null;
    indicator?: string | null;
    goal?: ProgrammeGoalValue | null;
    sdg?: number | null;
  },
): Promise<BreakdownSortValues> {
  const badInput = (field: string, message: string) =>
    new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
  const orderBy = args.orderBy ?? 'PARTNERSHIP';
  if (args.sdg != null && (args.sdg < 1 || args.sdg > 17)) {
    throw badInput('sdg', 'sdg must be 1 to 17');
  }
  switch (orderBy) {
    case 'PARTNERSHIP':
      return () => [];
    case 'BEHIND': {
      const { sdgsOf } = await indicatorCatalogue(context);
      return (row) => {
        const counts = statusCountsOf(row.indicators, sdgsOf, args.goal, args.sdg);
        return [counts.AT_RISK + counts.OFF_TRACK, counts.OFF_TRACK];
      };
    }
    case 'EXCHANGES':
      return (row) => [row.totals.exchanges];
    case 'OUTCOMES':
      return (row) => [row.totals.outcomes];
    case 'PARTICIPANTS':
      return (row) => [row.totals.participants];
    case 'INDICATOR': {
      const code = args.indicator;
      if (code == null || !isIndicatorCode(code)) {
        throw badInput('indicator', 'indicator must be the code of an indicator (e.g. "U1")');
      }
      return (row) => [row.indicators.find((item) => item.code === code)?.value ?? null];
    }
  }
}

/**
 * The rows in the order asked for: rows without a value last in either direction, ties (and
 * PARTNERSHIP) in the breakdown's own order, reversed for PARTNERSHIP descending.
 */
function sortBreakdown(
  rows: readonly PartnershipBreakdownShape[],
  sortValues: BreakdownSortValues,
  descending: boolean,
): PartnershipBreakdownShape[] {
  const sign = descending ? -1 : 1;
  const keyed = rows.map((row, position) => ({ row, position, values: sortValues(row) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < a.values.length; i++) {
      const x = a.values[i] ?? null;
      const y = b.values[i] ?? null;
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x - y) * sign;
    }
    return a.values.length === 0 ? (a.position - b.position) * sign : a.position - b.position;
  });
  return keyed.map((item) => item.row);
}

const Dashboard = builder.objectRef<DashboardShape>('Dashboard').implement({
  description:
    'The figures of the programme for a scope and period (docs/methodology.md), as the ' +
    'overview shows them. They depend only on the scope and period, never on who looks.',
  fields: (t) => ({
    scope: t.field({
      type: DashboardScope,
      description: 'The scope the figures were computed for (for a city account, its own city).',
      resolve: (dashboard) => dashboard.scope,
    }),
    totals: t.field({
      type: DashboardTotals,
      description: 'Partnerships, cities, departments, exchanges, outcomes and participants.',
      resolve: (dashboard, _args, context) => totalsOf(dashboard, context),
    }),
    previousPeriod: t.field({
      type: DashboardPeriod,
      nullable: true,
      description:
        'The period of the same length just before the scope’s, which every change is measured ' +
        'against: the year before a calendar year, the quarter before a quarter, as many whole ' +
        'months before a range of whole months, else as many days before (docs/methodology.md, ' +
        '"Scopes and periods"). Null for all time or an open period.',
      resolve: (dashboard) => previousPeriod(dashboard.scope.from, dashboard.scope.to),
    }),
    previousTotals: t.field({
      type: DashboardTotals,
      nullable: true,
      description: 'The totals of the previous period; null without one.',
      resolve: (dashboard, _args, context) => previousTotalsOf(dashboard, context),
    }),
    totalsChange: t.field({
      type: TotalsChange,
      nullable: true,
      description: '`totals` minus `previousTotals`; null without a previous period.',
      resolve: async (dashboard, _args, context) => {
        const [current, previous] = await Promise.all([
          totalsOf(dashboard, context),
          previousTotalsOf(dashboard, context),
        ]);
        return previous ? totalsChangeOf(current, previous) : null;
      },
    }),
    goals: t.field({
      type: [GoalSummary],
      description: 'The three programme goals with their indicators.',
      resolve: async (dashboard, _args, context) => {
        const summaries = await indicatorSummariesOf(dashboard, context);
        const goals: ProgrammeGoalValue[] = ['UNDERSTAND', 'SHAPE', 'NETWORK'];
        return goals.map((goal) => ({
          goal,
          indicators: summaries.filter((summary) => summary.goal === goal),
        }));
      },
    }),
    sdgs: t.field({
      type: [SdgSummary],
      description: 'The 17 SDGs in order, with what addresses each and their indicators.',
      resolve: async (dashboard, _args, context) => {
        const [sdgs, summaries, { sdgsOf }] = await Promise.all([
          sdgSummariesOf(context, dashboard.scope),
          indicatorSummariesOf(dashboard, context),
          indicatorCatalogue(context),
        ]);
        return sdgs.map((sdg) => ({
          ...sdg,
          indicators: summaries.filter((summary) => sdgsOf(summary.row).includes(sdg.goal)),
          previous: async () =>
            (await previousSdgSummariesOf(dashboard, context))?.get(sdg.goal) ?? null,
        }));
      },
    }),
    partnershipMap: t.field({
      type: PartnershipMap,
      description:
        'The scope’s partnerships as places, for their map and the choices of country and city: ' +
        'every city, pair of cities and partner country of the scope with their partnerships ' +
        'counted. Like the scope itself it does not depend on the period.',
      resolve: (dashboard, _args, context) => {
        const { partnershipId, cityId, countryCode } = dashboard.scope;
        const places = { partnershipId, cityId, countryCode };
        return cachedFigure(
          context,
          'partnership-map',
          places,
          () => findPartnershipMap(context.db, places),
          { reads: 'undated' },
        );
      },
    }),
    departmentLinks: t.field({
      type: [DepartmentLink],
      description:
        'The department links of the scope and period (what N4 counts), each with the number ' +
        'of exchanges that joined the two departments; most exchanges first.',
      resolve: (dashboard, _args, context) =>
        cachedFigure(
          context,
          'department-links',
          dashboard.scope,
          () => computeDepartmentLinks(context.db, dashboard.scope),
          { reads: readsOfPeriod(dashboard.scope) },
        ),
    }),
    breakdown: t.field({
      type: [PartnershipBreakdown],
      description:
        'Each partnership of the scope with the figures of its own dashboard for the period, ' +
        'by German city: every partnership of the scope, those without activity in the period ' +
        'too (their counts are 0). Counts of exchanges, outcomes and participants add up to ' +
        '`totals`; distinct counts (cities, departments, topics ...) are per partnership.',
      resolve: (dashboard, _args, context) => breakdownRowsOf(dashboard, context),
    }),
    breakdownPage: t.connection(
      {
        type: PartnershipBreakdown,
        description:
          'The rows of `breakdown` one page at a time, ordered on the server by any of its ' +
          'columns, with `totalCount`: at national scale a scope holds thousands of ' +
          'partnerships. Rows without a value for the column (a percentage nobody reported) ' +
          'come last in either direction; ties keep the order of `breakdown` (by German city).',
        args: {
          orderBy: t.arg({
            type: BreakdownOrder,
            required: false,
            defaultValue: 'PARTNERSHIP',
            description: 'The column to order by.',
          }),
          indicator: t.arg.string({
            required: false,
            description: 'With `orderBy: INDICATOR`: the indicator’s code (e.g. "U1").',
          }),
          descending: t.arg.boolean({
            required: false,
            defaultValue: false,
            description:
              'Highest first (for PARTNERSHIP: the reverse of the German cities’ order).',
          }),
          goal: t.arg({
            type: ProgrammeGoal,
            required: false,
            description: 'With `orderBy: BEHIND`: count only this goal’s indicators.',
          }),
          sdg: t.arg.int({
            required: false,
            description: 'With `orderBy: BEHIND`: count only the indicators mapped to this SDG.',
          }),
        },
        resolve: async (dashboard, args, context) => {
          checkCursors(args);
          const sortValues = await breakdownSortOf(context, args);
          if ((args.orderBy ?? 'PARTNERSHIP') === 'PARTNERSHIP') {
            // The order is known without the figures: only the page's rows are computed, which
            // at national scale is 50 partnerships' figures instead of 5,000.
            const ids = await breakdownOrderOf(context, dashboard.scope);
            const ordered = args.descending ? [...ids].reverse() : ids;
            const page = resolveArrayConnection({ args, maxSize: MAX_PAGE_SIZE }, ordered);
            const pageIds = page.edges.flatMap((edge) => (edge ? [edge.node] : []));
            const pageRows = await breakdownRowsOf(dashboard, context, pageIds);
            const byId = new Map(pageRows.map((row) => [row.partnershipId, row]));
            return {
              ...page,
              edges: page.edges.flatMap((edge) => {
                const node = edge ? byId.get(edge.node) : undefined;
                return edge && node ? [{ cursor: edge.cursor, node }] : [];
              }),
              totalCount: () => Promise.resolve(ids.length),
            };
          }
          const rows = await breakdownRowsOf(dashboard, context);
          const sorted = sortBreakdown(rows, sortValues, args.descending ?? false);
          const connection = resolveArrayConnection({ args, maxSize: MAX_PAGE_SIZE }, sorted);
          return { ...connection, totalCount: () => Promise.resolve(rows.length) };
        },
      },
      PartnershipBreakdownConnection,
    ),
  }),
});

builder.queryField('dashboard', (t) =>
  t.field({
    type: Dashboard,
    description:
      'The figures for a scope (all partnerships, a country, a city, one partnership) and a ' +
      'period; without `from`/`to` all time. Needs an account. Every account that may see a ' +
      'scope reads the same figures for it (approved reported values). A city account’s scope ' +
      'is its own city: another city, partnership or country is refused with FORBIDDEN.',
    authScopes: { signedIn: true },
    args: {
      scope: t.arg({ type: ScopeInput, required: false, description: 'What the figures cover.' }),
      includeSubmitted: t.arg.boolean({
        required: false,
        defaultValue: false,
        description: 'SKEW only: count submitted reported values as well as approved ones.',
      }),
    },
    resolve: (_root, args, context) =>
      figuresFor(context, parseScope(args.scope), args.includeSubmitted ?? false),
  }),
);

builder.queryField('programmeTotals', (t) =>
  t.field({
    type: DashboardTotals,
    description:
      'The programme as a whole: every partnership and city counted together, for a period ' +
      '(without `from`/`to` all time). The same figures for every signed-in account: a city ' +
      'account, whose `dashboard` covers its own city, gets these counts and nothing that ' +
      'names another city.',
    authScopes: { signedIn: true },
    args: {
      from: t.arg({ type: 'Date', required: false, description: 'First day of the period.' }),
      to: t.arg({ type: 'Date', required: false, description: 'Last day of the period.' }),
    },
    resolve: (_root, { from, to }, context) => {
      if (from && to && to < from) {
        throw new GraphQLError('to must not be before from', {
          extensions: { code: 'BAD_USER_INPUT', field: 'to' },
        });
      }
      // Not computeTotals: under row-level security a city account's sum would be its own.
      return programmeTotalsOf(context, { from: from ?? undefined, to: to ?? undefined });
    },
  }),
);

builder.queryField('programmeTotalsChange', (t) =>
  t.field({
    type: TotalsChange,
    nullable: true,
    description:
      'How much each of `programmeTotals` changed against the previous period of the same ' +
      'length (as `Dashboard.previousPeriod`), the same for every signed-in account; null for ' +
      'all time or an open period.',
    authScopes: { signedIn: true },
    args: {
      from: t.arg({ type: 'Date', required: false, description: 'First day of the period.' }),
      to: t.arg({ type: 'Date', required: false, description: 'Last day of the period.' }),
    },
    resolve: async (_root, { from, to }, context) => {
      if (from && to && to < from) {
        throw new GraphQLError('to must not be before from', {
          extensions: { code: 'BAD_USER_INPUT', field: 'to' },
        });
      }
      const previous = previousPeriod(from, to);
      if (!from || !to || !previous) return null;
      // Both counted past row-level security, as `programmeTotals` (findProgrammeTotals).
      const [current, before] = await Promise.all([
        programmeTotalsOf(context, { from, to }),
        programmeTotalsOf(context, previous),
      ]);
      return totalsChangeOf(current, before);
    },
  }),
);

const IndicatorPoint = builder.objectRef<SeriesPoint>('IndicatorPoint').implement({
  description: 'The value of an indicator in one period, with that year’s baseline and target.',
  fields: (t) => ({
    period: t.exposeString('period', { description: 'The year ("2025") or quarter ("2025-Q3").' }),
    value: t.float({
      nullable: true,
      description: 'The value in the period; null for a percentage nothing was reported for.',
      resolve: (point) => point.value,
    }),
    baseline: t.float({
      nullable: true,
      description: 'The baseline of the year’s target (years only).',
      resolve: (point) => point.baseline,
    }),
    target: t.float({
      nullable: true,
      description: 'The year’s target (years only).',
      resolve: (point) => point.target,
    }),
  }),
});

/**
 * Series of one scope, granularity and set of counted values, batched: however many indicators
 * of a request ask for their series with the same arguments, they cost one statement.
 */
const seriesLoaders = createContextCache(
  () => new Map<string, DataLoader<IndicatorCode, SeriesPoint[]>>(),
);

function seriesLoader(
  context: Context,
  figures: Figures,
  granularity: GranularityValue,
): DataLoader<IndicatorCode, SeriesPoint[]> {
  const loaders = seriesLoaders(context);
  const key = JSON.stringify([figures.scope, figures.reportedStatuses, granularity]);
  let loader = loaders.get(key);
  if (!loader) {
    loader = new DataLoader(async (codes) => {
      const { scope, reportedStatuses } = figures;
      const wanted = [...codes].sort();
      const series = await cachedFigure(
        context,
        'series',
        [scope, reportedStatuses, granularity, wanted],
        () => computeSeriesOf(context.db, wanted, scope, granularity, { reportedStatuses }),
        { reads: readsOfPeriod(scope) },
      );
      return codes.map((code) => series.get(code) ?? []);
    });
    loaders.set(key, loader);
  }
  return loader;
}

builder.objectField(Indicator, 'series', (t) =>
  t.field({
    type: [IndicatorPoint],
    description:
      'The indicator per year or quarter for a scope, with targets. Needs an account; the same ' +
      'rights as `Query.dashboard`. A reported value counts in the period that holds its whole ' +
      'year or quarter: quarters show quarterly values only, a year its yearly value or the ' +
      'aggregate of its quarters.',
    authScopes: { signedIn: true },
    args: {
      scope: t.arg({ type: ScopeInput, required: false, description: 'What the series covers.' }),
      granularity: t.arg({
        type: Granularity,
        required: false,
        defaultValue: 'YEAR',
        description: 'Years (default) or quarters.',
      }),
      includeSubmitted: t.arg.boolean({
        required: false,
        defaultValue: false,
        description: 'SKEW only: count submitted reported values as well as approved ones.',
      }),
    },
    resolve: async (indicator, args, context) => {
      const code = indicator.code;
      if (!isIndicatorCode(code)) return [];
      const figures = await figuresFor(
        context,
        parseScope(args.scope),
        args.includeSubmitted ?? false,
      );
      return seriesLoader(context, figures, args.granularity ?? 'YEAR').load(code);
    },
  }),
);
