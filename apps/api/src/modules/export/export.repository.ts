import type { PartnershipStatus } from '@udx/db/schema';
import type { Scope } from '@udx/indicators/engine';
import { sql } from 'kysely';
import type { Access } from '../city/city.access.ts';
import { selectPartnershipIdsInReach } from '../partnership/partnership.repository.ts';
import type { Executor } from '../shared/transaction.ts';

/** A partnership of an export with the names and countries of its two cities. */
export interface ExportPartnershipRow {
  id: number;
  status: PartnershipStatus;
  joined_on: string | null;
  twinned_since: number | null;
  /** When it began in the programme: the day it joined, else its first exchange, else its record. */
  started_on: string;
  german_city: string;
  german_country: string;
  partner_city: string;
  partner_country: string;
}

/**
 * The partnerships of a scope within the viewer's reach (the lists' rule,
 * `selectPartnershipIdsInReach`), by German city and partner city as the breakdown orders them.
 */
export function findPartnershipsOfExport(
  db: Executor,
  scope: Scope,
  access: Access,
): Promise<ExportPartnershipRow[]> {
  return db
    .selectFrom('partnership')
    .innerJoin('city as german', 'german.id', 'partnership.german_city_id')
    .innerJoin('city as partner', 'partner.id', 'partnership.partner_city_id')
    .select([
      'partnership.id',
      'partnership.status',
      'partnership.joined_on',
      'partnership.twinned_since',
      sql<string>`coalesce(partnership.joined_on,
        (SELECT min(exchange.starts_on) FROM exchange
          WHERE exchange.partnership_id = partnership.id),
        partnership.created_at::date)`.as('started_on'),
      'german.name as german_city',
      'german.country_code as german_country',
      'partner.name as partner_city',
      'partner.country_code as partner_country',
    ])
    .where('partnership.id', 'in', selectPartnershipIdsInReach(db, scope, access))
    .orderBy('german.name')
    .orderBy('partner.name')
    .orderBy('partnership.id')
    .execute();
}

/** City names by id, for the host city of an exchange. */
export async function findCityNames(
  db: Executor,
  ids: readonly number[],
): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('city').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Exchange titles by id, for the exchange an outcome came from. */
export async function findExchangeTitles(
  db: Executor,
  ids: readonly number[],
): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('exchange')
    .select(['id', 'title'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((row) => [row.id, row.title]));
}

/**
 * What each partnership addresses, as IATI's SDG tags: its focus SDGs, and the SDG targets of
 * its exchanges and of its outcomes (dropped ones left out) in the period, with their goals and
 * the default goals of the exchanges' topics (docs/methodology.md, "The data model").
 */
export async function findSdgsOfPartnerships(
  db: Executor,
  ids: readonly number[],
  period: Pick<Scope, 'from' | 'to'>,
): Promise<{ goals: Map<number, number[]>; targets: Map<number, string[]> }> {
  const goals = new Map<number, number[]>();
  const targets = new Map<number, string[]>();
  if (ids.length === 0) return { goals, targets };
  let exchanges = db
    .selectFrom('exchange')
    .select(['exchange.id', 'exchange.partnership_id'])
    .where('exchange.partnership_id', 'in', ids);
  let outcomes = db
    .selectFrom('outcome')
    .select(['outcome.id', 'outcome.partnership_id'])
    .where('outcome.partnership_id', 'in', ids)
    .where('outcome.status', '!=', 'DROPPED');
  if (period.from != null) {
    exchanges = exchanges.where('exchange.starts_on', '>=', period.from);
    outcomes = outcomes.where('outcome.date', '>=', period.from);
  }
  if (period.to != null) {
    exchanges = exchanges.where('exchange.starts_on', '<=', period.to);
    outcomes = outcomes.where('outcome.date', '<=', period.to);
  }
  const targetRows = await db
    .selectFrom('exchange_sdg_target as x')
    .innerJoin(exchanges.as('e'), 'e.id', 'x.exchange_id')
    .select(['e.partnership_id', 'x.target_code'])
    .union(
      db
        .selectFrom('outcome_sdg_target as x')
        .innerJoin(outcomes.as('o'), 'o.id', 'x.outcome_id')
        .select(['o.partnership_id', 'x.target_code']),
    )
    .execute();
  const goalRows = await db
    .selectFrom('partnership_sdg')
    .select(['partnership_id', 'goal'])
    .where('partnership_id', 'in', ids)
    .union(
      db
        .selectFrom('exchange_topic as x')
        .innerJoin(exchanges.as('e'), 'e.id', 'x.exchange_id')
        .innerJoin('topic_sdg', 'topic_sdg.topic_code', 'x.topic_code')
        .select(['e.partnership_id', 'topic_sdg.goal']),
    )
    .execute();
  const targetOrder = await db
    .selectFrom('sdg_target')
    .select(['code', 'goal', 'position'])
    .where(
      'code',
      'in',
      targetRows.length > 0 ? [...new Set(targetRows.map((row) => row.target_code))] : [''],
    )
    .execute();
  const goalOfTarget = new Map(targetOrder.map((row) => [row.code, row.goal]));
  const rank = new Map(targetOrder.map((row) => [row.code, row.goal * 1000 + row.position]));
  for (const { partnership_id: id, target_code: code } of targetRows) {
    targets.set(id, [...(targets.get(id) ?? []), code]);
    const goal = goalOfTarget.get(code);
    if (goal !== undefined) goals.set(id, [...(goals.get(id) ?? []), goal]);
  }
  for (const { partnership_id: id, goal } of goalRows) {
    goals.set(id, [...(goals.get(id) ?? []), goal]);
  }
  for (const [id, list] of goals)
    goals.set(
      id,
      [...new Set(list)].sort((a, b) => a - b),
    );
  for (const [id, list] of targets) {
    targets.set(
      id,
      [...new Set(list)].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0)),
    );
  }
  return { goals, targets };
}
