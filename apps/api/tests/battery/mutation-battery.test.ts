import { testEngines } from '@udx/db/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema.ts';
import { type Expectation, problemsWith } from './answers.ts';
import type { Breakage } from './arbitraries.ts';
import { KNOWN_CASES } from './known-cases.ts';
import { documentOf, type MutationSpec, mutationSpecs, schemaBreakages } from './mutations.ts';
import {
  CALLERS,
  type Caller,
  type Programme,
  postOperation,
  rawRequest,
  startProgramme,
} from './programme.ts';
import { changedTables, type DatabaseSnapshot, snapshotDatabase } from './snapshot.ts';

/**
 * The mutation battery: every mutation of the schema, called over HTTP by every kind of caller
 * with inputs fast-check breaks in every way we know: bad input gets a clear error naming the
 * field, and nothing half-written stays in the database. Each call must be
 * answered below 500 with request errors or payload errors that carry a code and a message and
 * name the field at fault, and must leave every table, the audit trail included, as it was.
 *
 * UDX_BATTERY_SEED replays a run (fast-check prints the seed of a failure); UDX_BATTERY_RUNS
 * sets the runs per property (default 20).
 */
const SEED = process.env.UDX_BATTERY_SEED ? Number(process.env.UDX_BATTERY_SEED) : undefined;
const RUNS = Number(process.env.UDX_BATTERY_RUNS ?? 20);
const options = (numRuns: number) => ({ numRuns, ...(SEED === undefined ? {} : { seed: SEED }) });

/** Every mutation of `type Mutation` but signOut, which takes no input and is fuzzed apart. */
const MUTATIONS = [
  'createCity',
  'createPartnership',
  'addDepartment',
  'recordExchange',
  'updateExchange',
  'deleteExchange',
  'recordOutcome',
  'updateOutcome',
  'deleteOutcome',
  'reportValues',
  'reviewValue',
  'undoReview',
  'proposeCorrection',
  'setTarget',
  'createUser',
  'updateUser',
  'signIn',
] as const;

const LEVEL_ORDER = { payload: 0, either: 1, request: 2 } as const;

/**
 * The breakages in the order they are applied: the mutation's own first, then the schema's,
 * deeper paths before the objects holding them, so that each keeps its effect.
 */
function ordered(breakages: readonly Breakage[]): Breakage[] {
  const alone = breakages.find((b) => b.alone);
  if (alone) return [alone];
  return [...breakages].sort(
    (a, b) =>
      LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
      b.path.split('.').length - a.path.split('.').length,
  );
}

/** What the battery sends: a caller, variables, and how the call must be refused. */
interface Call {
  caller: Caller;
  variables: Record<string, unknown>;
  expectation: Expectation;
  labels: string[];
}

/** The call of `caller` with the variables valid for `validFor` broken by `breakages`. */
function callOf(
  spec: MutationSpec,
  caller: Caller,
  breakages: readonly Breakage[],
  expectation: Partial<Expectation> = {},
  validFor: Caller = caller,
): Call {
  const applied = ordered(breakages);
  const variables = structuredClone(spec.valid(validFor));
  for (const breakage of applied) breakage.apply(variables);
  const level = applied.some((b) => b.level === 'request')
    ? 'request'
    : applied.some((b) => b.level === 'either')
      ? 'either'
      : 'payload';
  return {
    caller,
    variables,
    labels: applied.map((b) => b.label),
    expectation: {
      level,
      paths: applied.map((b) => b.path),
      requestPaths: applied.filter((b) => b.level !== 'payload').map((b) => b.path),
      ...(spec.fieldless ? { fieldless: true } : {}),
      ...expectation,
    },
  };
}

/** Invalid inputs from callers allowed to make the change: the mutation's and the schema's. */
function invalidCalls(spec: MutationSpec): fc.Arbitrary<Call> {
  return fc.constantFrom(...spec.callers).chain((caller) => {
    const own = fc.oneof(...spec.breakages(caller));
    const typed = fc.oneof(...schemaBreakages(spec.name, spec.valid(caller)));
    const select = { selector: (b: Breakage) => b.path };
    return fc
      .oneof(
        { weight: 3, arbitrary: fc.uniqueArray(own, { minLength: 1, maxLength: 3, ...select }) },
        {
          weight: 1,
          arbitrary: fc
            .tuple(
              fc.uniqueArray(own, { maxLength: 2, ...select }),
              fc.uniqueArray(typed, { minLength: 1, maxLength: 2, ...select }),
            )
            .map(([a, b]) => [...a, ...b.filter((x) => !a.some((y) => y.path === x.path))]),
        },
      )
      .map((breakages) => callOf(spec, caller, breakages));
  });
}

/** Callers who may not make the change, with valid or invalid input: FORBIDDEN or UNAUTHENTICATED. */
function refusedCalls(spec: MutationSpec): fc.Arbitrary<Call> {
  const refused = CALLERS.filter((caller) => !spec.callers.includes(caller));
  const own = fc
    .oneof(...spec.breakages(spec.callers[0] as Caller))
    .filter((b) => b.level === 'payload');
  return fc
    .tuple(
      fc.constantFrom(...refused),
      fc.uniqueArray(own, { maxLength: 2, selector: (b) => b.path }),
    )
    .map(([caller, breakages]) =>
      // the input of an allowed caller, refused for who sends it whatever else is wrong with it
      callOf(
        spec,
        caller,
        breakages,
        {
          level: 'payload',
          paths: [],
          requestPaths: [],
          codes: [caller === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN'],
        },
        spec.callers[0],
      ),
    );
}

describe.each(testEngines())('the mutation battery on %s', (engine) => {
  let p: Programme;
  let specs: MutationSpec[];
  let snapshot: DatabaseSnapshot;

  beforeAll(async () => {
    p = await startProgramme(engine);
    specs = await mutationSpecs(p);
    snapshot = await snapshotDatabase(p.db);
  });
  afterAll(async () => {
    await p?.stop();
  });

  const specNamed = (name: string) => specs.find((s) => s.name === name) as MutationSpec;

  /** Sends a call that must be refused and fails with everything wrong about its answer. */
  async function expectRefused(spec: MutationSpec, call: Call): Promise<void> {
    const answer = await postOperation(p, call.caller, documentOf(spec.name), call.variables);
    const after = await snapshotDatabase(p.db);
    const problems = [
      ...problemsWith(answer, spec.name, call.expectation),
      ...changedTables(snapshot, after, spec.changes).map(
        (change) => `database changed: ${change}`,
      ),
    ];
    snapshot = after;
    if (problems.length > 0) {
      throw new Error(
        [
          `${spec.name} as ${call.caller}: ${call.labels.join('; ') || 'valid input'}`,
          ...problems.map((problem) => `  - ${problem}`),
          `  answer ${answer.status}: ${answer.text.slice(0, 600)}`,
        ].join('\n'),
      );
    }
  }

  it('covers every mutation of the schema', () => {
    const fields = Object.keys(schema.getMutationType()?.getFields() ?? {});
    expect([...MUTATIONS, 'signOut'].sort()).toEqual(fields.sort());
  });

  it.each(MUTATIONS)(
    '%s refuses invalid input, naming the field, and changes nothing',
    async (name) => {
      const spec = specNamed(name);
      await fc.assert(
        fc.asyncProperty(invalidCalls(spec), (call) => expectRefused(spec, call)),
        options(RUNS),
      );
    },
  );

  it.each(MUTATIONS)('%s refuses every caller not allowed to make it', async (name) => {
    const spec = specNamed(name);
    await fc.assert(
      fc.asyncProperty(refusedCalls(spec), (call) => expectRefused(spec, call)),
      options(Math.ceil(RUNS / 2)),
    );
  });

  it.each(KNOWN_CASES.map((c) => [c.name, c] as const))('known case: %s', async (_name, known) => {
    const spec = specNamed(known.mutation);
    await expectRefused(spec, {
      caller: known.caller,
      variables: known.variables(p),
      labels: [known.name],
      expectation: known.expectation,
    });
  });

  it('known case: U+0000 written in the document is refused, naming the argument', async () => {
    const answer = await postOperation(
      p,
      'admin',
      'mutation { addDepartment(input: { cityId: "Q2l0eTox", name: "Amt\\u0000", type: OTHER }) { errors { code } } }',
      {},
    );
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).errors[0]).toMatchObject({
      message: 'input.name must not contain the character U+0000 (NUL)',
      extensions: { code: 'BAD_USER_INPUT', field: 'input.name' },
    });
    expect(changedTables(snapshot, await snapshotDatabase(p.db))).toEqual([]);
  });

  it('signOut with a forged, malformed or no session signs nobody out', async () => {
    const printable = fc.string({ maxLength: 60 }).filter((s) => /^[\x20-\x7e]*$/.test(s));
    const headers = fc.oneof(
      fc.constant({}),
      printable.map((token) => ({ Authorization: `Bearer ${token}` })),
      printable.map((value) => ({ Authorization: value })),
      printable.map((token) => ({ Cookie: `udx_session=${token}` })),
      printable.map((cookie) => ({ Cookie: cookie })),
      fc
        .base64String({ minLength: 4, maxLength: 64 })
        .map((token) => ({ Authorization: `Bearer ${token}` })),
    );
    await fc.assert(
      fc.asyncProperty(headers, async (sent) => {
        const body = JSON.stringify({
          query: 'mutation { signOut { errors { code field message } } }',
        });
        const answer = await rawRequest(p.url, {
          method: 'POST',
          path: '/graphql',
          headers: { 'Content-Type': 'application/json', ...sent },
          body,
        });
        const after = await snapshotDatabase(p.db);
        const changes = changedTables(snapshot, after);
        snapshot = after;
        expect(answer.status, answer.text).toBeLessThan(500);
        expect(JSON.parse(answer.text)).toEqual({ data: { signOut: { errors: [] } } });
        expect(changes).toEqual([]);
      }),
      options(RUNS),
    );
    // signOut takes no arguments: one given is a request error that names it
    const answer = await postOperation(
      p,
      'admin',
      'mutation { signOut(everywhere: true) { errors { code } } }',
      {},
    );
    expect(answer.status).toBeLessThan(500);
    expect(JSON.parse(answer.text).errors[0].message).toContain('everywhere');
    expect(changedTables(snapshot, await snapshotDatabase(p.db))).toEqual([]);
  });
});
