import { createContextCache } from '@pothos/core';
import { type DefaultConnectionArguments, resolveArrayConnection } from '@pothos/plugin-relay';
import type { Scope } from '@udx/indicators/engine';
import DataLoader from 'dataloader';
import { z } from 'zod';
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import { type Access, accessOf } from '../city/city.access.ts';
import { City } from '../city/city.schema.ts';
import { Department } from '../department/department.schema.ts';
import { Partnership } from '../partnership/partnership.schema.ts';
import { SdgGoal, SdgTarget } from '../sdg/sdg.schema.ts';
import { groupRows } from '../shared/batch.ts';
import {
  checkCursors,
  MAX_PAGE_SIZE,
  resolveKeyedConnection,
  resolveTotalCount,
} from '../shared/connection.ts';
import { cachedFigure } from '../shared/figure-cache.ts';
import { toPayload } from '../shared/mutation.ts';
import { databaseNodeRef } from '../shared/node-ref.ts';
import type { ListKey, Page } from '../shared/paging.ts';
import { parseScope, ScopeInput, type ScopeInputShape } from '../shared/scope.ts';
import type { Executor } from '../shared/transaction.ts';
import { payloadType } from '../shared/user-error.ts';
import { Topic, TopicCode } from '../topic/topic.schema.ts';
import {
  type ActivityFilter,
  countExchangesInScope,
  type ExchangeRow,
  findDepartmentsOfExchanges,
  findExchangesByIds,
  findExchangesInScope,
  findExchangesOfPartnerships,
  findSdgGoalsOfExchanges,
  findSdgTargetsOfExchanges,
  findTopicsOfExchanges,
} from './exchange.repository.ts';
import {
  deleteExchange,
  recordExchange,
  updateExchange,
  viewerMayEditRecordOf,
} from './exchange.service.ts';

export const ExchangeKind = builder.enumType('ExchangeKind', {
  description: 'What kind of exchange took place (docs/methodology.md, "The data model").',
  values: {
    TECHNICAL: {
      description: 'Specialists of city departments working on a topic (Fachaustausch).',
    },
    POLITICAL: { description: 'Direct dialogue between city leaders: mayors, councils.' },
  } as const,
});

export const ExchangeFormat = builder.enumType('ExchangeFormat', {
  description: 'How the participants met.',
  values: {
    IN_PERSON: { description: 'In person, in the host city.' },
    VIRTUAL: { description: 'Online only.' },
    HYBRID: { description: 'In person with participants joining online.' },
  } as const,
});

export const GovernanceLevel = builder.enumType('GovernanceLevel', {
  description: 'A level of government whose actors took part in an exchange.',
  values: {
    MUNICIPAL: { description: 'The cities themselves.' },
    SUBNATIONAL: { description: 'States, regions, counties (Länder, US states, UK nations).' },
    NATIONAL: { description: 'National governments and agencies.' },
    INTERNATIONAL: { description: 'International organisations and networks.' },
  } as const,
});

/**
 * Exchanges as Relay nodes. The loader only returns exchanges of partnerships the viewer may
 * see; any other id answers "not found", exactly like an id that does not exist.
 */
export const Exchange = databaseNodeRef('Exchange', 'exchange', (context, ids) =>
  findExchangesByIds(context.db, ids, accessOf(context)),
);

Exchange.implement({
  description: 'A technical or political exchange within a partnership.',
  fields: (t) => ({
    partnership: t.field({
      type: Partnership,
      description: 'The partnership the exchange belongs to.',
      resolve: (exchange) => exchange.partnership_id,
    }),
    kind: t.field({
      type: ExchangeKind,
      description: 'Technical or political.',
      resolve: (exchange) => exchange.kind,
    }),
    format: t.field({
      type: ExchangeFormat,
      description: 'In person, virtual or hybrid.',
      resolve: (exchange) => exchange.format,
    }),
    title: t.exposeString('title', { description: 'What the exchange was about, in a line.' }),
    startsOn: t.field({
      type: 'Date',
      description: 'The first day; it decides the period the exchange counts in.',
      resolve: (exchange) => exchange.starts_on,
    }),
    endsOn: t.field({
      type: 'Date',
      nullable: true,
      description: 'The last day, when it lasted more than one day.',
      resolve: (exchange) => exchange.ends_on,
    }),
    hostCity: t.field({
      type: City,
      description: "The city that hosted it, one of the partnership's two.",
      resolve: (exchange) => exchange.host_city_id,
    }),
    departments: t.loadableList({
      type: Department,
      description: 'The departments of either city that took part.',
      load: async (ids: number[], context) =>
        groupRows(ids, await findDepartmentsOfExchanges(context.db, ids), (r) => r.exchange_id),
      resolve: (exchange) => exchange.id,
    }),
    participantCount: t.exposeInt('participant_count', {
      description: 'How many people took part.',
    }),
    governanceLevels: t.field({
      type: [GovernanceLevel],
      description: 'The levels of government involved; MUNICIPAL at least.',
      resolve: (exchange) => exchange.governance_levels,
    }),
    topics: t.loadableList({
      type: Topic,
      description: 'The topics worked on, in display order.',
      load: async (ids: number[], context) =>
        groupRows(ids, await findTopicsOfExchanges(context.db, ids), (r) => r.exchange_id),
      resolve: (exchange) => exchange.id,
    }),
    sdgTargets: t.loadableList({
      type: SdgTarget,
      description: 'The SDG targets addressed, in the official order.',
      load: async (ids: number[], context) =>
        groupRows(ids, await findSdgTargetsOfExchanges(context.db, ids), (r) => r.exchange_id),
      resolve: (exchange) => exchange.id,
    }),
    sdgs: t.loadableList({
      type: SdgGoal,
      description:
        'The SDGs the exchange addresses: the goals of its SDG targets together with the ' +
        'default goals of its topics, in goal order.',
      load: async (ids: number[], context) =>
        groupRows(ids, await findSdgGoalsOfExchanges(context.db, ids), (r) => r.exchange_id),
      resolve: (exchange) => exchange.id,
    }),
    viewerCanEdit: t.boolean({
      description:
        'Whether the viewer may change or delete the exchange: city editors of either city of its ' +
        'partnership and SKEW administration. The mutations check the same rule again.',
      resolve: (row, _args, context) => viewerMayEditRecordOf(context, row.partnership_id),
    }),
    isDemo: t.exposeBoolean('is_demo', {
      description: 'True for the synthetic demo data set; its figures are not real.',
    }),
  }),
});

/** A page of exchanges; shared by `Query.exchanges` and `Partnership.exchanges`. */
export const ExchangeConnection = builder.connectionObject(
  {
    type: Exchange,
    name: 'ExchangeConnection',
    description: 'A page of exchanges.',
    fields: (c) => ({
      totalCount: c.int({
        description: 'How many exchanges the whole list has.',
        resolve: resolveTotalCount,
      }),
    }),
  },
  { name: 'ExchangeEdge', description: 'An exchange in a list.' },
);

/**
 * The arguments of the lists of exchanges and of outcomes (`Query.exchanges`, `Query.outcomes`),
 * `noun` naming the records: a scope and an SDG, so that both lists are selected by the same
 * rules (docs/methodology.md, "Who sees which figure").
 */
export function activityListArgs(noun: string) {
  return builder.args((t) => ({
    scope: t.field({ type: ScopeInput, required: false, description: `Which ${noun}.` }),
    sdg: t.int({
      required: false,
      description: `Only ${noun} addressing this SDG (1–17).`,
      validate: z.number().int().min(1, 'sdg must be 1 to 17').max(17, 'sdg must be 1 to 17'),
    }),
  }));
}

/** A count of a list of exchanges or outcomes, by the list's scope and filter within a reach. */
type ActivityCount = (
  db: Executor,
  scope: Scope,
  reach: Access,
  filter: ActivityFilter,
) => Promise<number>;

/** How a list of exchanges or outcomes is read: its two repository queries and its order. */
interface ActivityList<Row> {
  find: (
    db: Executor,
    scope: Scope,
    reach: Access,
    page: Page,
    filter: ActivityFilter,
  ) => Promise<Row[]>;
  count: ActivityCount;
  /** The name its count is kept under among the computed figures. */
  countName: string;
  /** Where a row lies in the list (latest first by its date, then by id): its cursor's key. */
  keyOf: (row: Row) => ListKey;
}

/**
 * One page of a list of exchanges or outcomes, as `activityListArgs` select it within the
 * viewer's reach, with its count. The page after a cursor starts after the cursor's row
 * (resolveKeyedConnection), so that a deep page costs what the first does. The count is kept
 * as a figure of the data version (`cachedFigure`): counting a national programme's 200,000
 * exchanges costs more than the page itself, and the same count serves every page of the list
 * until the data changes.
 */
export function resolveActivityList<Row>(
  args: DefaultConnectionArguments & { scope?: ScopeInputShape | null; sdg?: number | null },
  context: Context,
  list: ActivityList<Row>,
) {
  const scope = parseScope(args.scope);
  const access = accessOf(context);
  const filter = { sdg: args.sdg ?? undefined };
  return resolveKeyedConnection(
    args,
    (page) => list.find(context.db, scope, access, page, filter),
    () =>
      cachedFigure(context, list.countName, { scope, filter }, () =>
        list.count(context.db, scope, access, filter),
      ),
    list.keyOf,
  );
}

builder.queryField('exchanges', (t) =>
  t.connection(
    {
      type: Exchange,
      description:
        'The exchanges of a scope, latest first (by start date). A period (`from`, `to`) ' +
        "selects by start date. A city account sees its own city's partnerships only.",
      authScopes: { signedIn: true },
      args: activityListArgs('exchanges'),
      resolve: (_root, args, context) =>
        resolveActivityList(args, context, {
          find: findExchangesInScope,
          count: countExchangesInScope,
          countName: 'exchangeListCount',
          keyOf: (exchange) => ({ date: exchange.starts_on, id: exchange.id }),
        }),
    },
    ExchangeConnection,
  ),
);

/** The exchanges of partnerships, one query per request however many partnerships are listed. */
const exchangesOfPartnership = createContextCache(
  (context: Context) =>
    new DataLoader<number, ExchangeRow[]>(async (ids) =>
      groupRows(ids, await findExchangesOfPartnerships(context.db, ids), (r) => r.partnership_id),
    ),
);

builder.objectField(Partnership, 'exchanges', (t) =>
  t.connection(
    {
      type: Exchange,
      description: 'The exchanges of the partnership, latest first (by start date).',
      resolve: async (partnership, args, context) => {
        checkCursors(args);
        const rows = await exchangesOfPartnership(context).load(partnership.id);
        const connection = resolveArrayConnection({ args, maxSize: MAX_PAGE_SIZE }, rows);
        return { ...connection, totalCount: () => Promise.resolve(rows.length) };
      },
    },
    ExchangeConnection,
  ),
);

const RecordExchangeInput = builder.inputType('RecordExchangeInput', {
  description: 'An exchange to record.',
  fields: (t) => ({
    partnershipId: t.id({ required: true, description: 'The partnership it belongs to.' }),
    kind: t.field({ type: ExchangeKind, required: true, description: 'Technical or political.' }),
    format: t.field({
      type: ExchangeFormat,
      required: true,
      description: 'In person, virtual or hybrid.',
    }),
    title: t.string({
      required: true,
      description: 'What it was about, in a line (300 characters at most).',
    }),
    startsOn: t.field({ type: 'Date', required: true, description: 'The first day.' }),
    endsOn: t.field({
      type: 'Date',
      required: false,
      description: 'The last day; not before startsOn.',
    }),
    hostCityId: t.id({
      required: true,
      description: "The host city: one of the partnership's two cities.",
    }),
    departmentIds: t.idList({
      required: true,
      description: "The departments that took part, of either of the partnership's cities.",
    }),
    participantCount: t.int({
      required: true,
      description: 'How many people took part (0 or more).',
    }),
    governanceLevels: t.field({
      type: [GovernanceLevel],
      required: true,
      description: 'The levels of government involved; at least one.',
    }),
    topics: t.field({ type: [TopicCode], required: true, description: 'The topics worked on.' }),
    sdgTargets: t.stringList({
      required: true,
      description: 'The SDG targets addressed, by code (e.g. "11.6").',
    }),
  }),
});

const UpdateExchangeInput = builder.inputType('UpdateExchangeInput', {
  description:
    'Changes to an exchange. Only the fields given change; `endsOn: null` clears the end date. ' +
    'A list given replaces the whole list.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The exchange to change.' }),
    kind: t.field({ type: ExchangeKind, required: false, description: 'Technical or political.' }),
    format: t.field({
      type: ExchangeFormat,
      required: false,
      description: 'In person, virtual or hybrid.',
    }),
    title: t.string({ required: false, description: 'What it was about, in a line.' }),
    startsOn: t.field({ type: 'Date', required: false, description: 'The first day.' }),
    endsOn: t.field({
      type: 'Date',
      required: false,
      description: 'The last day; null clears it.',
    }),
    hostCityId: t.id({
      required: false,
      description: "The host city: one of the partnership's two cities.",
    }),
    departmentIds: t.idList({ required: false, description: 'The departments that took part.' }),
    participantCount: t.int({
      required: false,
      description: 'How many people took part (0 or more).',
    }),
    governanceLevels: t.field({
      type: [GovernanceLevel],
      required: false,
      description: 'The levels of government involved; at least one.',
    }),
    topics: t.field({ type: [TopicCode], required: false, description: 'The topics worked on.' }),
    sdgTargets: t.stringList({
      required: false,
      description: 'The SDG targets addressed, by code.',
    }),
  }),
});

const DeleteExchangeInput = builder.inputType('DeleteExchangeInput', {
  description: 'The exchange to delete.',
  fields: (t) => ({ id: t.id({ required: true, description: 'The exchange to delete.' }) }),
});

const RecordExchangePayload = payloadType(
  'RecordExchange',
  'exchange',
  Exchange,
  'The exchange recorded, or why it was not.',
);
const UpdateExchangePayload = payloadType(
  'UpdateExchange',
  'exchange',
  Exchange,
  'The exchange as changed, or why it was not.',
);
const DeleteExchangePayload = payloadType(
  'DeleteExchange',
  'exchange',
  Exchange,
  'The exchange as it was before it was deleted, or why it was not.',
);

builder.mutationField('recordExchange', (t) =>
  t.field({
    type: RecordExchangePayload,
    description:
      "Records an exchange. City staff record exchanges of their own city's partnerships, SKEW " +
      'administration of any.',
    args: {
      input: t.arg({ type: RecordExchangeInput, required: true, description: 'The exchange.' }),
    },
    resolve: async (_root, { input }, context) =>
      toPayload(await recordExchange(context, input), 'exchange'),
  }),
);

builder.mutationField('updateExchange', (t) =>
  t.field({
    type: UpdateExchangePayload,
    description: 'Changes an exchange: only the fields given. Same rights as recordExchange.',
    args: {
      input: t.arg({ type: UpdateExchangeInput, required: true, description: 'The changes.' }),
    },
    resolve: async (_root, { input }, context) =>
      toPayload(await updateExchange(context, input), 'exchange'),
  }),
);

builder.mutationField('deleteExchange', (t) =>
  t.field({
    type: DeleteExchangePayload,
    description:
      'Deletes an exchange. Outcomes it produced stay with the partnership. Same rights as recordExchange.',
    args: {
      input: t.arg({ type: DeleteExchangeInput, required: true, description: 'Which exchange.' }),
    },
    resolve: async (_root, { input }, context) =>
      toPayload(await deleteExchange(context, input), 'exchange'),
  }),
);
