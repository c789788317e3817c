import type { PartnershipStatus, ValueStatus } from '@udx/db/schema';
import type { Scope } from '@udx/indicators/engine';
import { sql } from 'kysely';
import type { Access } from '../city/city.access.ts';
import { selectPartnershipIdsInReach } from '../partnership/partnership.repository.ts';
import type { ValueReach } from '../reported-value/reported-value.repository.ts';
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

/** A reported value as the values export writes it: the import's columns and its status. */
export interface ExportValueRow {
  id: number;
  indicator_code: string;
  city_id: number;
  city_name: string;
  year: number;
  quarter: number | null;
  value: string | number | null;
  numerator: string | number | null;
  denominator: string | number | null;
  note: string | null;
  status: ValueStatus;
}

/**
 * One page of the reported values of a scope and period, as the figures take them
 * (docs/methodology.md, "Scopes and periods"): of the cities of the scope's partnerships within
 * the viewer's reach, whose whole year or quarter lies in the period; correction proposals
 * aside, as the import leaves them aside. Within the viewer's reach of values (`valueReachOf`):
 * SKEW every status, the Foreign Office approved values; a city account only its own city's
 * values, those it reports and may import again. In catalogue order, then by city and period.
 */
export function findValuesOfExport(
  db: Executor,
  scope: Scope,
  access: Access,
  reach: ValueReach,
  page: { limit: number; offset: number },
): Promise<ExportValueRow[]> {
  let query = db
    .selectFrom('reported_value')
    .innerJoin('indicator', 'indicator.id', 'reported_value.indicator_id')
    .innerJoin('city', 'city.id', 'reported_value.city_id')
    .select([
      'reported_value.id',
      'indicator.code as indicator_code',
      'reported_value.city_id',
      'city.name as city_name',
      'reported_value.year',
      'reported_value.quarter',
      'reported_value.value',
      'reported_value.numerator',
      'reported_value.denominator',
      'reported_value.note',
      'reported_value.status',
    ])
    .where('reported_value.corrects_id', 'is', null)
    .where('reported_value.city_id', 'in', (eb) =>
      eb
        .selectFrom('partnership_city')
        .select('partnership_city.city_id')
        .where(
          'partnership_city.partnership_id',
          'in',
          selectPartnershipIdsInReach(db, scope, access),
        ),
    );
  if (reach.kind === 'none') query = query.where(sql<boolean>`false`);
  if (reach.kind === 'approved') query = query.where('reported_value.status', '=', 'APPROVED');
  if (reach.kind === 'city') query = query.where('reported_value.city_id', '=', reach.cityId);
  if (scope.from != null) {
    query = query.where(
      sql<string>`make_date(reported_value.year, coalesce(reported_value.quarter * 3 - 2, 1), 1)`,
      '>=',
      scope.from,
    );
  }
  if (scope.to != null) {
    query = query.where(
      sql<string>`(make_date(reported_value.year, coalesce(reported_value.quarter * 3, 12), 1)
        + interval '1 month' - interval '1 day')::date`,
      '<=',
      scope.to,
    );
  }
  return query
    .orderBy('indicator.position')
    .orderBy('city.name')
    .orderBy('reported_value.city_id')
    .orderBy('reported_value.year')
    .orderBy(sql`reported_value.quarter NULLS FIRST`)
    .orderBy('reported_value.id')
    .limit(page.limit)
    .offset(page.offset)
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
