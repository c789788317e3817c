import type { ProgrammeGoal as ProgrammeGoalValue, ValueStatus } from '@udx/db/schema';
import {
  computeGoalSummaries,
  computeSdgSummaries,
  computeSeries,
  computeTotals,
  type IndicatorGoalSummary,
  type SdgSummary as SdgSummaryShape,
  type SeriesPoint,
  type Totals,
} from '@udx/indicators/engine';
import { isIndicatorCode } from '@udx/indicators/rules';
import { GraphQLError } from 'graphql';
import { findProgrammeTotals } from '../../auth/row-level-security.ts';
import { builder } from '../../builder.ts';
import { findIndicators, type IndicatorRow } from '../indicator/indicator.repository.ts';
import {
  Granularity,
  Indicator,
  IndicatorStatus,
  IndicatorUnit,
  ProgrammeGoal,
} from '../indicator/indicator.schema.ts';
import { SdgGoal } from '../sdg/sdg.schema.ts';
import { parseScope, type Scope, ScopeInput } from '../shared/scope.ts';
import { figuresFor } from './dashboard.service.ts';

/** What the dashboard's fields compute from; each part is computed only when asked for. */
interface DashboardShape {
  scope: Scope;
  reportedStatuses: ValueStatus[];
}

interface GoalSummaryShape {
  goal: ProgrammeGoalValue;
  indicators: (IndicatorGoalSummary & { row: IndicatorRow })[];
}

const DashboardTotals = builder.objectRef<Totals>('DashboardTotals').implement({
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

const IndicatorSummary = builder
  .objectRef<IndicatorGoalSummary & { row: IndicatorRow }>('IndicatorSummary')
  .implement({
    description:
      'An indicator for the scope: its value over the period, and for the reference year its ' +
      'value, target, progress and status.',
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
      year: t.int({
        description: 'The reference year: the year of `scope.to`, else the current year.',
        resolve: (summary) => summary.year,
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
        description: 'On track, at risk or off track against the pro-rata target.',
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

const SdgSummary = builder.objectRef<SdgSummaryShape>('SdgSummary').implement({
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
  }),
});

const Dashboard = builder.objectRef<DashboardShape>('Dashboard').implement({
  description:
    'The figures of the programme for a scope and period (PRODUCT.md §4), as the overview shows them.',
  fields: (t) => ({
    totals: t.field({
      type: DashboardTotals,
      description: 'Partnerships, cities, departments, exchanges, outcomes and participants.',
      resolve: (dashboard, _args, context) => computeTotals(context.db, dashboard.scope),
    }),
    goals: t.field({
      type: [GoalSummary],
      description: 'The three programme goals with their indicators.',
      resolve: async (dashboard, _args, context) => {
        const [summaries, rows] = await Promise.all([
          computeGoalSummaries(context.db, dashboard.scope, {
            reportedStatuses: dashboard.reportedStatuses,
          }),
          findIndicators(context.db),
        ]);
        const byCode = new Map(rows.map((row) => [row.code, row]));
        return summaries.map((summary) => ({
          goal: summary.goal,
          indicators: summary.indicators.flatMap((indicator) => {
            const row = byCode.get(indicator.code);
            return row ? [{ ...indicator, row }] : [];
          }),
        }));
      },
    }),
    sdgs: t.field({
      type: [SdgSummary],
      description: 'The 17 SDGs in order, with what addresses each.',
      resolve: (dashboard, _args, context) => computeSdgSummaries(context.db, dashboard.scope),
    }),
  }),
});

builder.queryField('dashboard', (t) =>
  t.field({
    type: Dashboard,
    description:
      'The figures for a scope (all partnerships, a country, a city, one partnership) and a ' +
      'period; without `from`/`to` all time. Needs an account: the Foreign Office sees official ' +
      'figures (approved reported values), a city account its own city’s.',
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
      return findProgrammeTotals(context.db, { from: from ?? undefined, to: to ?? undefined });
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

builder.objectField(Indicator, 'series', (t) =>
  t.field({
    type: [IndicatorPoint],
    description:
      'The indicator per year or quarter for a scope, with targets. Needs an account; the same ' +
      'rights as `Query.dashboard`.',
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
    resolve: (indicator, args, context) => {
      const code = indicator.code;
      if (!isIndicatorCode(code)) return [];
      const figures = figuresFor(context, parseScope(args.scope), args.includeSubmitted ?? false);
      return computeSeries(context.db, code, figures.scope, args.granularity ?? 'YEAR', {
        reportedStatuses: figures.reportedStatuses,
      });
    },
  }),
);
