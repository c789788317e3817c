import type { AuditEntry } from '@udx/db/schema';
import { countQueryRows, type Page } from '../shared/paging.ts';
import type { Executor } from '../shared/transaction.ts';

/** An audit entry with the e-mail address of whoever made the change. */
export type AuditLogRow = AuditEntry & { actor_email: string | null };

/** Which entries the audit log shows; every field narrows it. */
export interface AuditLogFilter {
  entity?: string | undefined;
  entityId?: string | undefined;
  actorEmail?: string | undefined;
  /** Entries at or after this instant. */
  from?: Date | undefined;
  /** Entries at or before this instant. */
  to?: Date | undefined;
}

function filteredEntries(db: Executor, filter: AuditLogFilter) {
  let query = db.selectFrom('audit_entry as a').leftJoin('app_user as u', 'u.id', 'a.actor_id');
  if (filter.entity !== undefined) query = query.where('a.entity', '=', filter.entity);
  if (filter.entityId !== undefined) query = query.where('a.entity_id', '=', filter.entityId);
  if (filter.actorEmail !== undefined) query = query.where('u.email', '=', filter.actorEmail);
  if (filter.from !== undefined) query = query.where('a.at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('a.at', '<=', filter.to);
  return query;
}

/** One page of the audit trail, newest first. */
export function findAuditLogPage(
  db: Executor,
  filter: AuditLogFilter,
  page: Page,
): Promise<AuditLogRow[]> {
  return filteredEntries(db, filter)
    .selectAll('a')
    .select('u.email as actor_email')
    .orderBy('a.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** How many entries a filtered audit log has. */
export function countAuditLog(db: Executor, filter: AuditLogFilter): Promise<number> {
  return countQueryRows(filteredEntries(db, filter));
}
