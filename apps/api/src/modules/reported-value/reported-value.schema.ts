import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { builder } from '../../builder.ts';
import { type Context, SKEW_ROLES } from '../../context.ts';
import { City } from '../city/city.schema.ts';
import { findIndicatorKeysByCodes } from '../indicator/indicator.repository.ts';
import { Indicator } from '../indicator/indicator.schema.ts';
import { resolveCountedConnection, resolveTotalCount } from '../shared/connection.ts';
import { decodeNodeId } from '../shared/global-id.ts';
import { toPayload } from '../shared/mutation.ts';
import { databaseNodeRef } from '../shared/node-ref.ts';
import { payloadType } from '../shared/user-error.ts';
import {
  countReportedValues,
  findDisplayNames,
  findPreviousValues,
  findReportedValuesByIds,
  findReportedValuesPage,
  periodKey,
  type ReportedValueFilter,
  type ReportedValueRow,
} from './reported-value.repository.ts';
import {
  proposeCorrection,
  reportValues,
  reviewValue,
  UNDO_MINUTES,
  undoReview,
  valueReachOf,
} from './reported-value.service.ts';

const YEAR_RANGE = 'year must be 2000 to 2100';

export const ValueStatus = builder.enumType('ValueStatus', {
  description: 'Where a reported value stands in review.',
  values: {
    DRAFT: { description: 'Entered, not yet submitted.' },
    SUBMITTED: { description: 'Waiting for review by SKEW.' },
    APPROVED: { description: 'Reviewed and accepted; official figures use approved values only.' },
    REJECTED: { description: 'Reviewed and sent back, with a reason.' },
  } as const,
});

export const ReviewDecision = builder.enumType('ReviewDecision', {
  description: 'The outcome of reviewing a reported value.',
  values: {
    APPROVE: { description: 'Accept the value.' },
    REJECT: { description: 'Send it back; a reason is required.' },
  } as const,
});

/**
 * Reported values as Relay nodes. The loader only returns values the viewer may read (SKEW all,
 * the Foreign Office approved ones, a city account its own city's and its partner cities'
 * approved ones: `valueReachOf`); any other id answers "not found".
 */
export const ReportedValue = databaseNodeRef('ReportedValue', 'reported value', (context, ids) =>
  findReportedValuesByIds(context.db, ids, valueReachOf(context.viewer)),
);

/** The names of the accounts that entered values: one query per request for a whole list. */
const displayNames = createContextCache(
  (context: Context) =>
    new DataLoader<number, string | null>(async (ids) => {
      const names = await findDisplayNames(context.db, ids);
      return ids.map((id) => names.get(id) ?? null);
    }),
);

/** Each value's value of the year before: one query per request for a whole list. */
const previousValues = createContextCache(
  (context: Context) =>
    new DataLoader<ReportedValueRow, ReportedValueRow | null, number>(
      async (rows) => {
        const found = await findPreviousValues(context.db, rows, valueReachOf(context.viewer));
        const byPeriod = new Map(found.map((row) => [periodKey(row), row]));
        return rows.map((row) => byPeriod.get(periodKey(row, 1)) ?? null);
      },
      { cacheKeyFn: (row) => row.id },
    ),
);

ReportedValue.implement({
  description: 'A figure a city reported for a REPORTED indicator, for a year or a quarter.',
  fields: (t) => ({
    indicator: t.field({
      type: Indicator,
      description: 'The indicator the value is for.',
      resolve: (value) => value.indicator_id,
    }),
    city: t.field({
      type: City,
      description: 'The city that reported it.',
      resolve: (value) => value.city_id,
    }),
    year: t.exposeInt('year', { description: 'The year the value is for.' }),
    quarter: t.exposeInt('quarter', {
      nullable: true,
      description: 'The quarter (1 to 4) the value is for; null for the whole year.',
    }),
    value: t.exposeFloat('value', {
      nullable: true,
      description: 'The count, for a COUNT indicator.',
    }),
    numerator: t.exposeFloat('numerator', {
      nullable: true,
      description: 'For a PERCENT indicator: how many (e.g. participants answering yes).',
    }),
    denominator: t.exposeFloat('denominator', {
      nullable: true,
      description: 'For a PERCENT indicator: out of how many (e.g. survey respondents).',
    }),
    percentage: t.float({
      nullable: true,
      description: 'For a PERCENT indicator: numerator / denominator × 100.',
      resolve: (value) =>
        value.numerator !== null && value.denominator
          ? (value.numerator / value.denominator) * 100
          : null,
    }),
    note: t.exposeString('note', { nullable: true, description: 'What the city noted about it.' }),
    status: t.field({
      type: ValueStatus,
      description: 'Submitted, approved or rejected.',
      resolve: (value) => value.status,
    }),
    rejectionReason: t.exposeString('rejection_reason', {
      nullable: true,
      description: 'Why the value was rejected.',
    }),
    enteredAt: t.field({
      type: 'DateTime',
      description: 'When the value was last entered or submitted.',
      resolve: (value) => value.entered_at,
    }),
    reviewedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was approved or rejected.',
      resolve: (value) => value.reviewed_at,
    }),
    enteredByName: t.string({
      nullable: true,
      description:
        'The name (else the e-mail address) of the account that entered the value, for those ' +
        "who may see that account: SKEW, and the accounts of the value's own city; null for " +
        'anyone else.',
      resolve: (value, _args, context) => {
        const viewer = context.viewer;
        if (value.entered_by === null || !viewer) return null;
        const allowed = SKEW_ROLES.includes(viewer.role) || viewer.cityId === value.city_id;
        return allowed ? displayNames(context).load(value.entered_by) : null;
      },
    }),
    previousValue: t.field({
      type: ReportedValue,
      nullable: true,
      description:
        'The value of the same indicator and city for the year before (the same quarter of it ' +
        'for a quarterly value), if there is one the viewer may read.',
      resolve: (value, _args, context) => previousValues(context).load(value),
    }),
    corrects: t.field({
      type: ReportedValue,
      nullable: true,
      description:
        'For a correction proposal, the approved value it would replace; null for a value ' +
        'itself. Every figure counts the approved value until the proposal is approved.',
      resolve: (value) => value.corrects_id,
    }),
  }),
});

const ReportedValueOrder = builder.enumType('ReportedValueOrder', {
  description: 'The order of a list of reported values.',
  values: {
    WAITING_LONGEST: { description: 'Entered or submitted longest ago first.' },
    NEWEST: { description: 'Entered or submitted most recently first.' },
    CITY: { description: "By the city's name, then waiting longest first." },
    INDICATOR: { description: "By the indicator's code, then waiting longest first." },
    YEAR: { description: 'Latest year first, then waiting longest first.' },
  } as const,
});

builder.queryField('reportedValues', (t) =>
  t.connection(
    {
      type: ReportedValue,
      description:
        'Reported values, those waiting longest first unless `orderBy` says otherwise: the ' +
        'review queue with `status: SUBMITTED`, correction proposals among them. ' +
        "SKEW reads every value; the Foreign Office approved ones; a city account its own city's " +
        'and the approved values of its partner cities.',
      authScopes: { signedIn: true },
      args: {
        status: t.arg({
          type: ValueStatus,
          required: false,
          description: 'Only values in this state.',
        }),
        cityId: t.arg.id({ required: false, description: 'Only values of this city.' }),
        indicatorCode: t.arg.string({
          required: false,
          description: 'Only values of this indicator.',
        }),
        year: t.arg.int({
          required: false,
          description: 'Only values for this year.',
          // values are reported for these years only, and the column (smallint) takes no other
          validate: z.number().int().min(2000, YEAR_RANGE).max(2100, YEAR_RANGE),
        }),
        orderBy: t.arg({
          type: ReportedValueOrder,
          required: false,
          description: 'The order; waiting longest first unless given.',
        }),
      },
      resolve: async (_root, args, context) => {
        const filter: ReportedValueFilter = {
          status: args.status ?? undefined,
          year: args.year ?? undefined,
        };
        if (args.cityId != null) {
          const cityId = decodeNodeId(args.cityId, 'City');
          if (cityId === null) {
            throw new GraphQLError('cityId is not a city id', {
              extensions: { code: 'BAD_USER_INPUT', field: 'cityId' },
            });
          }
          filter.cityId = cityId;
        }
        if (args.indicatorCode != null) {
          const [indicator] = await findIndicatorKeysByCodes(context.db, [
            args.indicatorCode.trim(),
          ]);
          // an unknown code matches nothing, like any other filter
          filter.indicatorId = indicator?.id ?? 0;
        }
        const reach = valueReachOf(context.viewer);
        return resolveCountedConnection(
          args,
          (page) =>
            findReportedValuesPage(context.db, filter, reach, page, args.orderBy ?? undefined),
          () => countReportedValues(context.db, filter, reach),
        );
      },
    },
    {
      name: 'ReportedValueConnection',
      description: 'A page of reported values.',
      fields: (c) => ({
        totalCount: c.int({
          description: 'How many values the whole list has.',
          resolve: resolveTotalCount,
        }),
      }),
    },
    { name: 'ReportedValueEdge', description: 'A reported value in a list.' },
  ),
);

const ReportedValueInput = builder.inputType('ReportedValueInput', {
  description:
    'One value to report. A PERCENT indicator takes a numerator and a denominator, a COUNT ' +
    'indicator a value.',
  fields: (t) => reportedValueFields(t),
});

const ProposeCorrectionInput = builder.inputType('ProposeCorrectionInput', {
  description:
    'A corrected value for an APPROVED value: the same indicator, city and period, the ' +
    'corrected figures and a note saying why.',
  fields: (t) => reportedValueFields(t),
});

/** The field builder of an input type, for the fields two input types share. */
type InputFieldBuilder = Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0];

/** One reported value's fields: as reported (ReportedValueInput) and as proposed (ProposeCorrectionInput). */
function reportedValueFields(t: InputFieldBuilder) {
  return {
    indicatorCode: t.string({ required: true, description: 'A REPORTED indicator, e.g. "U5".' }),
    cityId: t.id({
      required: true,
      description: 'The reporting city; city staff report their own only.',
    }),
    year: t.int({ required: true, description: 'The year, 2000 to 2100.' }),
    quarter: t.int({
      required: false,
      description: 'The quarter, 1 to 4; none for the whole year.',
    }),
    value: t.float({
      required: false,
      description: 'The count (COUNT indicators): a whole number, 0 or more.',
    }),
    numerator: t.float({
      required: false,
      description: 'How many (PERCENT indicators): 0 or more, not more than the denominator.',
    }),
    denominator: t.float({
      required: false,
      description: 'Out of how many (PERCENT indicators): more than 0.',
    }),
    note: t.string({ required: false, description: 'A note for the reviewers.' }),
  };
}

const ReportValuesInput = builder.inputType('ReportValuesInput', {
  description: 'A batch of values, saved all together or not at all.',
  fields: (t) => ({
    values: t.field({
      type: [ReportedValueInput],
      required: true,
      description: 'The values (500 at most).',
    }),
  }),
});

const ReviewValueInput = builder.inputType('ReviewValueInput', {
  description: 'A review decision on a submitted value.',
  fields: (t) => ({
    valueId: t.id({ required: true, description: 'The reported value, which must be SUBMITTED.' }),
    decision: t.field({ type: ReviewDecision, required: true, description: 'Approve or reject.' }),
    reason: t.string({ required: false, description: 'Why; required to reject.' }),
  }),
});

const ReportValuesPayload = payloadType(
  'ReportValues',
  'values',
  [ReportedValue],
  'The values saved (in the order given), or why none was.',
);
const ReviewValuePayload = payloadType(
  'ReviewValue',
  'value',
  ReportedValue,
  'The value as reviewed, or why it was not.',
);

builder.mutationField('reportValues', (t) =>
  t.field({
    type: ReportValuesPayload,
    description:
      "Reports values, all or nothing, each SUBMITTED for review. City staff report their city's " +
      'values, SKEW administration any. Reporting a period again replaces a value not yet approved.',
    args: { input: t.arg({ type: ReportValuesInput, required: true, description: 'The values.' }) },
    resolve: async (_root, { input }, context) =>
      toPayload(await reportValues(context, input), 'values'),
  }),
);

builder.mutationField('reviewValue', (t) =>
  t.field({
    type: ReviewValuePayload,
    description: 'Approves or rejects a submitted value. SKEW evaluation and administration only.',
    args: {
      input: t.arg({ type: ReviewValueInput, required: true, description: 'The decision.' }),
    },
    resolve: async (_root, { input }, context) =>
      toPayload(await reviewValue(context, input), 'value'),
  }),
);

const UndoReviewInput = builder.inputType('UndoReviewInput', {
  description: 'A review decision to take back.',
  fields: (t) => ({
    valueId: t.id({
      required: true,
      description: `A value you approved or rejected in the last ${UNDO_MINUTES} minutes.`,
    }),
  }),
});

const UndoReviewPayload = payloadType(
  'UndoReview',
  'value',
  ReportedValue,
  'The value, SUBMITTED again, or why the decision stands.',
);

builder.mutationField('undoReview', (t) =>
  t.field({
    type: UndoReviewPayload,
    description:
      `Takes back an approval or rejection made by the same reviewer in the last ${UNDO_MINUTES} ` +
      'minutes: the value is SUBMITTED again. The approval of a correction cannot be taken back.',
    args: { input: t.arg({ type: UndoReviewInput, required: true, description: 'The value.' }) },
    resolve: async (_root, { input }, context) =>
      toPayload(await undoReview(context, input), 'value'),
  }),
);

const ProposeCorrectionPayload = payloadType(
  'ProposeCorrection',
  'value',
  ReportedValue,
  'The proposal (its `corrects` the approved value), or why it was not saved.',
);

builder.mutationField('proposeCorrection', (t) =>
  t.field({
    type: ProposeCorrectionPayload,
    description:
      'Proposes a corrected value for an APPROVED value, SUBMITTED for review. The approved value ' +
      'keeps counting in every figure until SKEW approves the proposal, which then replaces it; ' +
      'a rejected proposal leaves it as it was. Proposing again replaces the open proposal. City ' +
      "staff for their city's values, SKEW administration for any.",
    args: {
      input: t.arg({ type: ProposeCorrectionInput, required: true, description: 'The value.' }),
    },
    resolve: async (_root, { input }, context) =>
      toPayload(await proposeCorrection(context, input), 'value'),
  }),
);
