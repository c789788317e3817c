import { z } from 'zod';
import { builder } from '../../builder.ts';
import { SdgGoal } from '../sdg/sdg.schema.ts';
import { groupRows } from '../shared/batch.ts';
import { inRequestLanguage } from '../shared/language.ts';
import { databaseNodeRef } from '../shared/node-ref.ts';
import {
  findGoalsOfIndicators,
  findIndicators,
  findIndicatorsByCodes,
  findIndicatorsByIds,
} from './indicator.repository.ts';

export const ProgrammeGoal = builder.enumType('ProgrammeGoal', {
  description: 'The three goals of the Urban Diplomacy Exchange, each measured by indicators.',
  values: {
    UNDERSTAND: {
      description:
        'Understand (Verstehen): mutual understanding of current political and social challenges and solutions.',
    },
    SHAPE: {
      description:
        'Shape and design (Gestalten): municipal actors aware of their role in city diplomacy and able to shape the implementation of the 2030 Agenda and the Paris Agreement.',
    },
    NETWORK: {
      description:
        'Network (Vernetzen): cities competent in strategic partnerships and in internationalisation.',
    },
  } as const,
});

export const IndicatorUnit = builder.enumType('IndicatorUnit', {
  description: 'How an indicator is measured.',
  values: {
    COUNT: { description: 'A number of things (exchanges, participants, ...).' },
    PERCENT: {
      description:
        'A share in percent, pooled over the scope as sum of numerators / sum of denominators × 100.',
    },
  } as const,
});

export const IndicatorSource = builder.enumType('IndicatorSource', {
  description: 'Where the values of an indicator come from.',
  values: {
    COMPUTED: {
      description: 'Derived from exchanges, outcomes and departments; never typed in.',
    },
    REPORTED: { description: 'Reported by the cities and reviewed by SKEW.' },
  } as const,
});

export const IndicatorDirection = builder.enumType('IndicatorDirection', {
  description: 'Which way an indicator improves.',
  values: {
    HIGHER_IS_BETTER: { description: 'More is better (the usual case).' },
    LOWER_IS_BETTER: { description: 'Less is better.' },
  } as const,
});

export const IndicatorStatus = builder.enumType('IndicatorStatus', {
  description:
    'How an indicator stands against its target for the scope and year, judged at the ' +
    'reference date: the end of the period asked for when it lies before today, else today ' +
    '(Europe/Berlin). Counts are held against the target pro rata from 1 January to that day, ' +
    'percentages against the full target.',
  values: {
    ON_TRACK: { description: 'At least 90 % of the pro-rata target.' },
    AT_RISK: { description: 'At least 60 % of the pro-rata target.' },
    OFF_TRACK: { description: 'Below 60 % of the pro-rata target.' },
    NO_TARGET: { description: 'No target set for the scope and year.' },
    NO_DATA: {
      description:
        'A percentage with a target and no approved value yet: no data, which is not failure.',
    },
  } as const,
});

export const Granularity = builder.enumType('Granularity', {
  description: 'The length of the periods of a time series.',
  values: {
    YEAR: { description: 'Calendar years, e.g. "2025".' },
    QUARTER: { description: 'Calendar quarters, e.g. "2025-Q3".' },
  } as const,
});

/** Indicators as Relay nodes, loaded by database id and batched per request. */
export const Indicator = databaseNodeRef('Indicator', 'indicator', (context, ids) =>
  findIndicatorsByIds(context.db, ids),
);

Indicator.implement({
  description:
    'An indicator of the programme (docs/methodology.md, "The indicators"): what is measured, ' +
    'for which programme goal and SDGs. Its definition is open to everyone; its values need ' +
    'an account.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'The stable code, e.g. "U1" or "S5".' }),
    name: t.string({
      description: 'The name, in the language of the request.',
      resolve: inRequestLanguage('name'),
    }),
    description: t.string({
      description: 'What is counted and how, in the language of the request.',
      resolve: inRequestLanguage('description'),
    }),
    goal: t.field({
      type: ProgrammeGoal,
      description: 'The programme goal the indicator measures.',
      resolve: (row) => row.goal,
    }),
    sdgs: t.loadableList({
      type: SdgGoal,
      description: 'The SDG goals the indicator is mapped to, in goal order.',
      load: async (ids: number[], context) =>
        groupRows(ids, await findGoalsOfIndicators(context.db, ids), (row) => row.indicator_id),
      resolve: (row) => row.id,
    }),
    unit: t.field({
      type: IndicatorUnit,
      description: 'Count or percentage.',
      resolve: (row) => row.unit,
    }),
    source: t.field({
      type: IndicatorSource,
      description: 'Computed from the records, or reported by cities.',
      resolve: (row) => row.source,
    }),
    direction: t.field({
      type: IndicatorDirection,
      description: 'Which way the indicator improves.',
      resolve: (row) => row.direction,
    }),
  }),
});

builder.queryFields((t) => ({
  indicators: t.field({
    type: [Indicator],
    description:
      'The indicators of the programme in display order, optionally of one programme goal or ' +
      'mapped to one SDG. Open to everyone.',
    args: {
      goal: t.arg({ type: ProgrammeGoal, required: false, description: 'Only this goal.' }),
      sdg: t.arg.int({
        required: false,
        description: 'Only indicators mapped to this SDG (1 to 17).',
        validate: z.number().int().min(1, 'sdg must be 1 to 17').max(17, 'sdg must be 1 to 17'),
      }),
    },
    resolve: (_root, args, context) =>
      findIndicators(context.db, { goal: args.goal ?? null, sdg: args.sdg ?? null }),
  }),
  indicator: t.field({
    type: Indicator,
    nullable: true,
    description:
      'One indicator by its code (e.g. "U1"), or null if there is none. Open to everyone.',
    args: { code: t.arg.string({ required: true, description: 'The indicator code.' }) },
    resolve: async (_root, args, context) => {
      const [row] = await findIndicatorsByCodes(context.db, [args.code.trim().toUpperCase()]);
      return row ?? null;
    },
  }),
}));
