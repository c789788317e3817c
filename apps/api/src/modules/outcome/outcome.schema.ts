import { builder } from '../../builder.ts';
import { accessOf } from '../city/city.access.ts';
import { activityListArgs, Exchange, resolveActivityList } from '../exchange/exchange.schema.ts';
import { viewerMayEditRecordOf } from '../exchange/exchange.service.ts';
import { Partnership } from '../partnership/partnership.schema.ts';
import { SdgGoal, SdgTarget } from '../sdg/sdg.schema.ts';
import { groupRows } from '../shared/batch.ts';
import { resolveTotalCount } from '../shared/connection.ts';
import { cachedFigure } from '../shared/figure-cache.ts';
import { toPayload } from '../shared/mutation.ts';
import { databaseNodeRef } from '../shared/node-ref.ts';
import { parseScope } from '../shared/scope.ts';
import { payloadType } from '../shared/user-error.ts';
import {
  countOutcomesCountedInScope,
  countOutcomesInScope,
  findOutcomesByIds,
  findOutcomesInScope,
  findOutcomesOfExchanges,
  findOutcomesOfPartnerships,
  findSdgGoalsOfOutcomes,
  findSdgTargetsOfOutcomes,
} from './outcome.repository.ts';
import { deleteOutcome, recordOutcome, updateOutcome } from './outcome.service.ts';

export const OutcomeKind = builder.enumType('OutcomeKind', {
  description: 'What a partnership achieved or set out to achieve.',
  values: {
    NEW_APPROACH: { description: 'A concrete new approach for cooperation.' },
    JOINT_PROJECT: { description: 'A project the two cities carry out together.' },
    AGREEMENT: { description: 'A partnership agreement or memorandum.' },
    POLICY_CHANGE: { description: 'A change of local policy inspired by the exchange.' },
    KNOWLEDGE_PRODUCT: { description: 'A guide, study, toolkit or similar publication.' },
    FOLLOW_UP: { description: 'A follow-up activity.' },
  } as const,
});

export const OutcomeStatus = builder.enumType('OutcomeStatus', {
  description: 'How far an outcome has come.',
  values: {
    PLANNED: { description: 'Agreed, not started.' },
    IN_PROGRESS: { description: 'Under way.' },
    ACHIEVED: { description: 'Done.' },
    DROPPED: { description: 'Given up; it no longer counts in the figures.' },
  } as const,
});

/**
 * Outcomes as Relay nodes. The loader only returns outcomes of partnerships the viewer may see;
 * any other id answers "not found".
 */
export const Outcome = databaseNodeRef('Outcome', 'outcome', (context, ids) =>
  findOutcomesByIds(context.db, ids, accessOf(context)),
);

Outcome.implement({
  description: 'A result of a partnership, optionally produced by one of its exchanges.',
  fields: (t) => ({
    partnership: t.field({
      type: Partnership,
      description: 'The partnership the outcome belongs to.',
      resolve: (outcome) => outcome.partnership_id,
    }),
    exchange: t.field({
      type: Exchange,
      nullable: true,
      description: 'The exchange that produced it, if one did.',
      resolve: (outcome) => outcome.exchange_id,
    }),
    kind: t.field({
      type: OutcomeKind,
      description: 'What kind of outcome.',
      resolve: (o) => o.kind,
    }),
    status: t.field({
      type: OutcomeStatus,
      description: 'How far it has come.',
      resolve: (o) => o.status,
    }),
    title: t.exposeString('title', { description: 'The outcome, in a line.' }),
    description: t.exposeString('description', { nullable: true, description: 'More about it.' }),
    date: t.field({
      type: 'Date',
      description: 'When it was reached or agreed; it decides the period the outcome counts in.',
      resolve: (outcome) => outcome.date,
    }),
    sdgTargets: t.loadableList({
      type: SdgTarget,
      description: 'The SDG targets it addresses, in the official order.',
      load: async (ids: number[], context) =>
        groupRows(ids, await findSdgTargetsOfOutcomes(context.db, ids), (r) => r.outcome_id),
      resolve: (outcome) => outcome.id,
    }),
    sdgs: t.loadableList({
      type: SdgGoal,
      description: 'The SDGs it addresses: the goals of its SDG targets, in goal order.',
      load: async (ids: number[], context) =>
        groupRows(ids, await findSdgGoalsOfOutcomes(context.db, ids), (r) => r.outcome_id),
      resolve: (outcome) => outcome.id,
    }),
    viewerCanEdit: t.boolean({
      description:
        'Whether the viewer may change or delete the outcome: city editors of either city of its ' +
        'partnership and SKEW administration. The mutations check the same rule again.',
      resolve: (row, _args, context) => viewerMayEditRecordOf(context, row.partnership_id),
    }),
    isDemo: t.exposeBoolean('is_demo', {
      description: 'True for the synthetic demo data set; its figures are not real.',
    }),
  }),
});

builder.objectField(Exchange, 'outcomes', (t) =>
  t.loadableList({
    type: Outcome,
    description: 'The outcomes the exchange produced, latest first.',
    load: async (ids: number[], context) =>
      groupRows(ids, await findOutcomesOfExchanges(context.db, ids), (r) => r.exchange_id ?? 0),
    resolve: (exchange) => exchange.id,
  }),
);

builder.objectField(Partnership, 'outcomes', (t) =>
  t.loadableList({
    type: Outcome,
    description: 'The outcomes of the partnership, latest first.',
    load: async (ids: number[], context) =>
      groupRows(ids, await findOutcomesOfPartnerships(context.db, ids), (r) => r.partnership_id),
    resolve: (partnership) => partnership.id,
  }),
);

builder.queryField('outcomes', (t) =>
  t.connection(
    {
      type: Outcome,
      description:
        'The outcomes of a scope, latest first (by date). A period (`from`, `to`) selects by ' +
        "date. A city account sees its own city's partnerships only.",
      authScopes: { signedIn: true },
      args: activityListArgs('outcomes'),
      resolve: async (_root, args, context) => {
        const connection = await resolveActivityList(args, context, {
          find: findOutcomesInScope,
          count: countOutcomesInScope,
          countName: 'outcomeListCount',
          keyOf: (outcome) => ({ date: outcome.date, id: outcome.id }),
        });
        const scope = parseScope(args.scope);
        const filter = { sdg: args.sdg ?? undefined };
        const counted = () =>
          cachedFigure(context, 'outcomeListCountedCount', { scope, filter }, () =>
            countOutcomesCountedInScope(context.db, scope, accessOf(context), filter),
          );
        return { ...connection, countedCount: counted };
      },
    },
    {
      name: 'OutcomeConnection',
      description: 'A page of outcomes.',
      fields: (c) => ({
        totalCount: c.int({
          description: 'How many outcomes the whole list has, dropped ones included.',
          resolve: resolveTotalCount,
        }),
        countedCount: c.int({
          description:
            'How many outcomes of the whole list count in the figures: all but the dropped ' +
            "ones, as the totals' outcomes for the same scope and period count them.",
          resolve: (connection) =>
            (connection as { countedCount: () => Promise<number> }).countedCount(),
        }),
      }),
    },
    { name: 'OutcomeEdge', description: 'An outcome in a list.' },
  ),
);

const RecordOutcomeInput = builder.inputType('RecordOutcomeInput', {
  description: 'An outcome to record.',
  fields: (t) => ({
    partnershipId: t.id({ required: true, description: 'The partnership it belongs to.' }),
    exchangeId: t.id({
      required: false,
      description: 'The exchange that produced it: an exchange of the same partnership.',
    }),
    kind: t.field({ type: OutcomeKind, required: true, description: 'What kind of outcome.' }),
    status: t.field({ type: OutcomeStatus, required: true, description: 'How far it has come.' }),
    title: t.string({
      required: true,
      description: 'The outcome, in a line (300 characters at most).',
    }),
    description: t.string({ required: false, description: 'More about it.' }),
    date: t.field({ type: 'Date', required: true, description: 'When it was reached or agreed.' }),
    sdgTargets: t.stringList({
      required: true,
      description: 'The SDG targets it addresses, by code (e.g. "11.6").',
    }),
  }),
});

const UpdateOutcomeInput = builder.inputType('UpdateOutcomeInput', {
  description:
    'Changes to an outcome. Only the fields given change; `description: null` clears it. A list ' +
    'given replaces the whole list.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The outcome to change.' }),
    kind: t.field({ type: OutcomeKind, required: false, description: 'What kind of outcome.' }),
    status: t.field({ type: OutcomeStatus, required: false, description: 'How far it has come.' }),
    title: t.string({ required: false, description: 'The outcome, in a line.' }),
    description: t.string({ required: false, description: 'More about it; null clears it.' }),
    date: t.field({ type: 'Date', required: false, description: 'When it was reached or agreed.' }),
    sdgTargets: t.stringList({
      required: false,
      description: 'The SDG targets it addresses, by code.',
    }),
  }),
});

const DeleteOutcomeInput = builder.inputType('DeleteOutcomeInput', {
  description: 'The outcome to delete.',
  fields: (t) => ({ id: t.id({ required: true, description: 'The outcome to delete.' }) }),
});

const RecordOutcomePayload = payloadType(
  'RecordOutcome',
  'outcome',
  Outcome,
  'The outcome recorded, or why it was not.',
);
const UpdateOutcomePayload = payloadType(
  'UpdateOutcome',
  'outcome',
  Outcome,
  'The outcome as changed, or why it was not.',
);

const DeleteOutcomePayload = payloadType(
  'DeleteOutcome',
  'outcome',
  Outcome,
  'The outcome as it was before it was deleted, or why it was not.',
);

builder.mutationField('recordOutcome', (t) =>
  t.field({
    type: RecordOutcomePayload,
    description:
      "Records an outcome. City staff record outcomes of their own city's partnerships, SKEW " +
      'administration of any.',
    args: {
      input: t.arg({ type: RecordOutcomeInput, required: true, description: 'The outcome.' }),
    },
    resolve: async (_root, { input }, context) =>
      toPayload(await recordOutcome(context, input), 'outcome'),
  }),
);

builder.mutationField('updateOutcome', (t) =>
  t.field({
    type: UpdateOutcomePayload,
    description: 'Changes an outcome: only the fields given. Same rights as recordOutcome.',
    args: {
      input: t.arg({ type: UpdateOutcomeInput, required: true, description: 'The changes.' }),
    },
    resolve: async (_root, { input }, context) =>
      toPayload(await updateOutcome(context, input), 'outcome'),
  }),
);

builder.mutationField('deleteOutcome', (t) =>
  t.field({
    type: DeleteOutcomePayload,
    description: 'Deletes an outcome. Same rights as recordOutcome.',
    args: {
      input: t.arg({ type: DeleteOutcomeInput, required: true, description: 'Which outcome.' }),
    },
    resolve: async (_root, { input }, context) =>
      toPayload(await deleteOutcome(context, input), 'outcome'),
  }),
);
