import { builder } from '../../builder.ts';
import { notFound } from '../city/city.access.ts';
import { cachedFigure } from '../shared/figure-cache.ts';
import { inRequestLanguage } from '../shared/language.ts';
import {
  findAllSdgGoals,
  findSdgGoalsByNumbers,
  findSdgTargetsByCodes,
  findSdgTargetsOfGoals,
  type SdgGoalRow,
  type SdgTargetRow,
} from './sdg.repository.ts';

/** Loads goals by number, batched per request; other modules refer to goals through it. */
export const SdgGoal = builder.loadableObjectRef<SdgGoalRow, number>('SdgGoal', {
  load: async (numbers, context) => {
    // the catalogue is the same for everyone, and every figure page shows it
    const wanted = [...numbers].sort((a, b) => a - b);
    const rows = await cachedFigure(
      context,
      'sdg-goals',
      wanted,
      () => findSdgGoalsByNumbers(context.db, wanted),
      { sameForEveryone: true, reads: 'undated' },
    );
    return numbers.map((n) => rows.find((row) => row.number === n) ?? notFound('SDG'));
  },
  sort: (goal) => goal.number,
});

/** Loads targets by code, batched per request. */
export const SdgTarget = builder.loadableObjectRef<SdgTargetRow, string>('SdgTarget', {
  load: async (codes, context) => {
    const rows = await findSdgTargetsByCodes(context.db, codes);
    return codes.map((c) => rows.find((row) => row.code === c) ?? notFound('SDG target'));
  },
  sort: (target) => target.code,
});

SdgGoal.implement({
  description: 'One of the 17 Sustainable Development Goals of the 2030 Agenda.',
  fields: (t) => ({
    number: t.exposeInt('number', { description: 'The goal number, 1 to 17.' }),
    code: t.exposeString('code', { description: 'The goal code, e.g. "11".' }),
    title: t.string({
      description: 'The full title, in the language of the request.',
      resolve: inRequestLanguage('title'),
    }),
    shortTitle: t.string({
      description: 'The short title, in the language of the request.',
      resolve: inRequestLanguage('short_title'),
    }),
    colour: t.exposeString('colour', {
      description: 'The official UN colour of the goal, as `#RRGGBB`.',
    }),
    targets: t.loadableGroup({
      type: SdgTarget,
      description: 'The targets of the goal, in the official order.',
      load: (goals: number[], context) => findSdgTargetsOfGoals(context.db, goals),
      // the loader returns rows, never bare codes
      group: (target) => (target as SdgTargetRow).goal,
      resolve: (goal) => goal.number,
    }),
  }),
});

SdgTarget.implement({
  description: 'A target of an SDG, e.g. 11.6.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'The target code, e.g. "11.6" or "17.a".' }),
    title: t.string({
      description: 'The text of the target, in the language of the request.',
      resolve: inRequestLanguage('title'),
    }),
    goal: t.field({
      type: SdgGoal,
      description: 'The goal the target belongs to.',
      resolve: (target) => target.goal,
    }),
  }),
});

builder.queryField('sdgGoals', (t) =>
  t.field({
    type: [SdgGoal],
    description: 'The 17 SDGs with their targets. Open to everyone.',
    resolve: (_root, _args, context) => findAllSdgGoals(context.db),
  }),
);
