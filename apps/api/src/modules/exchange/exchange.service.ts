import { createContextCache } from '@pothos/core';
import type { ExchangeFormat, ExchangeKind, GovernanceLevel } from '@udx/db/schema';
import DataLoader from 'dataloader';
import type { Context } from '../../context.ts';
import {
  auditEntryOf,
  insertAuditEntries,
  insertAuditEntryOfWrite,
} from '../audit/audit.repository.ts';
import { findExistingCityIds } from '../city/city.repository.ts';
import { findDepartmentCities } from '../department/department.repository.ts';
import { findOutcomesOfExchangeForUpdate } from '../outcome/outcome.repository.ts';
import {
  editablePartnershipRecord,
  PARTNERSHIP_EDITORS,
  runNewPartnershipRecordMutation,
  runPartnershipRecordMutation,
} from '../partnership/partnership.rights.ts';
import { findSdgTargetsByCodes } from '../sdg/sdg.repository.ts';
import { groupRows } from '../shared/batch.ts';
import { decodeNodeId } from '../shared/global-id.ts';
import {
  type ConstraintErrors,
  type MutationResult,
  type NodeIdField,
  refuseNulls,
  throwIfAny,
} from '../shared/mutation.ts';
import type { Executor } from '../shared/transaction.ts';
import { type UserError, userError } from '../shared/user-error.ts';
import {
  deleteExchangeById,
  type ExchangeChanges,
  type ExchangeLinks,
  type ExchangeRow,
  findCitiesOfPartnerships,
  findExchangeForUpdate,
  findExchangeLinks,
  insertExchange,
  replaceExchangeDepartments,
  replaceExchangeSdgTargets,
  replaceExchangeTopics,
  updateExchangeById,
} from './exchange.repository.ts';

const TITLE_MAX = 300;

const EXCHANGE_ID: NodeIdField = {
  field: 'id',
  typename: 'Exchange',
  message: 'id is not an exchange id.',
};

/** What the database refuses, said as the input field that caused it. */
export const EXCHANGE_CONSTRAINTS: ConstraintErrors = {
  exchange_dates_in_order: userError('VALIDATION', 'endsOn', 'endsOn must not be before startsOn.'),
  exchange_participant_count_non_negative: userError(
    'VALIDATION',
    'participantCount',
    'participantCount must not be negative.',
  ),
  exchange_governance_levels_known: userError(
    'VALIDATION',
    'governanceLevels',
    'governanceLevels must name at least one known level.',
  ),
  exchange_host_city_in_partnership: userError(
    'VALIDATION',
    'hostCityId',
    "hostCityId must be one of the partnership's two cities.",
  ),
  exchange_department_city_in_partnership: userError(
    'VALIDATION',
    'departmentIds',
    "departmentIds must be departments of the partnership's two cities.",
  ),
  exchange_department_of_the_department: userError(
    'VALIDATION',
    'departmentIds',
    'departmentIds names a department that does not exist.',
  ),
  exchange_title_check: userError('VALIDATION', 'title', 'title must not be empty.'),
};

export interface RecordExchangeArgs {
  partnershipId: string;
  kind: ExchangeKind;
  format: ExchangeFormat;
  title: string;
  startsOn: string;
  endsOn?: string | null | undefined;
  hostCityId: string;
  departmentIds: readonly string[];
  participantCount: number;
  governanceLevels: readonly GovernanceLevel[];
  topics: readonly string[];
  sdgTargets: readonly string[];
}

/** Fields of an update; `undefined` leaves a field as it is, `null` clears an optional one. */
export interface UpdateExchangeArgs {
  id: string;
  kind?: ExchangeKind | null | undefined;
  format?: ExchangeFormat | null | undefined;
  title?: string | null | undefined;
  startsOn?: string | null | undefined;
  endsOn?: string | null | undefined;
  hostCityId?: string | null | undefined;
  departmentIds?: readonly string[] | null | undefined;
  participantCount?: number | null | undefined;
  governanceLevels?: readonly GovernanceLevel[] | null | undefined;
  topics?: readonly string[] | null | undefined;
  sdgTargets?: readonly string[] | null | undefined;
}

type Actor = Pick<Context, 'db' | 'viewer'>;

/** Records an exchange of a partnership, with its departments, topics and SDG targets. */
export async function recordExchange(
  context: Actor,
  input: RecordExchangeArgs,
): Promise<MutationResult<ExchangeRow>> {
  return runNewPartnershipRecordMutation(
    context,
    input.partnershipId,
    EXCHANGE_CONSTRAINTS,
    async (trx, { id: partnershipId, cityIds }) => {
      const errors: UserError[] = [];
      const title = checkTitle(input.title, errors);
      checkDates(input.startsOn, input.endsOn ?? null, 'endsOn', errors);
      checkParticipantCount(input.participantCount, errors);
      const levels = checkGovernanceLevels(input.governanceLevels, errors);
      const hostCityId = await checkHostCity(trx, input.hostCityId, cityIds, errors);
      const departments = await checkDepartments(trx, input.departmentIds, cityIds, errors);
      const sdgTargets = await checkSdgTargets(trx, input.sdgTargets, errors);
      throwIfAny(errors);

      const row = await insertExchange(trx, {
        partnership_id: partnershipId,
        kind: input.kind,
        format: input.format,
        title,
        starts_on: input.startsOn,
        ends_on: input.endsOn ?? null,
        host_city_id: hostCityId as number,
        participant_count: input.participantCount,
        governance_levels: levels,
      });
      const topics = unique(input.topics);
      await replaceExchangeDepartments(trx, row, departments);
      await replaceExchangeTopics(trx, row.id, topics);
      await replaceExchangeSdgTargets(trx, row.id, sdgTargets);
      await insertAuditEntryOfWrite(
        trx,
        context.viewer,
        'exchange',
        row.id,
        cityIds,
        null,
        exchangeSnapshot(row, await findExchangeLinks(trx, row.id)),
      );
      return row;
    },
  );
}

/** Changes the given fields of an exchange; the others keep their values. */
export async function updateExchange(
  context: Actor,
  input: UpdateExchangeArgs,
): Promise<MutationResult<ExchangeRow>> {
  return runPartnershipRecordMutation(
    context,
    input.id,
    EXCHANGE_ID,
    EXCHANGE_CONSTRAINTS,
    async (trx, id) => {
      const { old, cityIds, links: oldLinks } = await editableExchange(trx, context, id);
      const errors: UserError[] = [];
      refuseNulls(
        input,
        ['kind', 'format', 'title', 'startsOn', 'hostCityId', 'participantCount'],
        ['departmentIds', 'governanceLevels', 'topics', 'sdgTargets'],
        errors,
      );
      const changes: ExchangeChanges = {};
      if (input.kind) changes.kind = input.kind;
      if (input.format) changes.format = input.format;
      if (input.title != null) changes.title = checkTitle(input.title, errors);
      if (input.startsOn != null) changes.starts_on = input.startsOn;
      if (input.endsOn !== undefined) changes.ends_on = input.endsOn;
      if (input.startsOn != null || input.endsOn !== undefined) {
        checkDates(
          changes.starts_on ?? old.starts_on,
          changes.ends_on === undefined ? old.ends_on : changes.ends_on,
          input.endsOn !== undefined ? 'endsOn' : 'startsOn',
          errors,
        );
      }
      if (input.participantCount != null) {
        checkParticipantCount(input.participantCount, errors);
        changes.participant_count = input.participantCount;
      }
      if (input.governanceLevels != null) {
        changes.governance_levels = checkGovernanceLevels(input.governanceLevels, errors);
      }
      if (input.hostCityId != null) {
        const hostCityId = await checkHostCity(trx, input.hostCityId, cityIds, errors);
        if (hostCityId !== null) changes.host_city_id = hostCityId;
      }
      const departments =
        input.departmentIds != null
          ? await checkDepartments(trx, input.departmentIds, cityIds, errors)
          : undefined;
      const sdgTargets =
        input.sdgTargets != null ? await checkSdgTargets(trx, input.sdgTargets, errors) : undefined;
      throwIfAny(errors);

      const row = await updateExchangeById(trx, id, changes);
      if (departments) await replaceExchangeDepartments(trx, row, departments);
      if (input.topics != null) await replaceExchangeTopics(trx, id, unique(input.topics));
      if (sdgTargets) await replaceExchangeSdgTargets(trx, id, sdgTargets);
      await insertAuditEntryOfWrite(
        trx,
        context.viewer,
        'exchange',
        id,
        cityIds,
        exchangeSnapshot(old, oldLinks),
        exchangeSnapshot(row, await findExchangeLinks(trx, id)),
      );
      return row;
    },
  );
}

/**
 * Deletes an exchange. Outcomes it produced stay with their partnership, no longer linked to
 * it; each of them gets its own audit entry, as each is a changed row.
 */
export async function deleteExchange(
  context: Actor,
  input: { id: string },
): Promise<MutationResult<ExchangeRow>> {
  return runPartnershipRecordMutation(
    context,
    input.id,
    EXCHANGE_ID,
    EXCHANGE_CONSTRAINTS,
    async (trx, id) => {
      const { old, cityIds, links } = await editableExchange(trx, context, id);
      const outcomes = await findOutcomesOfExchangeForUpdate(trx, id);
      await deleteExchangeById(trx, id);
      await insertAuditEntries(trx, [
        auditEntryOf(context.viewer, 'exchange', id, cityIds, exchangeSnapshot(old, links), null),
        ...outcomes.map((outcome) =>
          auditEntryOf(
            context.viewer,
            'outcome',
            outcome.id,
            cityIds,
            { exchange_id: id },
            { exchange_id: null },
          ),
        ),
      ]);
      return old;
    },
  );
}

/** The row as the audit trail keeps it: its own columns and its links, without timestamps. */
export function exchangeSnapshot(row: ExchangeRow, links: ExchangeLinks) {
  return {
    partnership_id: row.partnership_id,
    kind: row.kind,
    format: row.format,
    title: row.title,
    starts_on: row.starts_on,
    ends_on: row.ends_on,
    host_city_id: row.host_city_id,
    participant_count: row.participant_count,
    governance_levels: [...row.governance_levels].sort(),
    ...links,
  };
}

/** The exchange to change, locked, with its partnership's cities and its links as audited. */
async function editableExchange(db: Executor, context: Actor, id: number) {
  const record = await editablePartnershipRecord(
    db,
    context,
    await findExchangeForUpdate(db, id),
    'exchange',
  );
  return { ...record, links: await findExchangeLinks(db, id) };
}

/** A title without surrounding blanks; empty or overlong ones are refused. */
export function checkTitle(title: string, errors: UserError[], field = 'title'): string {
  const trimmed = title.trim();
  if (trimmed === '') errors.push(userError('VALIDATION', field, `${field} must not be empty.`));
  if (trimmed.length > TITLE_MAX) {
    errors.push(
      userError('VALIDATION', field, `${field} must not be longer than ${TITLE_MAX} characters.`),
    );
  }
  return trimmed;
}

function checkDates(
  startsOn: string,
  endsOn: string | null,
  field: string,
  errors: UserError[],
): void {
  if (endsOn !== null && endsOn < startsOn) {
    errors.push(userError('VALIDATION', field, 'endsOn must not be before startsOn.'));
  }
}

function checkParticipantCount(count: number, errors: UserError[]): void {
  if (count < 0) {
    errors.push(
      userError('VALIDATION', 'participantCount', 'participantCount must not be negative.'),
    );
  }
}

function checkGovernanceLevels(
  levels: readonly GovernanceLevel[],
  errors: UserError[],
): GovernanceLevel[] {
  const distinct = unique(levels);
  if (distinct.length === 0) {
    errors.push(
      userError(
        'VALIDATION',
        'governanceLevels',
        'governanceLevels must name at least one level (e.g. MUNICIPAL).',
      ),
    );
  }
  return distinct;
}

async function checkHostCity(
  db: Executor,
  hostCityId: string,
  partnershipCityIds: readonly number[],
  errors: UserError[],
): Promise<number | null> {
  const id = decodeNodeId(hostCityId, 'City');
  if (id === null) {
    errors.push(userError('VALIDATION', 'hostCityId', 'hostCityId is not a city id.'));
    return null;
  }
  if (partnershipCityIds.includes(id)) return id;
  const exists = (await findExistingCityIds(db, [id])).length > 0;
  errors.push(
    exists
      ? userError(
          'VALIDATION',
          'hostCityId',
          "hostCityId must be one of the partnership's two cities.",
        )
      : userError('NOT_FOUND', 'hostCityId', 'hostCityId names no city.'),
  );
  return null;
}

async function checkDepartments(
  db: Executor,
  departmentIds: readonly string[],
  partnershipCityIds: readonly number[],
  errors: UserError[],
): Promise<{ id: number; city_id: number }[]> {
  const ids: number[] = [];
  for (const [index, globalId] of departmentIds.entries()) {
    const id = decodeNodeId(globalId, 'Department');
    if (id === null) {
      errors.push(
        userError('VALIDATION', 'departmentIds', `departmentIds.${index} is not a department id.`),
      );
    } else if (!ids.includes(id)) {
      ids.push(id);
    }
  }
  const found = await findDepartmentCities(db, ids);
  const departments: { id: number; city_id: number }[] = [];
  for (const id of ids) {
    const department = found.find((d) => d.id === id);
    if (!department) {
      errors.push(
        userError(
          'NOT_FOUND',
          'departmentIds',
          `departmentIds names a department that does not exist.`,
        ),
      );
    } else if (!partnershipCityIds.includes(department.city_id)) {
      errors.push(
        userError(
          'VALIDATION',
          'departmentIds',
          "departmentIds must be departments of the partnership's two cities.",
        ),
      );
    } else {
      departments.push(department);
    }
  }
  return departments;
}

/** SDG target codes as written (e.g. "11.6"), each once; codes that do not exist are refused. */
export async function checkSdgTargets(
  db: Executor,
  codes: readonly string[],
  errors: UserError[],
  field = 'sdgTargets',
): Promise<string[]> {
  const wanted = unique(codes.map((c) => c.trim()));
  const known = new Set((await findSdgTargetsByCodes(db, wanted)).map((t) => t.code));
  const unknown = wanted.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    errors.push(userError('VALIDATION', field, `${field}: no SDG target ${unknown.join(', ')}.`));
  }
  return wanted.filter((c) => known.has(c));
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/**
 * Whether the viewer may change a record (an exchange, an outcome) of a partnership: SKEW
 * administration any, a city editor those of its own city's partnerships, as the mutations'
 * partnershipCitiesFor decides. What the dashboard asks before it offers to edit (in lists
 * too, so the cities are loaded in one batch); the mutations check again.
 */
export async function viewerMayEditRecordOf(
  context: Pick<Context, 'db' | 'viewer'>,
  partnershipId: number,
): Promise<boolean> {
  const viewer = context.viewer;
  if (!viewer || !PARTNERSHIP_EDITORS.includes(viewer.role)) return false;
  if (viewer.role === 'SKEW_ADMIN') return true;
  const cities = await citiesOfPartnership(context).load(partnershipId);
  return viewer.cityId !== null && cities.includes(viewer.cityId);
}

/** The cities of each partnership asked about, one query per request however many records ask. */
const citiesOfPartnership = createContextCache(
  (context: Pick<Context, 'db' | 'viewer'>) =>
    new DataLoader<number, number[]>(async (ids) =>
      groupRows(ids, await findCitiesOfPartnerships(context.db, ids), (r) => r.partnership_id).map(
        (rows) => rows.map((r) => r.city_id),
      ),
    ),
);
