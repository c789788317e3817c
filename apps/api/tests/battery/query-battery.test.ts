import { encodeGlobalID } from '@pothos/plugin-relay';
import { testEngines } from '@udx/db/testing';
import fc from 'fast-check';
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema.ts';
import { badDate, badIds, wrongValues } from './arbitraries.ts';
import { CALLERS, type Programme, postOperation, startProgramme } from './programme.ts';
import { changedTables, type DatabaseSnapshot, snapshotDatabase } from './snapshot.ts';

/**
 * Every field of `type Query` with arguments fast-check makes up (plausible ones, extreme
 * ones, cursors and ids forged, values of the wrong type) from every caller: never a 5xx, never
 * an internal error, and nothing written. A read is refused or answered, it never breaks.
 *
 * UDX_BATTERY_SEED replays a run; UDX_BATTERY_RUNS sets the runs per property (default 20).
 */
const SEED = process.env.UDX_BATTERY_SEED ? Number(process.env.UDX_BATTERY_SEED) : undefined;
const RUNS = Number(process.env.UDX_BATTERY_RUNS ?? 20);

const QUERY_FIELDS = Object.values(
  (schema.getQueryType() as GraphQLObjectType).getFields(),
) as GraphQLField<unknown, unknown>[];

/** Cursors a client could send: the server's own shape with numbers no page has, and garbage. */
const cursor = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('OffsetConnection', 'arrayconnection', 'cursor', ''),
      fc.constantFrom('-1', '0', '1', '1.5', '1e21', 'NaN', '99999999999', '2147483648', ''),
    )
    .map(([prefix, n]) => Buffer.from(`${prefix}:${n}`).toString('base64')),
  fc.string({ maxLength: 20 }),
  fc.base64String({ maxLength: 24 }),
);

const extremeInt = fc.oneof(
  fc.integer({ min: -3, max: 120 }),
  fc.constantFrom(-(2 ** 31), 2 ** 31 - 1, 32_767, 32_768, -32_769, 1_000_000, 0),
);

const dateTime = fc.oneof(
  fc
    .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '0000-01-01T00:00:00Z',
    '+275760-09-13T00:00:00.000Z',
    '-271821-04-20T00:00:00.000Z',
    '9999-12-31T23:59:59Z',
    '1970-01-01',
    '2025-13-01T00:00:00Z',
    'now',
    '0',
  ),
);

/** A plausible or extreme value for an argument of `type`; wrong ones now and then. */
function argumentValues(
  type: GraphQLInputType,
  name: string,
  ids: readonly string[],
): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return argumentValues(type.ofType, name, ids);
  if (isListType(type)) {
    return fc.array(argumentValues(type.ofType, name, ids), { maxLength: 4 });
  }
  const named = getNamedType(type);
  const plausible = ((): fc.Arbitrary<unknown> => {
    if (isEnumType(named)) return fc.constantFrom(...named.getValues().map((v) => v.name));
    if (isInputObjectType(named)) {
      const fields = Object.fromEntries(
        Object.values(named.getFields()).map((f) => [f.name, argumentValues(f.type, f.name, ids)]),
      );
      return fc.record(fields, { requiredKeys: [] });
    }
    if (['before', 'after'].includes(name)) return cursor;
    switch (named.name) {
      case 'ID':
        return fc.oneof(fc.constantFrom(...ids), badIds('City', ids), extremeInt.map(String));
      case 'Int':
        return extremeInt;
      case 'Float':
        return fc.double({ noNaN: true, noDefaultInfinity: true });
      case 'Boolean':
        return fc.boolean();
      case 'Date':
        return fc.oneof(
          fc.constantFrom('0001-01-01', '1999-12-31', '2025-06-30', '9999-12-31'),
          badDate,
        );
      case 'DateTime':
        return dateTime;
      default:
        return fc.oneof(
          fc.constantFrom('U1', 'U5', 'N5', 'DE', 'us', 'exchange', 'app_user', ''),
          fc.constantFrom('admin@battery.example', '%', '_', '\\', "'", '11.6'),
          fc.string({ maxLength: 12 }),
        );
    }
  })();
  return fc.oneof({ weight: 5, arbitrary: plausible }, { weight: 1, arbitrary: wrongValues(type) });
}

/** The selection of a field's result: its scalars, a connection's page and cursors. */
function selectionOf(field: GraphQLField<unknown, unknown>): string {
  const type = getNamedType(field.type);
  if (isLeafType(type)) return '';
  if (!isObjectType(type)) return '{ __typename }';
  const fields = type.getFields();
  if (fields.edges) {
    return `{ ${fields.totalCount ? 'totalCount ' : ''}pageInfo { hasNextPage endCursor } edges { cursor node { __typename } } }`;
  }
  const scalars = Object.values(fields)
    .filter((f) => isLeafType(getNamedType(f.type)) && f.args.every((a) => !isNonNullType(a.type)))
    .map((f) => f.name);
  if (type.name === 'Dashboard') scalars.push('totals { exchanges participants }');
  return `{ __typename ${scalars.join(' ')} }`;
}

function documentOfQuery(field: GraphQLField<unknown, unknown>): string {
  const args = field.args as GraphQLArgument[];
  const variables = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `query Battery${variables ? `(${variables})` : ''} { ${field.name}${
    passed ? `(${passed})` : ''
  } ${selectionOf(field)} }`;
}

describe.each(testEngines())('every query under fuzz on %s', (engine) => {
  let p: Programme;
  let snapshot: DatabaseSnapshot;
  let ids: string[];

  beforeAll(async () => {
    p = await startProgramme(engine);
    snapshot = await snapshotDatabase(p.db);
    ids = [
      ...Object.values(p.gid).flatMap((group) => Object.values(group)),
      encodeGlobalID('Indicator', 1),
      encodeGlobalID('Target', 1),
    ];
  });
  afterAll(async () => {
    await p?.stop();
  });

  const cursorOf = (text: string) => Buffer.from(text).toString('base64');

  // What the battery found answered with an internal error once, each a request error now
  // (a literal the scalar refuses fails validation, a variable its coercion).
  it.each([
    [
      'a cursor whose offset is no number',
      '{ cities(after: $c) { totalCount } }',
      cursorOf('OffsetConnection:x'),
    ],
    [
      'a cursor beyond any offset',
      '{ users(after: $c) { totalCount } }',
      cursorOf(`OffsetConnection:${'9'.repeat(22)}`),
    ],
    ['a year beyond smallint', '{ targets(year: 40000) { year } }', null],
    ['a year beyond smallint', '{ reportedValues(year: -40000) { totalCount } }', null],
    [
      'a date-time in the year 0',
      '{ auditLog(from: "0000-06-01T00:00:00Z") { totalCount } }',
      null,
    ],
    [
      'a date-time before 4713 BC',
      '{ auditLog(to: "-271821-04-20T00:00:00.000Z") { totalCount } }',
      null,
    ],
    [
      'a date-time after 294276',
      '{ auditLog(from: "+275760-09-13T00:00:00.000Z") { totalCount } }',
      null,
    ],
  ])('known case: %s (%s)', async (_name, query, after) => {
    const document = after === null ? query : `query ($c: String) ${query}`;
    const answer = await postOperation(p, 'admin', document, after === null ? {} : { c: after });
    expect(answer.status, answer.text).toBeLessThan(500);
    const [error] = JSON.parse(answer.text).errors ?? [];
    expect(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED'], answer.text).toContain(
      error?.extensions?.code,
    );
  });

  it.each(QUERY_FIELDS.map((f) => [f.name, f] as const))(
    '%s answers any arguments below 500 and without an internal error',
    async (_name, field) => {
      const values = () =>
        fc.record(
          Object.fromEntries(
            field.args.map((a) => [a.name, argumentValues(a.type, a.name, ids)]),
          ) as Record<string, fc.Arbitrary<unknown>>,
          { requiredKeys: field.args.filter((a) => isNonNullType(a.type)).map((a) => a.name) },
        );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...CALLERS), values(), async (caller, variables) => {
          const answer = await postOperation(p, caller, documentOfQuery(field), variables);
          const context = `${field.name} as ${caller} with ${JSON.stringify(variables).slice(
            0,
            300,
          )} → ${answer.status} ${answer.text.slice(0, 400)}`;
          expect(answer.status, context).toBeLessThan(500);
          const json = JSON.parse(answer.text);
          for (const error of json.errors ?? []) {
            expect(error.extensions?.code, context).not.toMatch(/INTERNAL|DATABASE/);
            expect(typeof error.message === 'string' && error.message !== '', context).toBe(true);
          }
          const after = await snapshotDatabase(p.db);
          expect(changedTables(snapshot, after), context).toEqual([]);
          snapshot = after;
        }),
        { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
    },
  );
});
