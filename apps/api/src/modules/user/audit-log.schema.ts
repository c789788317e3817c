import { builder } from '../../builder.ts';
import { City } from '../city/city.schema.ts';
import { resolveCountedConnection, resolveTotalCount } from '../shared/connection.ts';
import { parseGlobalId } from '../shared/global-id.ts';
import {
  type AuditLogFilter,
  type AuditLogRow,
  countAuditLog,
  findAuditLogPage,
} from './audit-log.repository.ts';
import { findUsersByIds } from './user.repository.ts';
import { User } from './user.schema.ts';

/** The table an object of the API is stored in, which is what audit entries name. */
const ENTITY_OF_TYPE: Readonly<Record<string, string>> = {
  City: 'city',
  Partnership: 'partnership',
  Department: 'department',
  Exchange: 'exchange',
  Outcome: 'outcome',
  ReportedValue: 'reported_value',
  Target: 'target',
  Indicator: 'indicator',
  User: 'app_user',
};

const AuditAction = builder.enumType('AuditAction', {
  description: 'What happened to a record.',
  values: {
    CREATE: { description: 'It was created.' },
    UPDATE: { description: 'It was changed.' },
    DELETE: { description: 'It was deleted.' },
  } as const,
});

const jsonText = (value: unknown): string | null =>
  value === null || value === undefined
    ? null
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

const AuditEntryRef = builder.objectRef<AuditLogRow>('AuditEntry').implement({
  description: 'One change in the append-only audit trail: who, when, what, before and after.',
  fields: (t) => ({
    id: t.id({ description: 'The number of the entry.', resolve: (entry) => entry.id }),
    at: t.field({
      type: 'DateTime',
      description: 'When the change was made.',
      resolve: (e) => e.at,
    }),
    actor: t.loadable({
      type: User,
      nullable: true,
      description: 'Who made the change; null for changes made by the system (e.g. data loading).',
      load: async (ids: number[], context) => {
        const rows = await findUsersByIds(context.db, ids);
        return ids.map((id) => rows.find((row) => row.id === id) ?? null);
      },
      resolve: (entry) => entry.actor_id,
    }),
    actorEmail: t.string({
      nullable: true,
      description: 'The e-mail address of who made the change.',
      resolve: (entry) => entry.actor_email,
    }),
    action: t.field({ type: AuditAction, description: 'What happened.', resolve: (e) => e.action }),
    entity: t.exposeString('entity', {
      description:
        'The kind of record, as stored: exchange, outcome, reported_value, target, app_user, ...',
    }),
    entityId: t.exposeString('entity_id', { description: 'The database id of the record.' }),
    cities: t.field({
      type: [City],
      description: 'The cities the record concerns.',
      resolve: (entry) => entry.city_ids,
    }),
    oldValues: t.string({
      nullable: true,
      description: 'The values before the change, as a JSON object; null for CREATE.',
      resolve: (entry) => jsonText(entry.old_values),
    }),
    newValues: t.string({
      nullable: true,
      description: 'The values after the change, as a JSON object; null for DELETE.',
      resolve: (entry) => jsonText(entry.new_values),
    }),
  }),
});

builder.queryField('auditLog', (t) =>
  t.connection(
    {
      type: AuditEntryRef,
      description:
        'The audit trail, newest first, with filters. SKEW (evaluation and administration) only.',
      authScopes: { skew: true },
      args: {
        entity: t.arg.string({
          required: false,
          description: 'Only entries about this kind of record (e.g. `exchange`, `app_user`).',
        }),
        entityId: t.arg.id({
          required: false,
          description:
            'Only entries about this record: its database id, or its global id (which names the kind too).',
        }),
        actorEmail: t.arg.string({
          required: false,
          description: 'Only changes made by this account.',
        }),
        from: t.arg({
          type: 'DateTime',
          required: false,
          description: 'Only changes at or after this time.',
        }),
        to: t.arg({
          type: 'DateTime',
          required: false,
          description: 'Only changes at or before this time.',
        }),
      },
      resolve: async (_root, args, context) => {
        const filter: AuditLogFilter = {
          entity: args.entity?.trim() || undefined,
          actorEmail: args.actorEmail?.trim().toLowerCase() || undefined,
          from: args.from ?? undefined,
          to: args.to ?? undefined,
        };
        if (args.entityId != null) {
          const raw = String(args.entityId).trim();
          let entityId = raw;
          if (!/^[0-9]+$/.test(raw)) {
            // not a global id: taken as it is
            const decoded = parseGlobalId(raw);
            const entity = decoded && ENTITY_OF_TYPE[decoded.typename];
            if (decoded && entity) {
              entityId = decoded.id;
              filter.entity ??= entity;
            }
          }
          filter.entityId = entityId;
        }
        return resolveCountedConnection(
          args,
          (page) => findAuditLogPage(context.db, filter, page),
          () => countAuditLog(context.db, filter),
        );
      },
    },
    {
      name: 'AuditEntryConnection',
      description: 'A page of the audit trail.',
      fields: (c) => ({
        totalCount: c.int({
          description: 'How many entries the whole filtered trail has.',
          resolve: resolveTotalCount,
        }),
      }),
    },
    { name: 'AuditEntryEdge', description: 'An entry in a page of the audit trail.' },
  ),
);
