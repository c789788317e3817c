import { z } from 'zod';
import { builder } from '../../builder.ts';
import { accessOf } from '../city/city.access.ts';
import { findIndicatorKeysByCodes } from '../indicator/indicator.repository.ts';
import { Indicator } from '../indicator/indicator.schema.ts';
import { Partnership } from '../partnership/partnership.schema.ts';
import { decodeNodeId } from '../shared/global-id.ts';
import { toPayload } from '../shared/mutation.ts';
import { databaseNodeRef } from '../shared/node-ref.ts';
import { payloadType } from '../shared/user-error.ts';
import { findTargets, findTargetsByIds } from './target.repository.ts';
import { setTarget } from './target.service.ts';

const YEAR_RANGE = 'year must be 2000 to 2100';

/**
 * Targets as Relay nodes: programme-wide ones open to every signed-in viewer, a partnership's
 * only to those who see the partnership.
 */
export const Target = databaseNodeRef('Target', 'target', (context, ids) =>
  findTargetsByIds(context.db, ids, accessOf(context)),
);

Target.implement({
  description: 'What an indicator should reach in a year, programme-wide or for one partnership.',
  fields: (t) => ({
    indicator: t.field({
      type: Indicator,
      description: 'The indicator.',
      resolve: (target) => target.indicator_id,
    }),
    year: t.exposeInt('year', { description: 'The year the target is for.' }),
    partnership: t.field({
      type: Partnership,
      nullable: true,
      description: 'The partnership; null for a programme-wide target.',
      resolve: (target) => target.partnership_id,
    }),
    baseline: t.exposeFloat('baseline', {
      nullable: true,
      description: 'Where the indicator started.',
    }),
    target: t.exposeFloat('target', {
      description: 'What it should reach by the end of the year.',
    }),
    updatedAt: t.field({
      type: 'DateTime',
      description: 'When the target was last set.',
      resolve: (target) => target.updated_at,
    }),
  }),
});

/**
 * Which targets the arguments of `targets` select by partnership: one partnership's (its
 * database id), programme-wide ones (null), any (undefined), or none at all (an id that names no
 * partnership, or a partnership asked for together with `programmeWide: true`).
 */
function partnershipFilter(args: {
  partnershipId?: string | null | undefined;
  programmeWide?: boolean | null | undefined;
}): number | null | undefined | 'none' {
  if (args.partnershipId != null) {
    const id = decodeNodeId(args.partnershipId, 'Partnership');
    return id === null || args.programmeWide === true ? 'none' : id;
  }
  if (args.programmeWide === true) return null;
  return undefined;
}

builder.queryField('targets', (t) =>
  t.field({
    type: [Target],
    description:
      'The targets set, programme-wide and for the partnerships the viewer sees, by indicator and year.',
    authScopes: { signedIn: true },
    args: {
      indicatorCode: t.arg.string({
        required: false,
        description: 'Only targets of this indicator.',
      }),
      year: t.arg.int({
        required: false,
        description: 'Only targets for this year.',
        // targets are set for these years only, and the column (smallint) takes no other
        validate: z.number().int().min(2000, YEAR_RANGE).max(2100, YEAR_RANGE),
      }),
      partnershipId: t.arg.id({
        required: false,
        description: 'Only the targets of this partnership (programme-wide ones left out).',
      }),
      programmeWide: t.arg.boolean({
        required: false,
        description: 'Only the programme-wide targets (with true).',
      }),
    },
    resolve: async (_root, args, context) => {
      let indicatorId: number | undefined;
      if (args.indicatorCode != null) {
        const [indicator] = await findIndicatorKeysByCodes(context.db, [args.indicatorCode.trim()]);
        if (!indicator) return [];
        indicatorId = indicator.id;
      }
      const partnership = partnershipFilter(args);
      if (partnership === 'none') return [];
      return findTargets(
        context.db,
        { indicatorId, year: args.year ?? undefined, partnershipId: partnership },
        accessOf(context),
      );
    },
  }),
);

const SetTargetInput = builder.inputType('SetTargetInput', {
  description: 'The target of an indicator for a year, programme-wide or for one partnership.',
  fields: (t) => ({
    indicatorCode: t.string({ required: true, description: 'The indicator, e.g. "U1".' }),
    year: t.int({ required: true, description: 'The year, 2000 to 2100.' }),
    partnershipId: t.id({
      required: false,
      description: 'The partnership; none for a programme-wide target.',
    }),
    baseline: t.float({ required: false, description: 'Where the indicator started (0 or more).' }),
    target: t.float({
      required: true,
      description: 'What it should reach (0 or more; 100 at most for a percentage).',
    }),
  }),
});

const SetTargetPayload = payloadType(
  'SetTarget',
  'target',
  Target,
  'The target as set, or why it was not.',
);

builder.mutationField('setTarget', (t) =>
  t.field({
    type: SetTargetPayload,
    description:
      'Sets a target: creates it, or changes the one of the same indicator, year and partnership. ' +
      'SKEW evaluation and administration only.',
    args: { input: t.arg({ type: SetTargetInput, required: true, description: 'The target.' }) },
    resolve: async (_root, { input }, context) =>
      toPayload(await setTarget(context, input), 'target'),
  }),
);
