import type {
  DepartmentType,
  ExchangeFormat,
  ExchangeKind,
  GovernanceLevel,
  OutcomeKind,
  OutcomeStatus,
  PartnershipStatus,
  ValueStatus,
} from '@udx/db/schema';
import { indicators } from '@udx/migrations/catalogue';
import { type DemoAccount, demoAccounts } from './accounts.ts';
import { demoFigures } from './figures.ts';
import { Random } from './random.ts';
import { cityKey, type TwinTownCity, twinTownCities, twinTownPairs } from './twin-towns.ts';
import {
  cityStateMayorsOffice,
  cooperationTargets,
  departmentNames,
  droppedReasons,
  fill,
  kickOffTitle,
  type NameStyle,
  outcomeDescriptions,
  outcomeTitles,
  politicalTitles,
  rejectionReasons,
  type TitleTemplate,
  type TopicCode,
  technicalTitles,
  topicCodes,
  topicDepartments,
  topicGoals,
  topicTargets,
  topicTheme,
} from './vocabulary.ts';

/**
 * The demo data set as plain data, before it meets a database: every row, with references by
 * natural key or list position instead of database ids. Built from a fixed seed, so every call
 * returns exactly the same plan.
 */

/** The seed of the demo data set; changing it changes every synthetic figure. */
export const DEMO_SEED = 20_301_127;

/** The last day the demo data set speaks of: no exchange, outcome or review is later. */
export const LAST_DEMO_DATE = '2026-11-30';

export const DEMO_YEARS = [2022, 2023, 2024, 2025, 2026] as const;

export interface PlannedCity extends TwinTownCity {
  key: string;
  german: boolean;
}

export interface PlannedPartnership {
  germanCity: string;
  partnerCity: string;
  twinnedSince: number;
  joinedOn: string;
  status: PartnershipStatus;
  topics: TopicCode[];
  sdgs: number[];
}

export interface PlannedDepartment {
  city: string;
  name: string;
  type: DepartmentType;
}

export interface PlannedExchange {
  /** Position in `partnerships`. */
  partnership: number;
  kind: ExchangeKind;
  format: ExchangeFormat;
  title: string;
  startsOn: string;
  endsOn: string;
  hostCity: string;
  /** Positions in `departments`. */
  departments: number[];
  participantCount: number;
  governanceLevels: GovernanceLevel[];
  topics: TopicCode[];
  sdgTargets: string[];
}

export interface PlannedOutcome {
  partnership: number;
  /** Position in `exchanges`, or null when no single exchange produced it. */
  exchange: number | null;
  kind: OutcomeKind;
  status: OutcomeStatus;
  title: string;
  description: string;
  date: string;
  sdgTargets: string[];
}

export interface PlannedReportedValue {
  indicatorCode: 'U5' | 'S5' | 'N5';
  city: string;
  year: number;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  note: string | null;
  status: ValueStatus;
  rejectionReason: string | null;
  /** E-mail of the demo account that entered it, and of the one that reviewed it. */
  enteredBy: string;
  enteredAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
}

export interface PlannedTarget {
  indicatorCode: string;
  year: number;
  /** Position in `partnerships`, or null for the programme-wide target. */
  partnership: number | null;
  baseline: number;
  target: number;
}

export interface DemoPlan {
  cities: PlannedCity[];
  partnerships: PlannedPartnership[];
  departments: PlannedDepartment[];
  exchanges: PlannedExchange[];
  outcomes: PlannedOutcome[];
  reportedValues: PlannedReportedValue[];
  targets: PlannedTarget[];
  accounts: readonly DemoAccount[];
}

// ── Dates as day numbers, so that arithmetic never meets a time zone ─────────────────────────
const MS_PER_DAY = 86_400_000;

export function dayOf(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1) / MS_PER_DAY;
}

export function isoOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export const LAST_DAY = dayOf(LAST_DEMO_DATE);
/** Outcomes are dated a little before the end, so that none reads as if from the future. */
const LAST_OUTCOME_DAY = dayOf('2026-11-20');

/**
 * Moves a date off the Christmas holidays (to mid-December or the second week of January) and
 * off weekends (to the Monday after): meetings happen on working days.
 */
function workingDay(day: number): number {
  const monthDay = isoOf(day).slice(5);
  if (monthDay >= '12-20') return workingDay(day - 14);
  if (monthDay <= '01-06') return workingDay(day + 7);
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday
  if (weekday === 6) return day + 2;
  if (weekday === 0) return day + 1;
  return day;
}

export function timestamp(day: number, minutes: number): string {
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${isoOf(day)}T${hh}:${mm}:00.000Z`;
}

export const governanceOrder: readonly GovernanceLevel[] = [
  'MUNICIPAL',
  'SUBNATIONAL',
  'NATIONAL',
  'INTERNATIONAL',
];

export function nameStyle(countryCode: string): NameStyle {
  if (countryCode === 'DE') return 'DE';
  if (countryCode === 'GB') return 'GB';
  return 'US';
}

/** Distinct values in first-seen order. */
export function unique<T>(items: Iterable<T>): T[] {
  return [...new Set(items)];
}

// ── The plan ─────────────────────────────────────────────────────────────────────────────────

/** Builds the demo data set from the twin-town pairs and the seed. Pure and deterministic. */
export function planDemoDataSet(seed: number = DEMO_SEED): DemoPlan {
  const rng = new Random(seed);
  const germanKeys = new Set(twinTownPairs.map((p) => cityKey(p.germanCity)));
  const cities: PlannedCity[] = twinTownCities.map((c) => ({
    ...c,
    key: cityKey(c),
    german: germanKeys.has(cityKey(c)),
  }));
  const cityByKey = new Map(cities.map((c) => [c.key, c]));

  const partnerships = planPartnerships(rng);
  const departments = planDepartments(rng, cities, partnerships);
  const exchanges = planExchanges(rng, partnerships, departments, cityByKey);
  const outcomes = planOutcomes(rng, partnerships, exchanges, cityByKey);
  const reportedValues = planReportedValues(rng, cities, partnerships, exchanges);
  const plan: DemoPlan = {
    cities,
    partnerships,
    departments,
    exchanges,
    outcomes,
    reportedValues,
    targets: [],
    accounts: demoAccounts,
  };
  plan.targets = planTargets(rng, plan);
  return plan;
}

function planPartnerships(rng: Random): PlannedPartnership[] {
  const planned = twinTownPairs.map((pair): PlannedPartnership => {
    const joinedYear = rng.weighted({ 2022: 11, 2023: 7, 2024: 4 });
    const joinedOn = isoOf(workingDay(dayOf(`${joinedYear}-01-15`) + rng.int(0, 300)));
    const topics = rng.sample(topicCodes, rng.int(2, 3));
    topics.sort((a, b) => topicCodes.indexOf(a) - topicCodes.indexOf(b));
    const sdgs = unique([11, 16, 17, ...topics.flatMap((t) => topicGoals[t])]).sort(
      (a, b) => a - b,
    );
    return {
      germanCity: cityKey(pair.germanCity),
      partnerCity: cityKey(pair.partnerCity),
      twinnedSince: pair.twinnedSince,
      joinedOn,
      status: 'ACTIVE',
      topics,
      sdgs,
    };
  });
  // Two partnerships that joined early have paused: their activity stops in 2025.
  const early = planned.filter((p) => p.joinedOn < '2023-01-01');
  for (const paused of rng.sample(early, 2)) paused.status = 'PAUSED';
  return planned;
}

function planDepartments(
  rng: Random,
  cities: readonly PlannedCity[],
  partnerships: readonly PlannedPartnership[],
): PlannedDepartment[] {
  const departments: PlannedDepartment[] = [];
  for (const city of cities) {
    const topics = unique(
      partnerships
        .filter((p) => p.germanCity === city.key || p.partnerCity === city.key)
        .flatMap((p) => p.topics),
    );
    const types: DepartmentType[] = ['INTERNATIONAL_OFFICE'];
    // Every topic of the city's partnerships has its lead department.
    for (const topic of topics) {
      const lead = topicDepartments[topic][0];
      if (lead && !types.includes(lead)) types.push(lead);
    }
    const size = Math.min(6, Math.max(rng.int(3, 6), types.length));
    const pool: Partial<Record<DepartmentType, number>> = {
      MAYORS_OFFICE: 12,
      ECONOMIC_DEVELOPMENT: 1,
      CULTURE: 1,
      EDUCATION: 1,
      OTHER: 0.5,
    };
    for (const topic of topics) {
      for (const type of topicDepartments[topic].slice(1)) pool[type] = (pool[type] ?? 0) + 3;
    }
    while (types.length < size) {
      const open = Object.fromEntries(
        Object.entries(pool).filter(([type]) => !types.includes(type as DepartmentType)),
      ) as Record<DepartmentType, number>;
      if (Object.keys(open).length === 0) break;
      types.push(rng.weighted(open));
    }
    const style = nameStyle(city.countryCode);
    const cityState = city.german && city.region === city.name;
    for (const type of types) {
      const name =
        type === 'MAYORS_OFFICE' && cityState
          ? cityStateMayorsOffice
          : rng.pick(departmentNames[style][type]);
      departments.push({ city: city.key, name, type });
    }
  }
  return departments;
}

interface PartnershipContext {
  german: string;
  partner: string;
}

function cityNames(
  p: PlannedPartnership,
  cityByKey: ReadonlyMap<string, PlannedCity>,
): PartnershipContext {
  return {
    german: cityByKey.get(p.germanCity)?.name ?? p.germanCity,
    partner: cityByKey.get(p.partnerCity)?.name ?? p.partnerCity,
  };
}

/** Picks an unused title of the list (visits only where people travel), or null. */
function pickTitle(
  rng: Random,
  templates: readonly TitleTemplate[],
  travel: boolean,
  values: Readonly<Record<string, string>>,
  used: Set<string>,
): string | null {
  const open = templates
    .filter((t) => travel || !t.visit)
    .map((t) => fill(t.text, values))
    .filter((title) => !used.has(title));
  if (open.length === 0) return null;
  const title = rng.pick(open);
  used.add(title);
  return title;
}

function planExchanges(
  rng: Random,
  partnerships: readonly PlannedPartnership[],
  departments: readonly PlannedDepartment[],
  cityByKey: ReadonlyMap<string, PlannedCity>,
): PlannedExchange[] {
  const exchanges: PlannedExchange[] = [];
  partnerships.forEach((p, index) => {
    const names = cityNames(p, cityByKey);
    const paused = p.status === 'PAUSED';
    const firstDay = dayOf(p.joinedOn) + rng.int(20, 60);
    const lastDay = paused ? dayOf('2025-03-01') + rng.int(0, 200) : dayOf('2026-11-20');
    const count = paused ? rng.int(3, 5) : rng.int(4, 12);
    const starts = [firstDay];
    for (let i = 1; i < count; i++) starts.push(rng.int(firstDay + 14, lastDay));
    starts.sort((a, b) => a - b);
    const used = new Set<string>();

    starts.forEach((start, n) => {
      const kickOff = n === 0;
      const kind: ExchangeKind = kickOff || rng.chance(0.28) ? 'POLITICAL' : 'TECHNICAL';
      const format: ExchangeFormat = rng.weighted({ IN_PERSON: 45, VIRTUAL: 35, HYBRID: 20 });
      const travel = format !== 'VIRTUAL';
      const hostGerman = rng.chance(0.5);
      const host = hostGerman ? p.germanCity : p.partnerCity;
      const guest = hostGerman ? p.partnerCity : p.germanCity;
      const topics = rng.sample(p.topics, kind === 'TECHNICAL' && rng.chance(0.75) ? 1 : 2);
      topics.sort((a, b) => topicCodes.indexOf(a) - topicCodes.indexOf(b));
      const lead = topics[0] as TopicCode;
      const values = {
        ...names,
        host: cityByKey.get(host)?.name ?? host,
        guest: cityByKey.get(guest)?.name ?? guest,
        theme: topicTheme[lead],
      };

      let title: string | null;
      if (kickOff) {
        title = fill(kickOffTitle, values);
        used.add(title);
      } else if (kind === 'POLITICAL') {
        title = pickTitle(rng, politicalTitles, travel, values, used);
      } else {
        title =
          pickTitle(rng, technicalTitles[lead], travel, values, used) ??
          pickTitle(
            rng,
            p.topics.flatMap((t) => technicalTitles[t]),
            travel,
            values,
            used,
          );
      }
      if (title === null) {
        title = `${fill(kickOffTitle, values).replace('Kick-off', 'Partnership meeting')} (${n + 1})`;
        used.add(title);
      }

      const startDay = workingDay(start);
      const length = format === 'VIRTUAL' ? 0 : format === 'HYBRID' ? rng.int(0, 1) : rng.int(1, 4);
      const endDay = Math.min(startDay + length, LAST_DAY);

      const conference = !kickOff && format !== 'VIRTUAL' && rng.chance(0.06);
      const participantCount = conference
        ? rng.int(80, 180)
        : kind === 'POLITICAL'
          ? { IN_PERSON: rng.int(6, 30), VIRTUAL: rng.int(4, 16), HYBRID: rng.int(10, 40) }[format]
          : { IN_PERSON: rng.int(6, 24), VIRTUAL: rng.int(8, 35), HYBRID: rng.int(15, 60) }[format];

      const levels = new Set<GovernanceLevel>(['MUNICIPAL']);
      const political = kind === 'POLITICAL';
      if (rng.chance(political ? 0.45 : 0.25)) levels.add('SUBNATIONAL');
      if (rng.chance(political ? 0.3 : 0.1)) levels.add('NATIONAL');
      if (conference || rng.chance(political ? 0.15 : 0.06)) levels.add('INTERNATIONAL');

      const targetPool = topics.flatMap((t) => topicTargets[t]);
      const sdgTargets = political
        ? unique([...rng.sample(cooperationTargets, rng.int(1, 2)), rng.pick(targetPool)])
        : unique([
            ...rng.sample(unique(targetPool), rng.int(1, 3)),
            ...(rng.chance(0.2) ? ['17.17'] : []),
          ]);

      const departmentIds = [
        ...exchangeDepartments(rng, departments, p.germanCity, kind, topics),
        ...exchangeDepartments(rng, departments, p.partnerCity, kind, topics),
      ];

      exchanges.push({
        partnership: index,
        kind,
        format,
        title,
        startsOn: isoOf(startDay),
        endsOn: isoOf(endDay),
        hostCity: host,
        departments: departmentIds,
        participantCount,
        governanceLevels: governanceOrder.filter((l) => levels.has(l)),
        topics,
        sdgTargets: sdgTargets.sort(compareTargets),
      });
    });
  });
  return exchanges;
}

/** SDG target codes in catalogue order: 11.2 before 11.10, numbers before letters. */
export function compareTargets(a: string, b: string): number {
  const [ga, ta = ''] = a.split('.');
  const [gb, tb = ''] = b.split('.');
  const goal = Number(ga) - Number(gb);
  if (goal !== 0) return goal;
  const na = Number(ta);
  const nb = Number(tb);
  if (Number.isNaN(na) !== Number.isNaN(nb)) return Number.isNaN(na) ? 1 : -1;
  if (!Number.isNaN(na)) return na - nb;
  return ta.localeCompare(tb);
}

/** The departments of one city that take part in an exchange: at least one. */
function exchangeDepartments(
  rng: Random,
  departments: readonly PlannedDepartment[],
  city: string,
  kind: ExchangeKind,
  topics: readonly TopicCode[],
): number[] {
  const own = departments.map((d, position) => ({ ...d, position })).filter((d) => d.city === city);
  const office = own.find((d) => d.type === 'INTERNATIONAL_OFFICE');
  const related = own.filter((d) => topics.some((t) => topicDepartments[t].includes(d.type)));
  const chosen: number[] = [];
  if (kind === 'POLITICAL') {
    const mayor = own.find((d) => d.type === 'MAYORS_OFFICE');
    if (mayor) chosen.push(mayor.position);
    if (office && (!mayor || rng.chance(0.7))) chosen.push(office.position);
    if (related.length > 0 && rng.chance(0.3)) chosen.push(rng.pick(related).position);
  } else {
    for (const d of rng.sample(related, rng.int(1, 2))) chosen.push(d.position);
    if (office && (chosen.length === 0 || rng.chance(0.4))) chosen.push(office.position);
  }
  return unique(chosen).sort((a, b) => a - b);
}

function planOutcomes(
  rng: Random,
  partnerships: readonly PlannedPartnership[],
  exchanges: readonly PlannedExchange[],
  cityByKey: ReadonlyMap<string, PlannedCity>,
): PlannedOutcome[] {
  const outcomes: PlannedOutcome[] = [];
  partnerships.forEach((p, index) => {
    const names = cityNames(p, cityByKey);
    const own = exchanges
      .map((e, position) => ({ ...e, position }))
      .filter((e) => e.partnership === index);
    const count = p.status === 'PAUSED' ? rng.int(1, 3) : rng.int(2, 6);
    const used = new Set<string>();
    for (let n = 0; n < count; n++) {
      const kind = rng.weighted<OutcomeKind>({
        NEW_APPROACH: 25,
        JOINT_PROJECT: 20,
        AGREEMENT: 12,
        POLICY_CHANGE: 10,
        KNOWLEDGE_PRODUCT: 18,
        FOLLOW_UP: 15,
      });
      const source = own.length > 0 && rng.chance(0.65) ? rng.pick(own) : null;
      const sourceTopic = source ? (source.topics[0] as TopicCode) : rng.pick(p.topics);
      const first = own[0]?.startsOn ?? p.joinedOn;
      const date = source
        ? Math.min(workingDay(dayOf(source.endsOn) + rng.int(14, 240)), LAST_OUTCOME_DAY)
        : Math.min(workingDay(rng.int(dayOf(first) + 60, LAST_OUTCOME_DAY)), LAST_OUTCOME_DAY);
      const year = Number(isoOf(date).slice(0, 4));

      let status: OutcomeStatus;
      if (rng.chance(0.1)) status = 'DROPPED';
      else if (year >= 2026) status = rng.weighted({ PLANNED: 40, IN_PROGRESS: 45, ACHIEVED: 15 });
      else if (year === 2025) status = rng.weighted({ PLANNED: 10, IN_PROGRESS: 45, ACHIEVED: 45 });
      else status = rng.weighted({ IN_PROGRESS: 20, ACHIEVED: 80 });

      const city = rng.chance(0.5) ? names.german : names.partner;
      const values = { ...names, city };
      // The title speaks of the topic of its exchange; another topic of the partnership only
      // when that topic's titles are used up.
      let title = `${kind} ${n + 1}`;
      let topic = sourceTopic;
      for (const t of unique([sourceTopic, ...p.topics])) {
        const open = outcomeTitles[kind][t].map((x) => fill(x, values)).filter((x) => !used.has(x));
        if (open.length > 0) {
          title = rng.pick(open);
          topic = t;
          break;
        }
      }
      used.add(title);
      const description = [
        fill(outcomeDescriptions[kind][status === 'ACHIEVED' ? 'done' : 'open'], values),
        ...(status === 'DROPPED' ? [rng.pick(droppedReasons)] : []),
      ].join(' ');
      const sdgTargets = unique([
        ...rng.sample(topicTargets[topic], rng.int(1, 2)),
        ...(kind === 'AGREEMENT' ? ['17.17'] : []),
      ]).sort(compareTargets);

      outcomes.push({
        partnership: index,
        exchange: source ? source.position : null,
        kind,
        status,
        title,
        description,
        date: isoOf(date),
        sdgTargets,
      });
    }
  });
  return outcomes;
}

function planReportedValues(
  rng: Random,
  cities: readonly PlannedCity[],
  partnerships: readonly PlannedPartnership[],
  exchanges: readonly PlannedExchange[],
): PlannedReportedValue[] {
  const values: PlannedReportedValue[] = [];
  const evaluator = demoAccounts.find((a) => a.role === 'SKEW_EVALUATOR');
  if (!evaluator) throw new Error('The demo accounts lack an evaluator');
  for (const city of cities.filter((c) => c.german)) {
    const editor = demoAccounts.find(
      (a) => a.role === 'CITY_EDITOR' && a.city && cityKey(a.city) === city.key,
    );
    if (!editor) throw new Error(`No demo editor for ${city.name}`);
    const own = partnerships
      .map((p, position) => ({ ...p, position }))
      .filter((p) => p.germanCity === city.key);
    const joinedYear = Math.min(...own.map((p) => Number(p.joinedOn.slice(0, 4))));
    for (const year of DEMO_YEARS) {
      // Cities report from the year they joined the programme.
      if (year < joinedYear) continue;
      const participants = exchanges
        .filter((e) => own.some((p) => p.position === e.partnership))
        .filter((e) => e.startsOn.startsWith(String(year)))
        .reduce((sum, e) => sum + e.participantCount, 0);
      const progress = year - 2022;
      const rows: Omit<
        PlannedReportedValue,
        'status' | 'rejectionReason' | 'enteredAt' | 'reviewedAt' | 'reviewedBy' | 'enteredBy'
      >[] = [];
      // Surveys only follow a year with exchanges; the follow-up count is reported every year.
      if (participants > 0) {
        for (const [code, base, step] of [
          ['U5', 0.58, 0.05],
          ['S5', 0.45, 0.06],
        ] as const) {
          const respondents = Math.max(6, Math.round(participants * (0.3 + rng.next() * 0.35)));
          const share = Math.min(
            0.95,
            Math.max(0.3, base + step * progress + (rng.next() - 0.5) * 0.16),
          );
          rows.push({
            indicatorCode: code,
            city: city.key,
            year,
            value: null,
            numerator: Math.min(respondents, Math.round(respondents * share)),
            denominator: respondents,
            note: rng.chance(0.5)
              ? `Anonymous online survey after the exchanges of ${year}.`
              : null,
          });
        }
      }
      rows.push({
        indicatorCode: 'N5',
        city: city.key,
        year,
        value: Math.max(0, rng.int(0, 2) + Math.floor(progress / 2) + rng.int(-1, 1)),
        numerator: null,
        denominator: null,
        note: rng.chance(0.4)
          ? 'Counted by the international office from department reports.'
          : null,
      });

      for (const row of rows) {
        const status: ValueStatus =
          year <= 2024
            ? 'APPROVED'
            : year === 2025
              ? rng.weighted({ APPROVED: 75, SUBMITTED: 15, REJECTED: 10 })
              : rng.weighted({ APPROVED: 20, SUBMITTED: 70, REJECTED: 10 });
        const enteredDay = workingDay(
          year < 2026
            ? dayOf(`${year + 1}-01-10`) + rng.int(0, 75)
            : dayOf('2026-09-01') + rng.int(0, 80),
        );
        const reviewedDay = Math.max(
          Math.min(workingDay(enteredDay + rng.int(3, 40)), dayOf('2026-11-26')),
          enteredDay + 1,
        );
        const reviewed = status === 'APPROVED' || status === 'REJECTED';
        values.push({
          ...row,
          status,
          rejectionReason:
            status === 'REJECTED'
              ? rng.pick(rejectionReasons[row.indicatorCode === 'N5' ? 'COUNT' : 'PERCENT'])
              : null,
          enteredBy: editor.email,
          enteredAt: timestamp(enteredDay, 480 + rng.int(0, 540)),
          reviewedBy: reviewed ? evaluator.email : null,
          reviewedAt: reviewed ? timestamp(reviewedDay, 480 + rng.int(0, 540)) : null,
        });
      }
    }
  }
  return values;
}

// The programme's own catalogue, in its order (the seeded generator depends on that order).
const indicatorCodes = indicators.map((indicator) => indicator.code);
const percentIndicators = new Set(
  indicators.filter((indicator) => indicator.unit === 'PERCENT').map((indicator) => indicator.code),
);
/** Indicators that a few partnerships set their own targets for. */
const partnershipIndicators = ['U1', 'U3', 'S1', 'N3'] as const;

/**
 * A target around what the year brought: from a little below it to nearly twice it, so that
 * the demo shows every status. The baseline is the previous year's figure.
 */
function targetFor(
  rng: Random,
  code: string,
  actual: number | null,
  previous: number | null,
  ceiling: number,
) {
  if (percentIndicators.has(code)) {
    return {
      baseline: previous ?? 50,
      target: Math.min(95, Math.round((actual ?? 65) + rng.int(-4, 14))),
    };
  }
  const target = actual
    ? Math.max(1, Math.round(actual * (0.85 + rng.next() * 1.0)))
    : rng.int(1, 3);
  return { baseline: previous ?? 0, target: Math.min(target, ceiling) };
}

/** What an indicator cannot exceed: five topics, the partnerships in scope. */
function ceilings(code: string, partnerships: number): number {
  if (code === 'U4') return topicCodes.length;
  if (code === 'N1') return partnerships;
  return Number.POSITIVE_INFINITY;
}

function planTargets(rng: Random, plan: DemoPlan): PlannedTarget[] {
  const targets: PlannedTarget[] = [];
  const all = plan.partnerships.map((_, i) => i);
  let previous: Record<string, number | null> = {};
  for (const year of DEMO_YEARS) {
    const figures = demoFigures(plan, all, year);
    for (const code of indicatorCodes) {
      const actual = figures[code] ?? null;
      targets.push({
        indicatorCode: code,
        year,
        partnership: null,
        ...targetFor(rng, code, actual, previous[code] ?? null, ceilings(code, all.length)),
      });
    }
    previous = figures;
  }
  const active = all.filter((i) => plan.partnerships[i]?.status === 'ACTIVE');
  for (const index of rng.sample(active, 4).sort((a, b) => a - b)) {
    const joinedYear = Number(plan.partnerships[index]?.joinedOn.slice(0, 4));
    let before: Record<string, number | null> = {};
    for (const year of DEMO_YEARS.filter((y) => y >= joinedYear)) {
      const figures = demoFigures(plan, [index], year);
      for (const code of partnershipIndicators) {
        targets.push({
          indicatorCode: code,
          year,
          partnership: index,
          ...targetFor(rng, code, figures[code] ?? null, before[code] ?? null, ceilings(code, 1)),
        });
      }
      before = figures;
    }
  }
  return targets;
}
