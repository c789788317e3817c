import { encodeGlobalID } from '@pothos/plugin-relay';
import fc from 'fast-check';
import {
  type GraphQLInputField,
  type GraphQLInputType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import { RawNumber } from './programme.ts';

/**
 * Where an invalid input is refused: `request` by GraphQL itself before anything runs (the
 * variables do not fit the schema), `payload` by the mutation (typed `errors`), `either` when
 * both are a fair answer.
 */
export type Level = 'request' | 'payload' | 'either';

/** One thing wrong with an otherwise valid set of variables. */
export interface Breakage {
  /** The variable path of the field at fault, dot-separated (`input.values.1.numerator`). */
  path: string;
  level: Level;
  /** What was done, for the counterexample fast-check prints. */
  label: string;
  /** Changes the variables (a copy of the valid ones) in place. */
  apply(variables: Record<string, unknown>): void;
  /** Breaks the input in a way no other breakage may be combined with. */
  alone?: boolean;
}

// ── Paths ──────────────────────────────────────────────────────────────────────────────────────

function segments(path: string): (string | number)[] {
  return path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function parentOf(root: Record<string, unknown>, path: string): [Record<string, unknown>, string] {
  const keys = segments(path);
  const last = keys.pop() as string | number;
  // biome-ignore lint/suspicious/noExplicitAny: walks plain JSON
  let node: any = root;
  for (const key of keys) node = node[key];
  return [node, String(last)];
}

export function setAt(root: Record<string, unknown>, path: string, value: unknown): void {
  const [parent, key] = parentOf(root, path);
  if (value === undefined) delete parent[key];
  else parent[key] = value;
}

/** Short text of a value for labels: long strings cut, control characters escaped. */
export function show(value: unknown): string {
  const text = JSON.stringify(value, (_key, v) => (v instanceof RawNumber ? `raw ${v.text}` : v));
  if (text === undefined) return 'undefined';
  return text.length > 80 ? `${text.slice(0, 60)}… (${text.length} chars)` : text;
}

/** A breakage that sets `path` to each value of `values` (undefined leaves the field out). */
export function setting(
  path: string,
  values: fc.Arbitrary<unknown>,
  label: string,
  level: Level = 'payload',
): fc.Arbitrary<Breakage> {
  return values.map((value) => ({
    path,
    level,
    label: `${label}: ${path} = ${show(value)}`,
    apply: (variables) => setAt(variables, path, value),
  }));
}

/** A breakage that sets several fields at once; `path` is the one at fault. */
export function settingAll(
  path: string,
  values: fc.Arbitrary<Record<string, unknown>>,
  label: string,
  options: { alone?: boolean } = {},
): fc.Arbitrary<Breakage> {
  return values.map((changes) => ({
    path,
    level: 'payload' as const,
    label: `${label}: ${Object.entries(changes)
      .map(([p, v]) => `${p} = ${show(v)}`)
      .join(', ')}`,
    apply: (variables) => {
      for (const [p, v] of Object.entries(changes)) setAt(variables, p, v);
    },
    ...(options.alone ? { alone: true } : {}),
  }));
}

// ── Bad values ─────────────────────────────────────────────────────────────────────────────────

const WHITESPACE = [' ', '\t', '\n', '\r', '\u00a0', '\u2003', '\u3000', '\ufeff'];

/** Nothing but white space, or nothing at all. */
export const blankText = fc.oneof(
  fc.constant(''),
  fc.string({ unit: fc.constantFrom(...WHITESPACE), minLength: 1, maxLength: 6 }),
);

/** Text longer than `max` characters even after trimming. */
export function overlongText(max: number): fc.Arbitrary<string> {
  return fc.string({
    unit: fc.constantFrom('a', 'Z', 'ß', 'é', '字', '-', '.', '0'),
    minLength: max + 1,
    maxLength: max + 40,
  });
}

/** Text with the character U+0000, which PostgreSQL cannot store in text. */
export const textWithNul = fc
  .tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }))
  .map(([before, after]) => `${before || 'x'}\u0000${after}`);

/** Integers below zero, down to the least 32-bit one (GraphQL Int). */
export const negativeInt = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: -1 }),
  fc.constantFrom(-1, -(2 ** 31)),
);

/** Finite doubles below `bound` (JSON cannot carry NaN or the infinities). */
export function doubleBelow(bound: number): fc.Arbitrary<number> {
  // -0 is below 0 to fast-check, but JSON writes it 0
  return fc
    .double({ max: bound, maxExcluded: true, noNaN: true, noDefaultInfinity: true })
    .filter((x) => x < bound);
}

/** Finite doubles above `bound`. */
export function doubleAbove(bound: number): fc.Arbitrary<number> {
  return fc
    .double({ min: bound, minExcluded: true, noNaN: true, noDefaultInfinity: true })
    .filter((x) => x > bound);
}

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real day of the proleptic Gregorian calendar, year 1 to 9999 (an independent oracle). */
export function isRealDate(text: string): boolean {
  const match = DATE_TEXT.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysIn(year, month);
}

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Text that is not a `YYYY-MM-DD` day of the calendar. */
export const badDate: fc.Arbitrary<string> = fc.oneof(
  // a day past the end of its month: 2025-02-30, 2023-02-29, 2025-04-31
  fc
    .record({ year: fc.integer({ min: 1, max: 9999 }), month: fc.integer({ min: 1, max: 12 }) })
    .chain(({ year, month }) =>
      fc
        .integer({ min: daysIn(year, month) + 1, max: 39 })
        .map((day) => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`),
    ),
  fc.constantFrom(
    '2025-02-30',
    '2023-02-29',
    '1900-02-29',
    '2025-13-01',
    '2025-00-10',
    '2025-01-00',
    '0000-01-01',
    '0000-02-29',
    '25-01-01',
    '2025-1-1',
    '2025-01-01T00:00:00Z',
    '',
    ' 2025-01-01',
    '2025-01-01 ',
    '2025/01/01',
    '+2025-01-01',
    '-2025-01-01',
    '12025-01-01',
    'yesterday',
    '２０２５-01-01',
  ),
  fc.string({ maxLength: 14 }).filter((s) => !isRealDate(s)),
);

/** A date in a range, `YYYY-MM-DD`. */
export function dateBetween(from: string, to: string): fc.Arbitrary<string> {
  return fc
    .date({
      min: new Date(`${from}T00:00:00Z`),
      max: new Date(`${to}T00:00:00Z`),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));
}

/**
 * Global ids that name no row of `typename` the caller may use: another type's real ids, unknown
 * ids, database ids that are not positive 32-bit integers, plain database ids, any text.
 */
export function badIds(typename: string, otherTypesIds: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...otherTypesIds),
    fc.integer({ min: 100_000, max: 2 ** 31 - 1 }).map((n) => encodeGlobalID(typename, n)),
    fc
      .constantFrom(
        '0',
        '-1',
        '1.5',
        '01',
        '2147483648',
        '99999999999',
        'abc',
        '',
        ' 1',
        '1e3',
        '0x1',
      )
      .map((raw) => encodeGlobalID(typename, raw)),
    fc.constantFrom('1', '2', '3', 'null', 'undefined', '::', `${typename}:1`),
    fc.string({ maxLength: 40 }),
    fc.base64String({ maxLength: 40 }),
  );
}

// ── Values of the wrong type, from the schema ─────────────────────────────────────────────────

/** A non-integral finite number. */
const fraction = fc
  .double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })
  .filter((x) => !Number.isInteger(x));

const notAnObject = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean());

/**
 * Values GraphQL must refuse for a variable of `type` before anything runs: the wrong JSON type,
 * out of range for Int, no number at all for Float, unknown enum values, bad dates. Only values
 * that input coercion cannot turn into a valid one (an Int for an ID, or a single item for a
 * list, would be coerced).
 */
export function wrongValues(type: GraphQLInputType): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return fc.oneof(fc.constant(null), wrongValues(type.ofType));
  if (isListType(type)) {
    const item = wrongValues(type.ofType);
    return fc.oneof(
      // a single value is coerced to a list of it, so neither null nor a list here
      item.filter((v) => v !== null && !Array.isArray(v)),
      fc.array(item, { minLength: 1, maxLength: 3 }),
    );
  }
  const named = getNamedType(type);
  if (isEnumType(named)) {
    const values = named.getValues().map((v) => v.name);
    return fc.oneof(
      fc.stringMatching(/^[A-Z][A-Z_]{0,15}$/).filter((s) => !values.includes(s)),
      fc.constantFrom(...values).map((v) => v.toLowerCase()),
      fc.integer(),
      fc.boolean(),
      fc.constant({}),
    );
  }
  if (isInputObjectType(named)) {
    return fc.oneof(notAnObject, fc.constant([]));
  }
  if (!isScalarType(named)) throw new Error(`no wrong values for ${String(type)}`);
  switch (named.name) {
    case 'String':
      return fc.oneof(
        fc.integer(),
        fraction,
        fc.boolean(),
        fc.constant({}),
        fc.array(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 2 }),
      );
    case 'Int':
      return fc.oneof(
        fc.integer().map(String),
        fraction,
        fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 1e20, -1e300),
        fc.constantFrom(new RawNumber('1e400'), new RawNumber('-1e400'), new RawNumber('1.0e1000')),
        fc.boolean(),
        fc.constant({}),
      );
    case 'Float':
      return fc.oneof(
        fc.constantFrom('NaN', 'Infinity', '-Infinity', '1.5', '', '0x10', '1e3'),
        fc.constantFrom(new RawNumber('1e400'), new RawNumber('-1e400')),
        fc.boolean(),
        fc.constant({}),
      );
    case 'Boolean':
      return fc.oneof(fc.constantFrom('true', 'false', 'yes', ''), fc.integer(), fc.constant({}));
    case 'ID':
      return fc.oneof(fc.boolean(), fraction, fc.constant(new RawNumber('1e400')), fc.constant({}));
    case 'Date':
      return fc.oneof(badDate, fc.integer(), fc.boolean(), fc.constant({}));
    default:
      return fc.oneof(fc.constant({}), fc.constant([{}]));
  }
}

/**
 * What GraphQL refuses in the fields of an input object at `path` (`input`, or `` for the
 * arguments themselves): a required field left out or null, a value of the wrong type, a field
 * the type does not have; and the same in the first item of a list of input objects.
 */
export function requestBreakages(
  fields: readonly Pick<GraphQLInputField, 'name' | 'type' | 'defaultValue'>[],
  path: string,
  valid: unknown,
): fc.Arbitrary<Breakage>[] {
  const at = (name: string) => (path === '' ? name : `${path}.${name}`);
  const known = fields.map((f) => f.name);
  const arbitraries: fc.Arbitrary<Breakage>[] = [];
  // variables the operation does not declare are ignored, so only input objects can have these
  if (path !== '') {
    arbitraries.push(
      fc
        .stringMatching(/^[a-z][A-Za-z0-9_]{0,15}$/)
        .filter((name) => !known.includes(name))
        .map((name) => ({
          path: at(name),
          level: 'request' as const,
          label: `a field the type does not have: ${at(name)}`,
          apply: (variables) => setAt(variables, at(name), 'x'),
        })),
    );
  }
  for (const field of fields) {
    const fieldPath = at(field.name);
    if (isNonNullType(field.type) && field.defaultValue === undefined) {
      arbitraries.push(
        fc.constant({
          path: fieldPath,
          level: 'request' as const,
          label: `required field left out: ${fieldPath}`,
          apply: (variables) => setAt(variables, fieldPath, undefined),
        }),
      );
    }
    arbitraries.push(setting(fieldPath, wrongValues(field.type), 'wrong type', 'request'));
    const named = getNamedType(field.type);
    const value = (valid as Record<string, unknown> | undefined)?.[field.name];
    if (isInputObjectType(named) && Array.isArray(value) && value.length > 0) {
      arbitraries.push(
        ...requestBreakages(Object.values(named.getFields()), `${fieldPath}.0`, value[0]),
      );
    }
  }
  return arbitraries;
}
