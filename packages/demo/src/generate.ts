import type {
  DepartmentType,
  ExchangeFormat,
  ExchangeKind,
  GovernanceLevel,
  OutcomeKind,
  OutcomeStatus,
  ValueStatus,
} from '@udx/db/schema';
import { indicators } from '@udx/migrations/catalogue';
import { type DemoAccount, demoAccounts } from './accounts.ts';
import { demoFigures } from './figures.ts';
import {
  compareTargets,
  type DemoPlan,
  dayOf,
  governanceOrder,
  isoOf,
  LAST_DAY,
  nameStyle,
  type PlannedCity,
  type PlannedDepartment,
  type PlannedExchange,
  type PlannedOutcome,
  type PlannedPartnership,
  type PlannedReportedValue,
  type PlannedTarget,
  timestamp,
  unique,
} from './plan.ts';
import { Random } from './random.ts';
import { cityKey, twinTownPairs } from './twin-towns.ts';
import {
  cooperationTargets,
  departmentNames,
  droppedReasons,
  fill,
  kickOffTitle,
  outcomeDescriptions,
  outcomeTitles,
  politicalTitles,
  rejectionReasons,
  type TopicCode,
  technicalTitles,
  topicCodes,
  topicDepartments,
  topicGoals,
  topicTargets,
  topicTheme,
} from './vocabulary.ts';

/**
 * Generated programme data at three scales (README, "Demo data set"): the same kinds of rows as
 * the demo data set, drawn by the same rules from the same words, for as many partnerships as a
 * benchmark or a smoke test needs. The first partnerships are the real twin-town pairs of the
 * demo data set, so that its accounts (monitor@demo.udx and the cities' editors) sign in; the
 * others join generated cities with names built from syllables. Pure and deterministic: the same
 * scale and seed give the same plan on every machine.
 */

export const SCALES = ['tiny', 'programme', 'national'] as const;
export type Scale = (typeof SCALES)[number];

interface ScaleSize {
  partnerships: number;
  departmentsPerCity: number;
  exchanges: number;
  outcomes: number;
  /** The years cities report values for, and whether per quarter or once a year. */
  valueYears: readonly number[];
  quarterly: boolean;
}

const years = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

export const SCALE_SIZES: Record<Scale, ScaleSize> = {
  tiny: {
    partnerships: 4,
    departmentsPerCity: 3,
    exchanges: 40,
    outcomes: 20,
    valueYears: [2024, 2025],
    quarterly: false,
  },
  programme: {
    partnerships: 50,
    departmentsPerCity: 6,
    exchanges: 2_000,
    outcomes: 1_000,
    valueYears: years(2021, 2025),
    quarterly: true,
  },
  national: {
    partnerships: 5_000,
    departmentsPerCity: 6,
    exchanges: 200_000,
    outcomes: 100_000,
    // 10,000 cities, 3 indicators, 4 quarters: about a million values over 9 years
    valueYears: years(2017, 2025),
    quarterly: true,
  },
};

/** A reported value of the generated data set: per quarter or (quarter null) for the year. */
export interface GeneratedValue extends PlannedReportedValue {
  quarter: number | null;
}

/** The generated data set before it meets a database; values come one city at a time. */
export interface GeneratedPlan extends Omit<DemoPlan, 'reportedValues' | 'targets'> {
  scale: Scale;
  seed: number;
  /** How many reported values {@link generatedValues} yields. */
  valueCount: number;
  /** How many targets {@link generatedTargets} gives. */
  targetCount: number;
}

// ── Dates as day numbers, as in the demo plan ────────────────────────────────────────────────
const LAST_EXCHANGE_DAY = dayOf('2026-11-20');

/** Moves a day off weekends to the Monday after: meetings happen on working days. */
function workingDay(day: number): number {
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday
  return weekday === 6 ? day + 2 : weekday === 0 ? day + 1 : day;
}

// ── City names from syllables ────────────────────────────────────────────────────────────────

interface Country {
  code: 'DE' | 'US' | 'GB';
  regions: readonly string[];
  latitude: [number, number];
  longitude: [number, number];
  first: readonly string[];
  second: readonly string[];
  endings: readonly string[];
}

const countries: Record<'DE' | 'US' | 'GB', Country> = {
  DE: {
    code: 'DE',
    regions: [
      'Baden-Württemberg',
      'Bayern',
      'Brandenburg',
      'Hessen',
      'Mecklenburg-Vorpommern',
      'Niedersachsen',
      'Nordrhein-Westfalen',
      'Rheinland-Pfalz',
      'Saarland',
      'Sachsen',
      'Sachsen-Anhalt',
      'Schleswig-Holstein',
      'Thüringen',
    ],
    latitude: [47.5, 54.8],
    longitude: [6.2, 14.9],
    first: ['Al', 'Bir', 'Dor', 'Eich', 'Fal', 'Ger', 'Hal', 'Ilm', 'Kal', 'Lin', 'Mar', 'Nor'],
    second: ['ken', 'ber', 'sel', 'ten', 'wen', 'den', 'len', 'mer', 'ner', 'ra', 'lin', 'de'],
    endings: ['burg', 'dorf', 'hausen', 'heim', 'stadt', 'feld', 'bach', 'berg', 'au', 'ingen'],
  },
  US: {
    code: 'US',
    regions: [
      'Colorado',
      'Georgia',
      'Illinois',
      'Iowa',
      'Kansas',
      'Michigan',
      'Minnesota',
      'Ohio',
      'Oregon',
      'Pennsylvania',
      'Texas',
      'Wisconsin',
    ],
    latitude: [30.2, 47.6],
    longitude: [-122.6, -75.2],
    first: ['Ash', 'Bel', 'Clay', 'Den', 'Elm', 'Fair', 'Glen', 'Hart', 'Lake', 'Mill', 'Oak'],
    second: ['', 'ing', 'mont', 'wood', 'ford', 'ridge', 'dale', 'ver', 'ley', 'ston', 'bury'],
    endings: ['ville', 'ton', 'field', 'port', ' Springs', ' City', 'burg', ' Falls', 'view'],
  },
  GB: {
    code: 'GB',
    regions: ['England', 'Scotland', 'Wales', 'Northern Ireland'],
    latitude: [50.4, 57.5],
    longitude: [-5.2, 1.3],
    first: ['Ab', 'Brad', 'Chel', 'Dun', 'Eas', 'Gran', 'Kings', 'Lang', 'Mor', 'Nor', 'Wey'],
    second: ['', 'ling', 'ter', 'ham', 'ble', 'ley', 'ning', 'bor', 'wen', 'ster'],
    endings: ['ford', 'ham', 'bury', 'ton', 'wick', 'chester', 'mouth', 'by', 'stow', 'field'],
  },
};

/**
 * A city name of the country, unused there: two syllables and an ending, e.g. `Birkenheim`,
 * `Glenwood Falls`, `Langleybury`. When the syllables run out (thousands of cities), a second
 * word tells two apart, as real places do (`Neu-`, `North`).
 */
function cityName(rng: Random, country: Country, used: Set<string>): string {
  for (let attempt = 0; attempt < 50; attempt++) {
    let name = `${rng.pick(country.first)}${rng.pick(country.second)}${rng.pick(country.endings)}`;
    if (attempt >= 10) {
      const qualifier = { DE: 'Neu', US: 'North', GB: 'Upper' }[country.code];
      name = country.code === 'DE' ? `${qualifier}-${name.toLowerCase()}` : `${qualifier} ${name}`;
      if (attempt >= 20) name = `${name} ${attempt}`;
    }
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
  throw new Error(`No unused city name left in ${country.code}`);
}

function generatedCity(rng: Random, country: Country, used: Set<string>): PlannedCity {
  const name = cityName(rng, country, used);
  const between = ([low, high]: [number, number]) =>
    Math.round((low + rng.next() * (high - low)) * 10_000) / 10_000;
  return {
    name,
    countryCode: country.code,
    region: rng.pick(country.regions),
    latitude: between(country.latitude),
    longitude: between(country.longitude),
    key: cityKey({ countryCode: country.code, name }),
    german: country.code === 'DE',
  };
}

// ── The plan ─────────────────────────────────────────────────────────────────────────────────

/** Plans the generated data set of a scale from a seed. */
export function planGeneratedDataSet(scale: Scale, seed: number): GeneratedPlan {
  const size = SCALE_SIZES[scale];
  const rng = new Random(seed);
  const cities: PlannedCity[] = [];
  const cityByKey = new Map<string, PlannedCity>();
  const usedNames = { DE: new Set<string>(), US: new Set<string>(), GB: new Set<string>() };
  const addCity = (city: PlannedCity) => {
    if (cityByKey.has(city.key)) return;
    cityByKey.set(city.key, city);
    cities.push(city);
    usedNames[city.countryCode as 'DE' | 'US' | 'GB']?.add(city.name);
  };
  for (const pair of twinTownPairs) {
    for (const c of [pair.germanCity, pair.partnerCity]) {
      addCity({ ...c, key: cityKey(c), german: c.countryCode === 'DE' });
    }
  }

  // The real pairs first, then generated German cities each with a new partner city.
  const firstYear = size.valueYears[0] ?? 2024;
  const partnerships: PlannedPartnership[] = [];
  const used = new Set<string>();
  for (let i = 0; i < size.partnerships; i++) {
    const pair = twinTownPairs[i];
    let german: PlannedCity;
    let partner: PlannedCity;
    if (pair) {
      german = cityByKey.get(cityKey(pair.germanCity)) as PlannedCity;
      partner = cityByKey.get(cityKey(pair.partnerCity)) as PlannedCity;
    } else {
      german = generatedCity(rng, countries.DE, usedNames.DE);
      const country = rng.chance(0.6) ? countries.US : countries.GB;
      partner = generatedCity(rng, country, usedNames[country.code]);
      addCity(german);
      addCity(partner);
    }
    used.add(german.key);
    used.add(partner.key);
    const joinedYear = firstYear - rng.int(0, 2);
    const topics = rng.sample(topicCodes, rng.int(2, 3));
    topics.sort((a, b) => topicCodes.indexOf(a) - topicCodes.indexOf(b));
    partnerships.push({
      germanCity: german.key,
      partnerCity: partner.key,
      twinnedSince: rng.int(1950, 2015),
      joinedOn: isoOf(workingDay(dayOf(`${joinedYear}-01-15`) + rng.int(0, 300))),
      status: rng.chance(0.05) ? 'PAUSED' : 'ACTIVE',
      topics,
      sdgs: unique([11, 16, 17, ...topics.flatMap((t) => topicGoals[t])]).sort((a, b) => a - b),
    });
  }
  // Only the cities of the scale's partnerships (the tiny scale leaves most real pairs out).
  const planCities = cities.filter((c) => used.has(c.key));

  const departments = planDepartments(rng, planCities, partnerships, size.departmentsPerCity);
  const exchanges = planExchanges(rng, partnerships, departments, cityByKey, size.exchanges);
  const outcomes = planOutcomes(rng, partnerships, exchanges, cityByKey, size.outcomes);
  const cityKeys = new Set(planCities.map((c) => c.key));
  const accounts: DemoAccount[] = demoAccounts.filter(
    (a) => a.city === null || cityKeys.has(cityKey(a.city)),
  );
  const grains = size.quarterly ? 4 : 1;
  return {
    scale,
    seed,
    cities: planCities,
    partnerships,
    departments,
    exchanges,
    outcomes,
    accounts,
    valueCount: planCities.length * size.valueYears.length * grains * 3,
    targetCount: size.valueYears.length * indicators.length,
  };
}

/** Each city's departments: the international office, the mayor's, its topics' leads, others. */
function planDepartments(
  rng: Random,
  cities: readonly PlannedCity[],
  partnerships: readonly PlannedPartnership[],
  perCity: number,
): PlannedDepartment[] {
  const topicsOf = new Map<string, TopicCode[]>();
  for (const p of partnerships) {
    for (const city of [p.germanCity, p.partnerCity]) {
      topicsOf.set(city, unique([...(topicsOf.get(city) ?? []), ...p.topics]));
    }
  }
  const departments: PlannedDepartment[] = [];
  for (const city of cities) {
    const topics = topicsOf.get(city.key) ?? [];
    const types: DepartmentType[] = ['INTERNATIONAL_OFFICE', 'MAYORS_OFFICE'];
    for (const topic of topics) {
      for (const type of topicDepartments[topic]) if (!types.includes(type)) types.push(type);
    }
    const style = nameStyle(city.countryCode);
    const names = new Set<string>();
    for (const type of types.slice(0, perCity)) {
      const name =
        type === 'MAYORS_OFFICE' && city.german && city.region === city.name
          ? 'Senatskanzlei'
          : rng.pick(departmentNames[style][type]);
      // two types named alike in one city would break UNIQUE (city_id, name): keep the first
      if (names.has(name)) continue;
      names.add(name);
      departments.push({ city: city.key, name, type });
    }
  }
  return departments;
}

/** Shares `total` among `parts` as evenly as can be: the first ones get one more. */
function share(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0);
}

function planExchanges(
  rng: Random,
  partnerships: readonly PlannedPartnership[],
  departments: readonly PlannedDepartment[],
  cityByKey: ReadonlyMap<string, PlannedCity>,
  total: number,
): PlannedExchange[] {
  const byCity = new Map<string, { type: DepartmentType; position: number }[]>();
  departments.forEach((d, position) => {
    const list = byCity.get(d.city) ?? [];
    list.push({ type: d.type, position });
    byCity.set(d.city, list);
  });
  const exchanges: PlannedExchange[] = [];
  partnerships.forEach((p, index) => {
    const firstDay = dayOf(p.joinedOn) + rng.int(20, 60);
    const lastDay = p.status === 'PAUSED' ? dayOf('2025-06-30') : LAST_EXCHANGE_DAY;
    const count = share(total, partnerships.length, index);
    const starts = Array.from({ length: count }, (_, n) =>
      n === 0 ? firstDay : rng.int(firstDay + 14, lastDay),
    ).sort((a, b) => a - b);
    starts.forEach((start, n) => {
      const kickOff = n === 0;
      const kind: ExchangeKind = kickOff || rng.chance(0.28) ? 'POLITICAL' : 'TECHNICAL';
      const format: ExchangeFormat = rng.weighted({ IN_PERSON: 45, VIRTUAL: 35, HYBRID: 20 });
      const hostGerman = rng.chance(0.5);
      const host = hostGerman ? p.germanCity : p.partnerCity;
      const guest = hostGerman ? p.partnerCity : p.germanCity;
      const topics = rng.sample(p.topics, kind === 'TECHNICAL' && rng.chance(0.75) ? 1 : 2);
      topics.sort((a, b) => topicCodes.indexOf(a) - topicCodes.indexOf(b));
      const lead = topics[0] as TopicCode;
      const values = {
        german: cityByKey.get(p.germanCity)?.name ?? '',
        partner: cityByKey.get(p.partnerCity)?.name ?? '',
        host: cityByKey.get(host)?.name ?? '',
        guest: cityByKey.get(guest)?.name ?? '',
        theme: topicTheme[lead],
      };
      const travel = format !== 'VIRTUAL';
      const templates = (kind === 'POLITICAL' ? politicalTitles : technicalTitles[lead]).filter(
        (t) => travel || !t.visit,
      );
      const title =
        kickOff || templates.length === 0
          ? fill(kickOffTitle, values)
          : fill(rng.pick(templates).text, values);

      const startDay = workingDay(start);
      const length = format === 'VIRTUAL' ? 0 : format === 'HYBRID' ? rng.int(0, 1) : rng.int(1, 4);
      const conference = !kickOff && travel && rng.chance(0.06);
      const political = kind === 'POLITICAL';
      const participantCount = conference
        ? rng.int(80, 180)
        : political
          ? { IN_PERSON: rng.int(6, 30), VIRTUAL: rng.int(4, 16), HYBRID: rng.int(10, 40) }[format]
          : { IN_PERSON: rng.int(6, 24), VIRTUAL: rng.int(8, 35), HYBRID: rng.int(15, 60) }[format];
      const levels = new Set<GovernanceLevel>(['MUNICIPAL']);
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
      const taking = (city: string) => {
        const own = byCity.get(city) ?? [];
        const related = own.filter((d) => topics.some((t) => topicDepartments[t].includes(d.type)));
        const chosen = new Set<number>();
        for (const d of own) {
          if (d.type === 'INTERNATIONAL_OFFICE' && (political || rng.chance(0.6))) {
            chosen.add(d.position);
          }
          if (d.type === 'MAYORS_OFFICE' && political) chosen.add(d.position);
        }
        for (const d of rng.sample(related, rng.int(political ? 0 : 1, 2))) chosen.add(d.position);
        if (chosen.size === 0 && own[0]) chosen.add(own[0].position);
        return [...chosen];
      };
      exchanges.push({
        partnership: index,
        kind,
        format,
        title,
        startsOn: isoOf(startDay),
        endsOn: isoOf(Math.min(startDay + length, LAST_DAY)),
        hostCity: host,
        departments: [...taking(p.germanCity), ...taking(p.partnerCity)].sort((a, b) => a - b),
        participantCount,
        governanceLevels: governanceOrder.filter((l) => levels.has(l)),
        topics,
        sdgTargets: sdgTargets.sort(compareTargets),
      });
    });
  });
  return exchanges;
}

function planOutcomes(
  rng: Random,
  partnerships: readonly PlannedPartnership[],
  exchanges: readonly PlannedExchange[],
  cityByKey: ReadonlyMap<string, PlannedCity>,
  total: number,
): PlannedOutcome[] {
  const exchangesOf = partnerships.map((): number[] => []);
  exchanges.forEach((e, position) => {
    exchangesOf[e.partnership]?.push(position);
  });
  const lastOutcomeDay = dayOf('2026-11-20');
  const outcomes: PlannedOutcome[] = [];
  partnerships.forEach((p, index) => {
    const own = exchangesOf[index] ?? [];
    for (let n = 0; n < share(total, partnerships.length, index); n++) {
      const kind = rng.weighted<OutcomeKind>({
        NEW_APPROACH: 25,
        JOINT_PROJECT: 20,
        AGREEMENT: 12,
        POLICY_CHANGE: 10,
        KNOWLEDGE_PRODUCT: 18,
        FOLLOW_UP: 15,
      });
      const sourcePosition = own.length > 0 && rng.chance(0.65) ? rng.pick(own) : null;
      const source = sourcePosition === null ? null : exchanges[sourcePosition];
      const topic = source ? (source.topics[0] as TopicCode) : rng.pick(p.topics);
      const from = source ? dayOf(source.endsOn) + 14 : dayOf(p.joinedOn) + 60;
      const date = Math.min(workingDay(from + rng.int(0, 240)), lastOutcomeDay);
      const year = Number(isoOf(date).slice(0, 4));
      let status: OutcomeStatus;
      if (rng.chance(0.1)) status = 'DROPPED';
      else if (year >= 2026) status = rng.weighted({ PLANNED: 40, IN_PROGRESS: 45, ACHIEVED: 15 });
      else if (year === 2025) status = rng.weighted({ PLANNED: 10, IN_PROGRESS: 45, ACHIEVED: 45 });
      else status = rng.weighted({ IN_PROGRESS: 20, ACHIEVED: 80 });
      const names = {
        german: cityByKey.get(p.germanCity)?.name ?? '',
        partner: cityByKey.get(p.partnerCity)?.name ?? '',
      };
      const values = { ...names, city: rng.chance(0.5) ? names.german : names.partner };
      const titles = outcomeTitles[kind][topic];
      outcomes.push({
        partnership: index,
        exchange: sourcePosition,
        kind,
        status,
        title: titles.length > 0 ? fill(rng.pick(titles), values) : `${kind} ${n + 1}`,
        description: [
          fill(outcomeDescriptions[kind][status === 'ACHIEVED' ? 'done' : 'open'], values),
          ...(status === 'DROPPED' ? [rng.pick(droppedReasons)] : []),
        ].join(' '),
        date: isoOf(date),
        sdgTargets: unique([
          ...rng.sample(topicTargets[topic], rng.int(1, 2)),
          ...(kind === 'AGREEMENT' ? ['17.17'] : []),
        ]).sort(compareTargets),
      });
    }
  });
  return outcomes;
}

/**
 * The cities' reported values (U5 and S5 as survey fractions, N5 as a count), every city, every
 * year of the scale, per quarter or once a year. Yielded one city at a time from a generator of
 * their own (seeded from the plan's seed), so that a million values never sit in memory at once.
 * Who entered them: the city's demo editor where it has one, else SKEW administration.
 */
export function* generatedValues(plan: GeneratedPlan): Generator<GeneratedValue[]> {
  const rng = new Random(plan.seed ^ 0x5eed);
  const size = SCALE_SIZES[plan.scale];
  const last = size.valueYears[size.valueYears.length - 1] ?? 2025;
  const evaluator = plan.accounts.find((a) => a.role === 'SKEW_EVALUATOR');
  const admin = plan.accounts.find((a) => a.role === 'SKEW_ADMIN');
  if (!evaluator || !admin) throw new Error('The demo accounts lack SKEW accounts');
  const editors = new Map(
    plan.accounts.flatMap((a) =>
      a.role === 'CITY_EDITOR' && a.city ? [[cityKey(a.city), a.email] as const] : [],
    ),
  );
  const quarters = size.quarterly ? [1, 2, 3, 4] : [null];
  for (const city of plan.cities) {
    const rows: GeneratedValue[] = [];
    for (const year of size.valueYears) {
      const progress = year - (size.valueYears[0] ?? year);
      for (const quarter of quarters) {
        // a value is entered after its period ends: in the next quarter, or early next year
        const periodEnd =
          quarter === null ? dayOf(`${year + 1}-01-01`) : dayOf(`${year}-01-01`) + quarter * 91;
        for (const code of ['U5', 'S5', 'N5'] as const) {
          const status: ValueStatus =
            year < last ? 'APPROVED' : rng.weighted({ APPROVED: 60, SUBMITTED: 30, REJECTED: 10 });
          let fraction = { value: null as number | null, numerator: null as number | null };
          let denominator: number | null = null;
          if (code === 'N5') {
            fraction = {
              value: Math.max(0, rng.int(0, 2) + Math.floor(progress / 3)),
              numerator: null,
            };
          } else {
            denominator = rng.int(6, 60);
            const base = code === 'U5' ? 0.58 : 0.45;
            const rate = Math.min(
              0.95,
              Math.max(0.3, base + 0.02 * progress + (rng.next() - 0.5) * 0.16),
            );
            fraction = { value: null, numerator: Math.round(denominator * rate) };
          }
          const enteredDay = workingDay(periodEnd + rng.int(5, 60));
          const reviewed = status !== 'SUBMITTED';
          rows.push({
            indicatorCode: code,
            city: city.key,
            year,
            quarter,
            value: fraction.value,
            numerator: fraction.numerator,
            denominator,
            note: null,
            status,
            rejectionReason:
              status === 'REJECTED'
                ? rng.pick(rejectionReasons[code === 'N5' ? 'COUNT' : 'PERCENT'])
                : null,
            enteredBy: editors.get(city.key) ?? admin.email,
            enteredAt: timestamp(enteredDay, 480 + rng.int(0, 540)),
            reviewedBy: reviewed ? evaluator.email : null,
            reviewedAt: reviewed
              ? timestamp(enteredDay + rng.int(3, 30), 480 + rng.int(0, 540))
              : null,
          });
        }
      }
    }
    yield rows;
  }
}

/**
 * The programme-wide targets of every year cities report for, all 15 indicators, set around what
 * the year brought (from a little below it to nearly twice it, as the demo data set's) with the
 * previous year's figure as baseline, so that a dashboard over generated data shows indicators on
 * track, at risk and off track. The year's figures follow the catalogue's rules (figures.ts);
 * the reported ones are summed from the values as they are generated.
 */
export function generatedTargets(plan: GeneratedPlan): PlannedTarget[] {
  const rng = new Random(plan.seed ^ 0x7a67);
  const size = SCALE_SIZES[plan.scale];
  const reported = new Map<string, { numerator: number; denominator: number; value: number }>();
  for (const rows of generatedValues(plan)) {
    for (const v of rows) {
      if (v.status !== 'APPROVED') continue;
      const key = `${v.indicatorCode}|${v.year}`;
      const sums = reported.get(key) ?? { numerator: 0, denominator: 0, value: 0 };
      sums.numerator += v.numerator ?? 0;
      sums.denominator += v.denominator ?? 0;
      sums.value += v.value ?? 0;
      reported.set(key, sums);
    }
  }
  const all = plan.partnerships.map((_, i) => i);
  const counted = { ...plan, reportedValues: [], targets: [] };
  const targets: PlannedTarget[] = [];
  let previous: Record<string, number | null> = {};
  for (const year of size.valueYears) {
    const figures = demoFigures(counted, all, year);
    for (const code of ['U5', 'S5'] as const) {
      const sums = reported.get(`${code}|${year}`);
      figures[code] = sums?.denominator
        ? Math.round((sums.numerator / sums.denominator) * 1000) / 10
        : null;
    }
    figures.N5 = reported.get(`N5|${year}`)?.value ?? 0;
    for (const indicator of indicators) {
      const actual = figures[indicator.code] ?? null;
      const before = previous[indicator.code] ?? null;
      let baseline: number;
      let target: number;
      if (indicator.unit === 'PERCENT') {
        baseline = before ?? 50;
        target = Math.min(95, Math.round((actual ?? 65) + rng.int(-4, 14)));
      } else {
        const ceiling =
          indicator.code === 'U4'
            ? topicCodes.length
            : indicator.code === 'N1'
              ? all.length
              : Number.POSITIVE_INFINITY;
        baseline = before ?? 0;
        target = Math.min(
          ceiling,
          actual ? Math.max(1, Math.round(actual * (0.85 + rng.next()))) : rng.int(1, 3),
        );
      }
      targets.push({ indicatorCode: indicator.code, year, partnership: null, baseline, target });
    }
    previous = figures;
  }
  return targets;
}
