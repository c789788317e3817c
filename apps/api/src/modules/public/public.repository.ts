import type { ExchangeKind, OutcomeKind } from '@udx/db/schema';
import { exchangeAddressesSdg } from '../exchange/exchange.repository.ts';
import { outcomeAddressesSdg } from '../outcome/outcome.repository.ts';
import type { Executor } from '../shared/transaction.ts';

/** When the figures last changed: the data version and its time (migration 20261201_1700). */
export interface FiguresChange {
  version: number;
  changedAt: Date;
}

/** The data version of the figures and when it was last raised. */
export async function findFiguresChange(db: Executor): Promise<FiguresChange> {
  const row = await db
    .selectFrom('data_version')
    .select(['figures', 'figures_changed_at'])
    .executeTakeFirstOrThrow();
  return { version: Number(row.figures), changedAt: new Date(row.figures_changed_at) };
}

/** A partnership as the public sees it: its two cities, where they lie, the partner's country. */
export interface PublicPartnershipRow {
  id: number;
  germanCity: string;
  partnerCity: string;
  countryCode: string;
  germanLatitude: number | null;
  germanLongitude: number | null;
  partnerLatitude: number | null;
  partnerLongitude: number | null;
}

/** Every partnership of the programme, or the one asked for, oldest first. */
export function findPublicPartnerships(
  db: Executor,
  partnershipId?: number | null,
): Promise<PublicPartnershipRow[]> {
  let query = db
    .selectFrom('partnership')
    .innerJoin('city as german', 'german.id', 'partnership.german_city_id')
    .innerJoin('city as partner', 'partner.id', 'partnership.partner_city_id')
    .select([
      'partnership.id as id',
      'german.name as germanCity',
      'partner.name as partnerCity',
      'partner.country_code as countryCode',
      'german.latitude as germanLatitude',
      'german.longitude as germanLongitude',
      'partner.latitude as partnerLatitude',
      'partner.longitude as partnerLongitude',
    ]);
  if (partnershipId != null) query = query.where('partnership.id', '=', partnershipId);
  return query.orderBy('partnership.id').execute();
}

/** An exchange as the public sees it: title, kind, start and host city. */
export interface PublicExchangeRow {
  partnershipId: number;
  title: string;
  kind: ExchangeKind;
  startsOn: string;
  hostCity: string;
}

/** What a public list holds: a period's bounds as `YYYY-MM-DD`, either open, and its SDG. */
export interface PublicListFilter {
  from?: string | null | undefined;
  to?: string | null | undefined;
  partnershipId?: number | null | undefined;
  /** Only what addresses this SDG (1–17), as the dashboard's lists (`Query.exchanges`). */
  sdg?: number | null | undefined;
}

/** The latest exchanges that started in the period, of one partnership or all. */
export function findPublicExchanges(
  db: Executor,
  filter: PublicListFilter,
  limit: number,
): Promise<PublicExchangeRow[]> {
  let query = db
    .selectFrom('exchange')
    .innerJoin('city', 'city.id', 'exchange.host_city_id')
    .select([
      'exchange.partnership_id as partnershipId',
      'exchange.title as title',
      'exchange.kind as kind',
      'exchange.starts_on as startsOn',
      'city.name as hostCity',
    ]);
  if (filter.partnershipId != null) {
    query = query.where('exchange.partnership_id', '=', filter.partnershipId);
  }
  if (filter.from) query = query.where('exchange.starts_on', '>=', filter.from);
  if (filter.to) query = query.where('exchange.starts_on', '<=', filter.to);
  if (filter.sdg != null) query = query.where(exchangeAddressesSdg(filter.sdg));
  return query
    .orderBy('exchange.starts_on', 'desc')
    .orderBy('exchange.id', 'desc')
    .limit(limit)
    .execute();
}

/** An outcome as the public sees it: title, kind and date. */
export interface PublicOutcomeRow {
  partnershipId: number;
  title: string;
  kind: OutcomeKind;
  date: string;
}

/** The latest outcomes dated in the period, dropped ones left out, of one partnership or all. */
export function findPublicOutcomes(
  db: Executor,
  filter: PublicListFilter,
  limit: number,
): Promise<PublicOutcomeRow[]> {
  let query = db
    .selectFrom('outcome')
    .select([
      'outcome.partnership_id as partnershipId',
      'outcome.title as title',
      'outcome.kind as kind',
      'outcome.date as date',
    ])
    .where('outcome.status', '<>', 'DROPPED');
  if (filter.partnershipId != null) {
    query = query.where('outcome.partnership_id', '=', filter.partnershipId);
  }
  if (filter.from) query = query.where('outcome.date', '>=', filter.from);
  if (filter.to) query = query.where('outcome.date', '<=', filter.to);
  if (filter.sdg != null) query = query.where(outcomeAddressesSdg(filter.sdg));
  return query.orderBy('outcome.date', 'desc').orderBy('outcome.id', 'desc').limit(limit).execute();
}
