import {
  countIndicatorRecords,
  findIndicatorRecords,
  type IndicatorRecord,
} from '@udx/indicators/engine';
import { isIndicatorCode } from '@udx/indicators/rules';
import { builder } from '../../builder.ts';
import { figuresFor } from '../dashboard/dashboard.service.ts';
import { Department } from '../department/department.schema.ts';
import { Exchange } from '../exchange/exchange.schema.ts';
import { Outcome } from '../outcome/outcome.schema.ts';
import { Partnership } from '../partnership/partnership.schema.ts';
import { ReportedValue } from '../reported-value/reported-value.schema.ts';
import { SdgTarget } from '../sdg/sdg.schema.ts';
import { resolveCountedConnection, resolveTotalCount } from '../shared/connection.ts';
import { parseScope, ScopeInput } from '../shared/scope.ts';
import { Topic } from '../topic/topic.schema.ts';
import { Indicator } from './indicator.schema.ts';

/**
 * The records behind an indicator's value (docs/methodology.md, "The records behind a figure"),
 * listed by the engine's own rule of the indicator, so that the list and the figure cannot
 * drift apart.
 */

const IndicatorRecordKind = builder.enumType('IndicatorRecordKind', {
  description: 'What the records behind an indicator are; each indicator has one kind.',
  values: {
    EXCHANGE: { description: 'Exchanges it counts or sums (U1, U2, U3, N3).' },
    OUTCOME: { description: 'Outcomes it counts (S2, S3, N2).' },
    PARTNERSHIP: { description: 'Partnerships with an exchange of the period (N1).' },
    TOPIC: { description: 'Topics worked on in exchanges of the period (U4).' },
    DEPARTMENT: {
      description: 'Departments, other than international offices, in exchanges (S1).',
    },
    SDG_TARGET: {
      description: 'SDG targets of exchanges and of outcomes not dropped (S4).',
    },
    DEPARTMENT_LINK: {
      description: 'Pairs of departments of the two cities that met in an exchange (N4).',
    },
    REPORTED_VALUE: { description: 'Reported values it pools or sums (U5, S5, N5).' },
  } as const,
});

const IndicatorRecordRef = builder.objectRef<IndicatorRecord>('IndicatorRecord').implement({
  description:
    'One record behind an indicator value. Exactly the fields of its kind are set: `exchange`, ' +
    '`outcome`, `partnership`, `topic`, `department`, `sdgTarget`, `germanDepartment` with ' +
    '`partnerDepartment`, or `reportedValue`.',
  fields: (t) => {
    const ofKind = (kind: IndicatorRecord['kind']) => (record: IndicatorRecord) =>
      record.kind === kind ? record.id : null;
    const codeOfKind = (kind: IndicatorRecord['kind']) => (record: IndicatorRecord) =>
      record.kind === kind ? record.code : null;
    return {
      kind: t.field({
        type: IndicatorRecordKind,
        description: 'What the record is.',
        resolve: (record) => record.kind,
      }),
      exchange: t.field({
        type: Exchange,
        nullable: true,
        description: 'The exchange, for records of kind EXCHANGE.',
        resolve: ofKind('EXCHANGE'),
      }),
      outcome: t.field({
        type: Outcome,
        nullable: true,
        description: 'The outcome, for records of kind OUTCOME.',
        resolve: ofKind('OUTCOME'),
      }),
      partnership: t.field({
        type: Partnership,
        nullable: true,
        description: 'The partnership, for records of kind PARTNERSHIP.',
        resolve: ofKind('PARTNERSHIP'),
      }),
      topic: t.field({
        type: Topic,
        nullable: true,
        description: 'The topic, for records of kind TOPIC.',
        resolve: codeOfKind('TOPIC'),
      }),
      department: t.field({
        type: Department,
        nullable: true,
        description: 'The department, for records of kind DEPARTMENT.',
        resolve: ofKind('DEPARTMENT'),
      }),
      sdgTarget: t.field({
        type: SdgTarget,
        nullable: true,
        description: 'The SDG target, for records of kind SDG_TARGET.',
        resolve: codeOfKind('SDG_TARGET'),
      }),
      germanDepartment: t.field({
        type: Department,
        nullable: true,
        description: "The German city's department of a DEPARTMENT_LINK.",
        resolve: ofKind('DEPARTMENT_LINK'),
      }),
      partnerDepartment: t.field({
        type: Department,
        nullable: true,
        description: "The partner city's department of a DEPARTMENT_LINK.",
        resolve: (record) =>
          record.kind === 'DEPARTMENT_LINK' ? record.partnerDepartmentId : null,
      }),
      reportedValue: t.field({
        type: ReportedValue,
        nullable: true,
        description: 'The reported value, for records of kind REPORTED_VALUE.',
        resolve: ofKind('REPORTED_VALUE'),
      }),
    };
  },
});

builder.objectField(Indicator, 'records', (t) =>
  t.connection(
    {
      type: IndicatorRecordRef,
      description:
        'The records behind the indicator value for a scope and its period, selected by the ' +
        'indicator\'s own rule (docs/methodology.md, "The records behind a figure"), paged. ' +
        'For a count of records (U1, U2, U4, S1–S4, N1–N4) `totalCount` equals the value; for ' +
        'a sum (U3, N5) or a pooled percentage (U5, S5) they are the records summed or pooled. ' +
        'Needs an account; the same rights as `Query.dashboard`: a city account only ever ' +
        "lists its own city's records.",
      authScopes: { signedIn: true },
      args: {
        scope: t.arg({ type: ScopeInput, required: false, description: 'What the value covers.' }),
        includeSubmitted: t.arg.boolean({
          required: false,
          defaultValue: false,
          description: 'SKEW only: list submitted reported values as well as approved ones.',
        }),
      },
      resolve: async (indicator, args, context) => {
        const code = indicator.code;
        const figures = await figuresFor(
          context,
          parseScope(args.scope),
          args.includeSubmitted ?? false,
        );
        const options = { reportedStatuses: figures.reportedStatuses };
        return resolveCountedConnection(
          args,
          async (page) =>
            isIndicatorCode(code)
              ? findIndicatorRecords(context.db, code, figures.scope, page, options)
              : [],
          async () =>
            isIndicatorCode(code)
              ? countIndicatorRecords(context.db, code, figures.scope, options)
              : 0,
        );
      },
    },
    {
      name: 'IndicatorRecordConnection',
      description: 'A page of the records behind an indicator value.',
      fields: (c) => ({
        totalCount: c.int({
          description: 'How many records the whole list has.',
          resolve: resolveTotalCount,
        }),
      }),
    },
    { name: 'IndicatorRecordEdge', description: 'A record behind an indicator value.' },
  ),
);
