import { encodeGlobalID } from '@pothos/plugin-relay';
import type { IndicatorGoalSummary, Scope, SdgSummary, SeriesPoint } from '@udx/indicators/engine';
import { GraphQLError } from 'graphql';
import { builder } from '../../builder.ts';
import { DashboardTotals } from '../dashboard/dashboard.schema.ts';
import { activityListArgs, ExchangeKind } from '../exchange/exchange.schema.ts';
import { IndicatorStatus, IndicatorUnit, ProgrammeGoal } from '../indicator/indicator.schema.ts';
import { OutcomeKind } from '../outcome/outcome.schema.ts';
import { MAX_PAGE_SIZE } from '../shared/connection.ts';
import { parseScope } from '../shared/scope.ts';
import {
  findPublicExchanges,
  findPublicOutcomes,
  type PublicExchangeRow,
  type PublicListFilter,
  type PublicOutcomeRow,
  type PublicPartnershipRow,
} from './public.repository.ts';
import {
  assertPublicRequest,
  partnershipName,
  publicIndicatorRowsOf,
  publicIndicatorsOf,
  publicPartnershipsOf,
  publicSdgsOf,
  publicTotalsOf,
  publicYearsOf,
} from './public.service.ts';

/** What the public figures of a scope are computed from: the scope, and its partnership. */
interface PublicFiguresShape {
  scope: Scope;
  partnership: PublicPartnershipRow | null;
}

/** Where a city lies, for the public map. */
interface PublicLocationShape {
  latitude: number;
  longitude: number;
}

const PublicLocation = builder.objectRef<PublicLocationShape>('PublicLocation').implement({
  description: 'Where a city lies (WGS 84), for the map of the partnerships.',
  fields: (t) => ({
    latitude: t.exposeFloat('latitude', { description: 'WGS 84 latitude.' }),
    longitude: t.exposeFloat('longitude', { description: 'WGS 84 longitude.' }),
  }),
});

/** A city's location, or null when the programme does not know where it lies. */
function locationOf(latitude: number | null, longitude: number | null): PublicLocationShape | null {
  return latitude == null || longitude == null ? null : { latitude, longitude };
}

const PublicPartnership = builder.objectRef<PublicPartnershipRow>('PublicPartnership').implement({
  description: 'A partnership as anyone may see it: its two cities.',
  fields: (t) => ({
    id: t.id({
      description: 'The partnership’s id, as `Partnership.id`.',
      resolve: (row) => encodeGlobalID('Partnership', row.id),
    }),
    name: t.string({
      description: 'The German city and the partner city, e.g. "Bonn – Minneapolis".',
      resolve: partnershipName,
    }),
    germanCity: t.exposeString('germanCity', { description: 'The German city.' }),
    partnerCity: t.exposeString('partnerCity', { description: 'The partner city.' }),
    countryCode: t.exposeString('countryCode', {
      description: 'The partner city’s country (ISO 3166-1).',
    }),
    germanCityLocation: t.field({
      type: PublicLocation,
      nullable: true,
      description: 'Where the German city lies; null when unknown.',
      resolve: (row) => locationOf(row.germanLatitude, row.germanLongitude),
    }),
    partnerCityLocation: t.field({
      type: PublicLocation,
      nullable: true,
      description: 'Where the partner city lies; null when unknown.',
      resolve: (row) => locationOf(row.partnerLatitude, row.partnerLongitude),
    }),
  }),
});

const PublicPoint = builder.objectRef<SeriesPoint>('PublicPoint').implement({
  description: 'An indicator’s value in one year, with that year’s baseline and target.',
  fields: (t) => ({
    year: t.int({ description: 'The year.', resolve: (point) => Number(point.period) }),
    value: t.float({
      nullable: true,
      description: 'The value; null for a percentage nothing approved was reported for.',
      resolve: (point) => point.value,
    }),
    baseline: t.float({
      nullable: true,
      description: 'The baseline of the year; null without a target.',
      resolve: (point) => point.baseline,
    }),
    target: t.float({
      nullable: true,
      description: 'The target of the year; null without one.',
      resolve: (point) => point.target,
    }),
  }),
});

/** An indicator's summary with the scope it belongs to, for its yearly series. */
interface PublicIndicatorShape {
  summary: IndicatorGoalSummary;
  scope: Scope;
}

const PublicIndicator = builder.objectRef<PublicIndicatorShape>('PublicIndicator').implement({
  description:
    'An indicator of a scope and period from approved reported values, as the dashboard ' +
    'shows it to an account of the Foreign Office (docs/methodology.md).',
  fields: (t) => ({
    code: t.string({
      description: 'The indicator’s code, e.g. "U1".',
      resolve: (i) => i.summary.code,
    }),
    name: t.string({
      description: 'The indicator’s name in the answer’s language.',
      resolve: async ({ summary }, _args, context) => {
        const row = (await publicIndicatorRowsOf(context)).get(summary.code);
        if (!row) return summary.code;
        return context.language === 'de' ? row.name_de : row.name_en;
      },
    }),
    goal: t.field({
      type: ProgrammeGoal,
      description: 'The programme goal it measures.',
      resolve: (i) => i.summary.goal,
    }),
    unit: t.field({
      type: IndicatorUnit,
      description: 'Count or percentage.',
      resolve: (i) => i.summary.unit,
    }),
    value: t.float({
      nullable: true,
      description: 'The value over the whole scope and period.',
      resolve: (i) => i.summary.value,
    }),
    year: t.int({
      description: 'The reference year: the year of `to`, else the current year.',
      resolve: (i) => i.summary.year,
    }),
    yearValue: t.float({
      nullable: true,
      description: 'The value in the reference year, within the period.',
      resolve: (i) => i.summary.yearValue,
    }),
    baseline: t.float({
      nullable: true,
      description: 'The baseline of the reference year; null without a target.',
      resolve: (i) => i.summary.baseline,
    }),
    target: t.float({
      nullable: true,
      description: 'The target of the reference year; null without one.',
      resolve: (i) => i.summary.target,
    }),
    progress: t.float({
      nullable: true,
      description: 'yearValue / target; null without a target.',
      resolve: (i) => i.summary.progress,
    }),
    status: t.field({
      type: IndicatorStatus,
      description: 'How it stands against its target at the reference date.',
      resolve: (i) => i.summary.status,
    }),
    series: t.field({
      type: [PublicPoint],
      description: 'The value per year of the scope, the period aside (as `Indicator.series`).',
      resolve: ({ summary, scope }, _args, context) => publicYearsOf(context, scope, summary.code),
    }),
  }),
});

const PublicSdg = builder.objectRef<SdgSummary>('PublicSdg').implement({
  description: 'What of the scope and period addresses an SDG.',
  fields: (t) => ({
    goal: t.exposeInt('goal', { description: 'The SDG number, 1 to 17.' }),
    exchangeCount: t.exposeInt('exchangeCount', { description: 'Exchanges addressing it.' }),
    outcomeCount: t.exposeInt('outcomeCount', {
      description: 'Outcomes addressing it, dropped ones left out.',
    }),
    partnershipCount: t.exposeInt('partnershipCount', {
      description: 'Partnerships with an exchange or outcome addressing it.',
    }),
  }),
});

const PublicExchange = builder.objectRef<PublicExchangeRow>('PublicExchange').implement({
  description: 'An exchange as anyone may see it: title, kind, start and host city.',
  fields: (t) => ({
    partnershipId: t.id({
      description: 'The partnership’s id, as `Partnership.id`.',
      resolve: (row) => encodeGlobalID('Partnership', row.partnershipId),
    }),
    title: t.exposeString('title', { description: 'The exchange’s title.' }),
    kind: t.field({
      type: ExchangeKind,
      description: 'Technical or political.',
      resolve: (row) => row.kind,
    }),
    startsOn: t.field({
      type: 'Date',
      description: 'Its first day.',
      resolve: (row) => row.startsOn,
    }),
    hostCity: t.exposeString('hostCity', { description: 'The city that hosted it.' }),
  }),
});

const PublicOutcome = builder.objectRef<PublicOutcomeRow>('PublicOutcome').implement({
  description: 'An outcome as anyone may see it: title, kind and date.',
  fields: (t) => ({
    partnershipId: t.id({
      description: 'The partnership’s id, as `Partnership.id`.',
      resolve: (row) => encodeGlobalID('Partnership', row.partnershipId),
    }),
    title: t.exposeString('title', { description: 'The outcome’s title.' }),
    kind: t.field({ type: OutcomeKind, description: 'What it is.', resolve: (row) => row.kind }),
    date: t.field({
      type: 'Date',
      description: 'When it was reached.',
      resolve: (row) => row.date,
    }),
  }),
});

/** How many of the latest exchanges or outcomes a public list holds. */
function listSize(first: number): number {
  if (first < 0 || first > MAX_PAGE_SIZE) {
    throw new GraphQLError(`first must lie between 0 and ${MAX_PAGE_SIZE}`, {
      extensions: { code: 'BAD_USER_INPUT', field: 'first' },
    });
  }
  return first;
}

/** The arguments of a public list: how many, and an SDG as the dashboard's lists have it. */
function publicListArgs(noun: string) {
  return builder.args((t) => ({
    first: t.int({
      defaultValue: 20,
      required: true,
      description: `How many, ${MAX_PAGE_SIZE} at most.`,
    }),
    sdg: activityListArgs(noun).sdg,
  }));
}

/** A public list's scope and period, narrowed to an SDG when one is asked for. */
function listFilter(scope: Scope, args: { sdg?: number | null }): PublicListFilter {
  return { ...scope, sdg: args.sdg ?? null };
}

const PublicFigures = builder.objectRef<PublicFiguresShape>('PublicFigures').implement({
  description:
    'The public figures of the programme or one partnership for a period (README, "Open data ' +
    'and public figures"): computed from approved reported values only, equal to what an ' +
    'account of the Foreign Office sees for the same scope.',
  fields: (t) => ({
    from: t.field({
      type: 'Date',
      nullable: true,
      description: 'First day of the period; null when open.',
      resolve: (f) => f.scope.from ?? null,
    }),
    to: t.field({
      type: 'Date',
      nullable: true,
      description: 'Last day of the period; null when open.',
      resolve: (f) => f.scope.to ?? null,
    }),
    partnership: t.field({
      type: PublicPartnership,
      nullable: true,
      description: 'The partnership; null for the programme as a whole.',
      resolve: (f) => f.partnership,
    }),
    totals: t.field({
      type: DashboardTotals,
      description: 'The size of the scope and its activity in the period.',
      resolve: (f, _args, context) => publicTotalsOf(context, f.scope),
    }),
    indicators: t.field({
      type: [PublicIndicator],
      description: 'The 15 indicators in display order.',
      resolve: async (f, _args, context) =>
        (await publicIndicatorsOf(context, f.scope)).map((summary) => ({
          summary,
          scope: f.scope,
        })),
    }),
    sdgs: t.field({
      type: [PublicSdg],
      description: 'SDGs 1 to 17.',
      resolve: (f, _args, context) => publicSdgsOf(context, f.scope),
    }),
    partnerships: t.field({
      type: [PublicPartnership],
      description: 'The partnerships of the scope, oldest first.',
      resolve: async (f, _args, context) =>
        f.partnership ? [f.partnership] : publicPartnershipsOf(context),
    }),
    exchanges: t.field({
      type: [PublicExchange],
      description: 'The latest exchanges that started in the period, latest first.',
      args: publicListArgs('exchanges'),
      resolve: (f, args, context) =>
        findPublicExchanges(context.db, listFilter(f.scope, args), listSize(args.first)),
    }),
    outcomes: t.field({
      type: [PublicOutcome],
      description: 'The latest outcomes dated in the period, dropped ones left out.',
      args: publicListArgs('outcomes'),
      resolve: (f, args, context) =>
        findPublicOutcomes(context.db, listFilter(f.scope, args), listSize(args.first)),
    }),
  }),
});

builder.queryFields((t) => ({
  publicProgramme: t.field({
    type: PublicFigures,
    nullable: true,
    description:
      'The programme’s public figures for a period (without `from`/`to` all time), for anyone, ' +
      'signed in or not, where the server publishes them (`UDX_PUBLIC`); else null with ' +
      'NOT_FOUND. Asked in an operation of public fields alone: beside the fields of an ' +
      'account it is null with BAD_USER_INPUT.',
    args: {
      from: t.arg({ type: 'Date', required: false, description: 'First day of the period.' }),
      to: t.arg({ type: 'Date', required: false, description: 'Last day of the period.' }),
    },
    resolve: (_root, args, context) => {
      assertPublicRequest(context);
      return { scope: parseScope({ from: args.from, to: args.to }), partnership: null };
    },
  }),
  publicPartnership: t.field({
    type: PublicFigures,
    nullable: true,
    description:
      'One partnership’s public figures for a period, as `publicProgramme`; null when there ' +
      'is no such partnership.',
    args: {
      id: t.arg.id({ required: true, description: 'The partnership’s id.' }),
      from: t.arg({ type: 'Date', required: false, description: 'First day of the period.' }),
      to: t.arg({ type: 'Date', required: false, description: 'Last day of the period.' }),
    },
    resolve: async (_root, args, context) => {
      assertPublicRequest(context);
      const scope = parseScope({ partnershipId: String(args.id), from: args.from, to: args.to });
      const [partnership] = await publicPartnershipsOf(context, scope.partnershipId);
      return partnership ? { scope, partnership } : null;
    },
  }),
}));
