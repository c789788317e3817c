import type { Expectation } from './answers.ts';
import type { Caller, Programme } from './programme.ts';

/**
 * Calls the battery found answered wrongly once, kept as they were found, and the cases the
 * brief names: each must be refused as `expectation` says and change nothing.
 */
export interface KnownCase {
  name: string;
  mutation: string;
  caller: Caller;
  variables(p: Programme): Record<string, unknown>;
  expectation: Expectation;
}

const field = (path: string, level: Expectation['level'] = 'payload'): Expectation => ({
  level,
  paths: [path],
  requestPaths: level === 'payload' ? [] : [path],
});

/** A valid exchange of Bonn–Minneapolis for Bonn's city staff, to break in one field. */
const exchange = (p: Programme, changes: Record<string, unknown>) => ({
  input: {
    partnershipId: p.gid.partnership.ab,
    kind: 'TECHNICAL',
    format: 'VIRTUAL',
    title: 'Known case',
    startsOn: '2025-06-01',
    hostCityId: p.gid.city.a,
    departmentIds: [],
    participantCount: 3,
    governanceLevels: ['MUNICIPAL'],
    topics: [],
    sdgTargets: [],
    ...changes,
  },
});

const city = (changes: Record<string, unknown>) => ({
  input: { name: 'Known Case City', countryCode: 'GB', ...changes },
});

export const KNOWN_CASES: KnownCase[] = [
  {
    name: 'recordExchange on 2025-02-30',
    mutation: 'recordExchange',
    caller: 'editorA',
    variables: (p) => exchange(p, { startsOn: '2025-02-30' }),
    expectation: field('input.startsOn', 'request'),
  },
  {
    // there is no year 0 (1 BC is followed by AD 1); PostgreSQL refuses it, so must the API
    name: 'recordExchange starting 0000-01-01',
    mutation: 'recordExchange',
    caller: 'editorA',
    variables: (p) => exchange(p, { startsOn: '0000-01-01', endsOn: '0000-02-29' }),
    expectation: field('input.startsOn', 'request'),
  },
  {
    name: 'addDepartment named with U+0000',
    mutation: 'addDepartment',
    caller: 'editorA',
    variables: (p) => ({ input: { cityId: p.gid.city.a, name: 'Amt\u0000', type: 'OTHER' } }),
    expectation: field('input.name', 'request'),
  },
  {
    name: 'reportValues with a note holding U+0000',
    mutation: 'reportValues',
    caller: 'admin',
    variables: (p) => ({
      input: {
        values: [
          { indicatorCode: 'N5', cityId: p.gid.city.a, year: 2026, value: 1, note: '\u0000' },
        ],
      },
    }),
    expectation: field('input.values.0.note', 'request'),
  },
  {
    name: 'signIn with U+0000 in the address',
    mutation: 'signIn',
    caller: 'anonymous',
    variables: (p) => ({ email: `${p.accounts.admin.email}\u0000`, password: 'whatever-it-is' }),
    expectation: field('email', 'request'),
  },
  {
    name: 'reportValues for the year 32768 (beyond smallint)',
    mutation: 'reportValues',
    caller: 'admin',
    variables: (p) => ({
      input: { values: [{ indicatorCode: 'N5', cityId: p.gid.city.a, year: 32_768, value: 1 }] },
    }),
    expectation: field('input.values.0.year'),
  },
  {
    name: 'createCity with a region of 201 characters',
    mutation: 'createCity',
    caller: 'admin',
    variables: () => city({ region: 'r'.repeat(201) }),
    expectation: field('input.region'),
  },
  {
    // 'ß' upper-cases to SS (South Sudan), 'ﬀ' to FF
    name: 'createCity in the country ß',
    mutation: 'createCity',
    caller: 'admin',
    variables: () => city({ countryCode: 'ß' }),
    expectation: field('input.countryCode'),
  },
  {
    name: 'createCity in the country ﬀ',
    mutation: 'createCity',
    caller: 'admin',
    variables: () => city({ countryCode: 'ﬀ' }),
    expectation: field('input.countryCode'),
  },
];
