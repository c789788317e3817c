import { encodeGlobalID } from '@pothos/plugin-relay';
import fc from 'fast-check';
import {
  type GraphQLField,
  type GraphQLObjectType,
  getNamedType,
  isInputObjectType,
  isObjectType,
} from 'graphql';
import { sql } from 'kysely';
import { schema } from '../../src/schema.ts';
import {
  type Breakage,
  badIds,
  blankText,
  dateBetween,
  doubleAbove,
  doubleBelow,
  negativeInt,
  overlongText,
  requestBreakages,
  setting,
  settingAll,
  textWithNul,
} from './arbitraries.ts';
import { type Caller, PASSWORD, type Programme } from './programme.ts';

/**
 * One mutation of `type Mutation` as the battery calls it: who may call it, a valid set of
 * variables, and what can be wrong with them beyond what the schema's types refuse (those are
 * derived from the schema, see `requestBreakages`).
 */
export interface MutationSpec {
  name: string;
  /** Callers allowed to make the change; every other caller is refused. */
  callers: readonly Caller[];
  /** Variables the caller could send with success; the battery never sends them unbroken. */
  valid(caller: Caller): Record<string, unknown>;
  /** What the mutation itself must refuse, for this caller. */
  breakages(caller: Caller): fc.Arbitrary<Breakage>[];
  /** The payload's errors name no field by design. */
  fieldless?: boolean;
  /** Tables a refused call changes by design (signIn counts failed attempts). */
  changes?: readonly string[];
}

/** The operation of a mutation, selecting its whole payload shallowly, with typed variables. */
export function documentOf(name: string): string {
  const field = schema.getMutationType()?.getFields()[name] as GraphQLField<unknown, unknown>;
  const variables = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const args = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const payload = getNamedType(field.type) as GraphQLObjectType;
  const selection = Object.values(payload.getFields())
    .map((f) =>
      f.name === 'errors'
        ? 'errors { code field message }'
        : isObjectType(getNamedType(f.type))
          ? `${f.name} { __typename }`
          : f.name,
    )
    .join(' ');
  return `mutation Battery${variables ? `(${variables})` : ''} { ${name}${
    args ? `(${args})` : ''
  } { ${selection} } }`;
}

/** The schema's request-level breakages of a mutation's arguments and input object. */
export function schemaBreakages(name: string, valid: Record<string, unknown>) {
  const field = schema.getMutationType()?.getFields()[name] as GraphQLField<unknown, unknown>;
  const breakages = requestBreakages(field.args, '', valid);
  for (const arg of field.args) {
    const type = getNamedType(arg.type);
    if (isInputObjectType(type)) {
      breakages.push(
        ...requestBreakages(Object.values(type.getFields()), arg.name, valid[arg.name]),
      );
    }
  }
  return breakages;
}

const EDITORS: readonly Caller[] = ['admin', 'editorA'];
const SKEW: readonly Caller[] = ['admin', 'evaluator'];

/** The specs of every mutation the battery calls (signOut is fuzzed apart: it takes no input). */
export async function mutationSpecs(p: Programme): Promise<MutationSpec[]> {
  const { gid } = p;
  const targetCodes = new Set(
    (await sql<{ code: string }>`select code from sdg_target`.execute(p.db)).rows.map(
      (r) => r.code,
    ),
  );
  const indicators = (
    await sql<{ code: string; source: string }>`select code, source from indicator`.execute(p.db)
  ).rows;
  const indicatorCodes = indicators.map((i) => i.code);
  const computedCodes = indicators.filter((i) => i.source === 'COMPUTED').map((i) => i.code);

  // every real id of each type, to use where another type's id is expected
  const all = {
    City: Object.values(gid.city),
    Partnership: Object.values(gid.partnership),
    Department: Object.values(gid.department),
    Exchange: Object.values(gid.exchange),
    Outcome: Object.values(gid.outcome),
    ReportedValue: Object.values(gid.value),
    User: Object.values(gid.user),
  };
  const idsNot = (typename: keyof typeof all) =>
    badIds(
      typename,
      Object.entries(all).flatMap(([t, ids]) => (t === typename ? [] : ids)),
    );

  const unknownTargetCode = fc
    .oneof(
      fc.constantFrom('18.1', '11.99', '0.1', '11', '11.', '.6', '11.6.1', '11,6', '', 'XI.6', 'a'),
      fc.string({ maxLength: 8 }),
    )
    .filter((code) => !targetCodes.has(code.trim()));
  const unknownIndicatorCode = fc
    .oneof(fc.constantFrom('U6', 'X1', 'u5', '', 'U 5', 'U55'), fc.string({ maxLength: 6 }))
    .filter((code) => !indicatorCodes.includes(code.trim()));
  const yearOutOfRange = fc.oneof(
    fc.integer({ min: -(2 ** 31), max: 1999 }),
    fc.integer({ min: 2101, max: 2 ** 31 - 1 }),
  );
  const titleBreakages = (path: string, max: number) => [
    setting(path, blankText, 'blank'),
    setting(path, overlongText(max), 'too long'),
    setting(path, textWithNul, 'U+0000 in text', 'either'),
  ];
  const sdgTargetBreakage = (path: string) =>
    fc
      .tuple(unknownTargetCode, fc.constantFrom('11.6', '12.5'))
      .chain(([unknown, known]) =>
        setting(
          path,
          fc.shuffledSubarray([unknown, known], { minLength: 2 }),
          'unknown SDG target',
        ),
      );
  /** A record of the other partnership (Köln–Liverpool): foreign to Bonn's city staff. */
  const foreignFor = (caller: Caller, path: string, id: string) =>
    caller === 'editorA' ? [setting(path, fc.constant(id), "another city's record")] : [];

  const createCity: MutationSpec = {
    name: 'createCity',
    callers: ['admin'],
    valid: () => ({
      input: {
        name: 'Batteriestadt',
        countryCode: 'DE',
        region: 'Nordrhein-Westfalen',
        population: 12_000,
        latitude: 50.7,
        longitude: 7.1,
      },
    }),
    breakages: () => [
      ...titleBreakages('input.name', 200),
      settingAll(
        'input.name',
        fc
          .constantFrom('Bonn', ' Bonn ')
          .map((name) => ({ 'input.name': name, 'input.countryCode': 'DE' })),
        'a city of that name exists in that country',
      ),
      setting(
        'input.countryCode',
        fc
          .oneof(
            fc.constantFrom('', 'D', 'DEU', '12', 'D1', 'Ä', 'ß', 'ﬀ', 'd e', '  '),
            fc.string({ maxLength: 4 }),
          )
          .filter((code) => !/^[A-Za-z]{2}$/.test(code.trim())),
        'not an ISO country code',
      ),
      setting('input.countryCode', fc.constant('DE\u0000'), 'U+0000 in text', 'either'),
      setting('input.population', negativeInt, 'negative'),
      setting('input.latitude', fc.oneof(doubleAbove(90), doubleBelow(-90)), 'out of range'),
      setting('input.longitude', fc.oneof(doubleAbove(180), doubleBelow(-180)), 'out of range'),
      setting('input.region', overlongText(200), 'too long'),
      setting('input.region', textWithNul, 'U+0000 in text', 'either'),
    ],
  };

  const createPartnership: MutationSpec = {
    name: 'createPartnership',
    callers: ['admin'],
    valid: () => ({
      input: {
        germanCityId: gid.city.a,
        partnerCityId: gid.city.d,
        twinnedSince: 1990,
        joinedOn: '2024-01-01',
        topics: ['ZERO_WASTE', 'SPONGE_CITY'],
      },
    }),
    breakages: () => [
      setting('input.germanCityId', idsNot('City'), 'not a city'),
      setting('input.germanCityId', fc.constant(gid.city.b), 'a city outside Germany'),
      setting('input.partnerCityId', idsNot('City'), 'not a city'),
      setting('input.partnerCityId', fc.constant(gid.city.c), 'a German city'),
      setting('input.partnerCityId', fc.constant(gid.city.a), 'the German city itself'),
      setting('input.partnerCityId', fc.constant(gid.city.b), 'partners already'),
      setting(
        'input.twinnedSince',
        yearOutOfRange.filter((y) => y < 1900 || y > 2100),
        'out of range',
      ),
    ],
  };

  const addDepartment: MutationSpec = {
    name: 'addDepartment',
    callers: EDITORS,
    valid: () => ({ input: { cityId: gid.city.a, name: 'Kulturamt', type: 'CULTURE' } }),
    breakages: (caller) => [
      setting('input.cityId', idsNot('City'), 'not a city'),
      ...(caller === 'editorA'
        ? [setting('input.cityId', fc.constantFrom(gid.city.b, gid.city.c), 'another city')]
        : []),
      ...titleBreakages('input.name', 200),
      setting('input.name', fc.constantFrom('Amt für Umwelt', ' Amt für Umwelt'), 'exists'),
    ],
  };

  const exchangeBreakages = (caller: Caller, update: boolean): fc.Arbitrary<Breakage>[] => [
    ...titleBreakages('input.title', 300),
    setting(
      'input.endsOn',
      update ? dateBetween('2000-01-01', '2025-02-28') : dateBetween('2000-01-01', '2025-08-31'),
      'before startsOn',
    ),
    setting(
      'input.hostCityId',
      fc.oneof(idsNot('City'), fc.constantFrom(gid.city.c, gid.city.d)),
      'not a city of the partnership',
    ),
    fc
      .tuple(
        fc.oneof(idsNot('Department'), fc.constantFrom(gid.department.c, gid.department.d)),
        fc.nat(2),
      )
      .chain(([bad, at]) => {
        const ids = [gid.department.a, gid.department.b];
        ids.splice(at, 0, bad);
        return setting(
          'input.departmentIds',
          fc.constant(ids),
          'a department not of the partnership',
        );
      }),
    setting('input.participantCount', negativeInt, 'negative'),
    setting('input.governanceLevels', fc.constant([]), 'none'),
    sdgTargetBreakage('input.sdgTargets'),
    ...(update
      ? [
          setting('input.id', idsNot('Exchange'), 'not an exchange'),
          ...foreignFor(caller, 'input.id', gid.exchange.cd),
          ...['kind', 'format', 'title', 'startsOn', 'hostCityId', 'participantCount'].map((name) =>
            setting(`input.${name}`, fc.constant(null), 'cleared'),
          ),
          ...['departmentIds', 'governanceLevels', 'topics', 'sdgTargets'].map((name) =>
            setting(`input.${name}`, fc.constant(null), 'null list'),
          ),
        ]
      : [
          setting('input.partnershipId', idsNot('Partnership'), 'not a partnership'),
          ...foreignFor(caller, 'input.partnershipId', gid.partnership.cd),
        ]),
  ];

  const recordExchange: MutationSpec = {
    name: 'recordExchange',
    callers: EDITORS,
    valid: () => ({
      input: {
        partnershipId: gid.partnership.ab,
        kind: 'TECHNICAL',
        format: 'HYBRID',
        title: 'Battery workshop',
        startsOn: '2025-09-01',
        endsOn: '2025-09-03',
        hostCityId: gid.city.a,
        departmentIds: [gid.department.a, gid.department.b],
        participantCount: 12,
        governanceLevels: ['MUNICIPAL', 'NATIONAL'],
        topics: ['ZERO_WASTE'],
        sdgTargets: ['12.5', '11.6'],
      },
    }),
    breakages: (caller) => exchangeBreakages(caller, false),
  };

  const updateExchange: MutationSpec = {
    name: 'updateExchange',
    callers: EDITORS,
    valid: () => ({ input: { id: gid.exchange.ab, title: 'Zero waste workshop, day two' } }),
    breakages: (caller) => exchangeBreakages(caller, true),
  };

  const deleteExchange: MutationSpec = {
    name: 'deleteExchange',
    callers: EDITORS,
    valid: () => ({ input: { id: gid.exchange.ab } }),
    breakages: (caller) => [
      setting('input.id', idsNot('Exchange'), 'not an exchange'),
      ...foreignFor(caller, 'input.id', gid.exchange.cd),
    ],
  };

  const outcomeBreakages = (caller: Caller, update: boolean): fc.Arbitrary<Breakage>[] => [
    ...titleBreakages('input.title', 300),
    setting('input.description', overlongText(10_000), 'too long'),
    setting('input.description', textWithNul, 'U+0000 in text', 'either'),
    sdgTargetBreakage('input.sdgTargets'),
    ...(update
      ? [
          setting('input.id', idsNot('Outcome'), 'not an outcome'),
          ...foreignFor(caller, 'input.id', gid.outcome.cd),
          ...['kind', 'status', 'title', 'date', 'sdgTargets'].map((name) =>
            setting(`input.${name}`, fc.constant(null), 'cleared'),
          ),
        ]
      : [
          setting('input.partnershipId', idsNot('Partnership'), 'not a partnership'),
          ...foreignFor(caller, 'input.partnershipId', gid.partnership.cd),
          setting(
            'input.exchangeId',
            fc.oneof(idsNot('Exchange'), fc.constant(gid.exchange.cd)),
            'not an exchange of the partnership',
          ),
        ]),
  ];

  const recordOutcome: MutationSpec = {
    name: 'recordOutcome',
    callers: EDITORS,
    valid: () => ({
      input: {
        partnershipId: gid.partnership.ab,
        exchangeId: gid.exchange.ab,
        kind: 'JOINT_PROJECT',
        status: 'PLANNED',
        title: 'Battery-powered repair café',
        description: 'Agreed at the workshop.',
        date: '2025-10-01',
        sdgTargets: ['12.5'],
      },
    }),
    breakages: (caller) => outcomeBreakages(caller, false),
  };

  const updateOutcome: MutationSpec = {
    name: 'updateOutcome',
    callers: EDITORS,
    valid: () => ({ input: { id: gid.outcome.ab, status: 'IN_PROGRESS' } }),
    breakages: (caller) => outcomeBreakages(caller, true),
  };

  /** One breakage of a reported value: the value at `index` of the valid batch (0 U5, 1 N5). */
  const valueBreakages = (caller: Caller): fc.Arbitrary<Breakage>[] => {
    const at = (index: number, name: string) => `input.values.${index}.${name}`;
    const either = (name: string, values: fc.Arbitrary<unknown>, label: string) =>
      fc.nat(1).chain((index) => setting(at(index, name), values, label));
    return [
      // the PERCENT value (U5, numerator 12 of 40)
      setting(
        at(0, 'numerator'),
        doubleAbove(40).filter((n) => n <= 1e300),
        'more than the denominator',
      ),
      setting(at(0, 'numerator'), doubleBelow(0), 'negative'),
      setting(at(0, 'numerator'), fc.constant(null), 'missing'),
      setting(at(0, 'denominator'), fc.oneof(doubleBelow(0), fc.constant(0)), 'not positive'),
      setting(
        at(0, 'value'),
        fc.double({ min: 0, max: 100, noNaN: true }),
        'a value for a percentage',
      ),
      // the COUNT value (N5, 3)
      setting(
        at(1, 'value'),
        fc.oneof(
          doubleBelow(0),
          fc.double({ min: 0, max: 1e6, noNaN: true }).filter((v) => !Number.isInteger(v)),
        ),
        'negative or not whole',
      ),
      setting(at(1, 'numerator'), fc.nat(10), 'a numerator for a count'),
      setting(at(1, 'value'), fc.constant(null), 'missing'),
      // either value
      either('indicatorCode', unknownIndicatorCode, 'no such indicator'),
      either('indicatorCode', fc.constantFrom(...computedCodes), 'a computed indicator'),
      either('cityId', idsNot('City'), 'not a city'),
      ...(caller === 'editorA'
        ? [either('cityId', fc.constantFrom(gid.city.b, gid.city.c, gid.city.d), 'another city')]
        : []),
      either('year', yearOutOfRange, 'out of range'),
      either(
        'quarter',
        fc.oneof(fc.integer({ max: 0, min: -(2 ** 31) }), fc.integer({ min: 5, max: 2 ** 31 - 1 })),
        'no quarter',
      ),
      either('note', overlongText(2_000), 'too long'),
      fc
        .nat(1)
        .chain((index) => setting(at(index, 'note'), textWithNul, 'U+0000 in text', 'either')),
      // the batch as a whole
      settingAll('input.values', fc.constant({ 'input.values': [] }), 'an empty batch', {
        alone: true,
      }),
      settingAll(
        'input.values',
        fc.constant({
          'input.values': Array.from({ length: 501 }, (_, i) => ({
            indicatorCode: 'N5',
            cityId: gid.city.a,
            year: 2000 + (i % 100),
            quarter: 1 + (Math.floor(i / 100) % 4),
            value: 1,
          })),
        }),
        'more than 500 values',
        { alone: true },
      ),
      settingAll(
        'input.values.2',
        fc.nat(1).map((index) => ({
          'input.values.2': { ...validValues()[index] },
        })),
        'the same indicator, city and period twice',
        { alone: true },
      ),
      settingAll(
        'input.values.2.quarter',
        fc.integer({ min: 1, max: 4 }).map((quarter) => ({
          'input.values.2': { ...validValues()[0], quarter },
        })),
        'a year reported once and per quarter in one batch',
        { alone: true },
      ),
      settingAll(
        'input.values.0.quarter',
        fc.integer({ min: 1, max: 4 }).map((quarter) => ({
          'input.values.0.year': 2025,
          'input.values.0.quarter': quarter,
        })),
        'a quarter of a year reported once for the year',
        { alone: true },
      ),
      settingAll(
        'input.values.0',
        fc.constant({ 'input.values.0.year': 2024 }),
        'approved already',
        {
          alone: true,
        },
      ),
    ];
  };
  const validValues = () => [
    {
      indicatorCode: 'U5',
      cityId: gid.city.a,
      year: 2026,
      numerator: 12,
      denominator: 40,
      note: 'Survey',
    },
    { indicatorCode: 'N5', cityId: gid.city.a, year: 2026, value: 3 },
  ];

  const reportValues: MutationSpec = {
    name: 'reportValues',
    callers: EDITORS,
    valid: () => ({ input: { values: validValues() } }),
    breakages: valueBreakages,
  };

  const reviewValue: MutationSpec = {
    name: 'reviewValue',
    callers: SKEW,
    valid: () => ({ input: { valueId: gid.value.aSubmitted, decision: 'APPROVE' } }),
    breakages: () => [
      setting('input.valueId', idsNot('ReportedValue'), 'not a reported value'),
      setting(
        'input.valueId',
        fc.constantFrom(
          gid.value.aApproved,
          gid.value.aDraft,
          gid.value.aRejected,
          gid.value.cApproved,
        ),
        'not submitted',
      ),
      settingAll(
        'input.reason',
        fc.oneof(fc.constant(undefined), fc.constant(null), blankText).map((reason) => ({
          'input.decision': 'REJECT',
          'input.reason': reason,
        })),
        'a rejection without a reason',
      ),
      setting('input.reason', overlongText(2_000), 'too long'),
      settingAll(
        'input.reason',
        textWithNul.map((reason) => ({ 'input.decision': 'REJECT', 'input.reason': reason })),
        'U+0000 in text',
      ).map((b) => ({ ...b, level: 'either' as const })),
    ],
  };

  const undoReview: MutationSpec = {
    name: 'undoReview',
    callers: SKEW,
    // approved long before the battery runs: no reviewer's decision of the last minutes
    valid: () => ({ input: { valueId: gid.value.aApproved } }),
    breakages: () => [
      setting('input.valueId', idsNot('ReportedValue'), 'not a reported value'),
      setting(
        'input.valueId',
        fc.constantFrom(gid.value.aSubmitted, gid.value.aDraft, gid.value.cApproved),
        'not decided by the caller in the last minutes',
      ),
    ],
  };

  // A correction of city a's approved U5 value of 2024 (10 of 20).
  const proposeCorrection: MutationSpec = {
    name: 'proposeCorrection',
    callers: EDITORS,
    valid: () => ({
      input: {
        indicatorCode: 'U5',
        cityId: gid.city.a,
        year: 2024,
        numerator: 11,
        denominator: 20,
        note: 'Recounted',
      },
    }),
    breakages: (caller) => [
      setting(
        'input.numerator',
        doubleAbove(20).filter((n) => n <= 1e300),
        'more than the denominator',
      ),
      setting('input.numerator', doubleBelow(0), 'negative'),
      setting('input.denominator', fc.oneof(doubleBelow(0), fc.constant(0)), 'not positive'),
      setting('input.indicatorCode', unknownIndicatorCode, 'no such indicator'),
      setting('input.cityId', idsNot('City'), 'not a city'),
      setting('input.year', yearOutOfRange, 'out of range'),
      setting('input.year', fc.constantFrom(2021, 2026), 'no approved value to correct'),
      ...foreignFor(caller, 'input.cityId', gid.city.c),
    ],
  };

  const deleteOutcome: MutationSpec = {
    name: 'deleteOutcome',
    callers: EDITORS,
    valid: () => ({ input: { id: gid.outcome.ab } }),
    breakages: (caller) => [
      setting('input.id', idsNot('Outcome'), 'not an outcome'),
      ...foreignFor(caller, 'input.id', gid.outcome.cd),
    ],
  };

  const setTarget: MutationSpec = {
    name: 'setTarget',
    callers: SKEW,
    valid: () => ({
      input: {
        indicatorCode: 'U1',
        year: 2027,
        partnershipId: gid.partnership.ab,
        baseline: 1,
        target: 10,
      },
    }),
    breakages: () => [
      setting('input.indicatorCode', unknownIndicatorCode, 'no such indicator'),
      setting('input.indicatorCode', textWithNul, 'U+0000 in text', 'either'),
      setting('input.year', yearOutOfRange, 'out of range'),
      setting('input.partnershipId', idsNot('Partnership'), 'not a partnership'),
      setting('input.baseline', doubleBelow(0), 'negative'),
      setting('input.target', doubleBelow(0), 'negative'),
      settingAll(
        'input.target',
        doubleAbove(100).map((target) => ({ 'input.indicatorCode': 'U5', 'input.target': target })),
        'a percentage above 100',
      ),
      settingAll(
        'input.baseline',
        doubleAbove(100).map((baseline) => ({
          'input.indicatorCode': 'U5',
          'input.baseline': baseline,
          'input.target': 50,
        })),
        'a percentage above 100',
      ),
    ],
  };

  const badEmail = fc
    .oneof(
      fc.constantFrom('', 'no-at-sign', 'a@b', '@x.de', 'a b@c.de', 'a@b.c d', 'a@@b.de', 'ä@'),
      fc.string({ maxLength: 20 }),
    )
    .filter((email) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()));
  const userBreakages: fc.Arbitrary<Breakage>[] = [
    setting('input.displayName', blankText, 'blank'),
    setting('input.displayName', overlongText(200), 'too long'),
    setting('input.displayName', textWithNul, 'U+0000 in text', 'either'),
    setting('input.cityId', idsNot('City'), 'not a city'),
    setting(
      'input.password',
      fc.oneof(fc.string({ maxLength: 11 }), fc.string({ minLength: 1025, maxLength: 1100 })),
      'too short or too long',
    ),
  ];

  const createUser: MutationSpec = {
    name: 'createUser',
    callers: ['admin'],
    valid: () => ({
      input: {
        email: 'new.person@battery.example',
        displayName: 'New Person',
        role: 'CITY_EDITOR',
        cityId: gid.city.a,
        password: 'correct-horse-battery',
      },
    }),
    breakages: () => [
      ...userBreakages,
      setting(
        'input.email',
        fc.oneof(
          badEmail,
          overlongText(254).map((s) => `${s}@x.de`),
        ),
        'not an address',
      ),
      setting(
        'input.email',
        fc.constantFrom('editor.a@example.org', ' Editor.A@Example.ORG '),
        'taken',
      ),
      setting(
        'input.email',
        textWithNul.map((s) => `${s}@x.de`),
        'U+0000 in text',
        'either',
      ),
      // one path for both, so that they are never combined into a valid programme account
      setting('input.cityId', fc.constant(null), 'a city account without a city'),
      settingAll(
        'input.cityId',
        fc
          .constantFrom('SKEW_ADMIN', 'SKEW_EVALUATOR', 'FOREIGN_OFFICE')
          .map((role) => ({ 'input.role': role })),
        'a programme account with a city',
      ),
    ],
  };

  const updateUser: MutationSpec = {
    name: 'updateUser',
    callers: ['admin'],
    valid: () => ({ input: { id: gid.user.viewerA, displayName: 'Viewer of Bonn' } }),
    breakages: () => [
      ...userBreakages,
      setting('input.id', idsNot('User'), 'not an account'),
      setting('input.cityId', fc.constant(null), 'a city account without a city'),
      settingAll(
        'input.cityId',
        fc.constantFrom('SKEW_ADMIN', 'SKEW_EVALUATOR', 'FOREIGN_OFFICE').map((role) => ({
          'input.role': role,
          'input.cityId': gid.city.a,
        })),
        'a programme account with a city',
      ),
      settingAll(
        'input.cityId',
        fc.constantFrom('CITY_EDITOR', 'CITY_VIEWER').map((role) => ({
          'input.id': gid.user.monitor,
          'input.role': role,
        })),
        'a city account without a city',
      ),
      settingAll(
        'input.active',
        fc.constant({
          'input.id': encodeGlobalID('User', p.accounts.admin.id),
          'input.active': false,
        }),
        'deactivating oneself',
        { alone: true },
      ),
      settingAll(
        'input.role',
        fc.constantFrom('SKEW_EVALUATOR', 'FOREIGN_OFFICE').map((role) => ({
          'input.id': encodeGlobalID('User', p.accounts.admin.id),
          'input.role': role,
        })),
        'demoting oneself',
        { alone: true },
      ),
    ],
  };

  const signIn: MutationSpec = {
    name: 'signIn',
    callers: ['anonymous'],
    valid: () => ({ email: p.accounts.admin.email, password: PASSWORD }),
    fieldless: true,
    changes: ['sign_in_throttle'],
    breakages: () => [
      setting(
        'password',
        fc.string({ maxLength: 30 }).filter((s) => s !== PASSWORD),
        'wrong password',
      ),
      setting('password', fc.string({ minLength: 1025, maxLength: 1100 }), 'too long'),
      setting('email', fc.emailAddress(), 'no such account'),
      setting('email', blankText, 'blank'),
      setting('email', textWithNul, 'U+0000 in text', 'either'),
    ],
  };

  return [
    createCity,
    createPartnership,
    addDepartment,
    recordExchange,
    updateExchange,
    deleteExchange,
    recordOutcome,
    updateOutcome,
    deleteOutcome,
    reportValues,
    reviewValue,
    undoReview,
    proposeCorrection,
    setTarget,
    createUser,
    updateUser,
    signIn,
  ];
}
