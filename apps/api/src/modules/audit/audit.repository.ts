import type { AuditAction, AuditEntry } from '@udx/db/schema';
import type { Viewer } from '../../context.ts';
import type { Executor } from '../shared/transaction.ts';

/** What changed in one row, as written to the append-only audit trail. */
export interface AuditRecord {
  actorId: number | null;
  action: AuditAction;
  /** The table of the changed row, e.g. `exchange`. */
  entity: string;
  entityId: number | string;
  /** The cities concerned, so that a city's trail can be shown without reading other cities'. */
  cityIds: readonly number[];
  oldValues: object | null;
  newValues: object | null;
}

/** Appends audit entries, one per changed row, in the caller's transaction. */
export async function insertAuditEntries(
  db: Executor,
  records: readonly AuditRecord[],
): Promise<void> {
  if (records.length === 0) return;
  await db
    .insertInto('audit_entry')
    .values(
      records.map((r) => ({
        actor_id: r.actorId,
        action: r.action,
        entity: r.entity,
        entity_id: String(r.entityId),
        city_ids: [...new Set(r.cityIds)].sort((a, b) => a - b),
        // jsonb parameters are sent as JSON text; both engines cast them on insert
        old_values: r.oldValues === null ? null : JSON.stringify(r.oldValues),
        new_values: r.newValues === null ? null : JSON.stringify(r.newValues),
      })),
    )
    .execute();
}

/** Appends the audit entry of a write, unless it left the row's audited values as they were. */
async function insertAuditEntryIfChanged(db: Executor, record: AuditRecord): Promise<void> {
  if (JSON.stringify(record.oldValues) === JSON.stringify(record.newValues)) return;
  await insertAuditEntries(db, [record]);
}

/**
 * The audit entry of one write by `actor` (null: nobody signed in, e.g. the command line), its
 * action read from the row's audited values: none `before` is a CREATE, none `after` a DELETE,
 * both an UPDATE. Every service states its writes this one way, so that the trail records who,
 * what, the old and the new values alike for every kind of record (docs/methodology.md, "The
 * data model", audit trail).
 */
export function auditEntryOf(
  actor: Pick<Viewer, 'userId'> | null,
  entity: string,
  entityId: number | string,
  cityIds: readonly number[],
  before: object | null,
  after: object | null,
): AuditRecord {
  return {
    actorId: actor?.userId ?? null,
    action: before === null ? 'CREATE' : after === null ? 'DELETE' : 'UPDATE',
    entity,
    entityId,
    cityIds,
    oldValues: before,
    newValues: after,
  };
}

/**
 * Appends the audit entry of a create, update or delete (see auditEntryOf); an update that left
 * the audited values as they were writes none, as nothing changed.
 */
export function insertAuditEntryOfWrite(
  db: Executor,
  ...write: Parameters<typeof auditEntryOf>
): Promise<void> {
  return insertAuditEntryIfChanged(db, auditEntryOf(...write));
}

/** The trail of one row, oldest first. */
export function findAuditEntriesOf(
  db: Executor,
  entity: string,
  entityId: number | string,
): Promise<AuditEntry[]> {
  return db
    .selectFrom('audit_entry')
    .selectAll()
    .where('entity', '=', entity)
    .where('entity_id', '=', String(entityId))
    .orderBy('id')
    .execute();
}
