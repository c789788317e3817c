import type { DatabaseHandle } from '@udx/db/database';
import { createTestDatabase, testEngines } from '@udx/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  computeIndicatorValues,
  countIndicatorRecords,
  findIndicatorRecords,
  type IndicatorCode,
  type Scope,
} from '../src/engine.ts';
import { INDICATOR_CODES, indicatorRules } from '../src/rules.ts';
import { type Programme, seedProgramme } from './programme.ts';

/**
 * The records behind each value (docs/methodology.md, "The records behind a figure"), against
 * the programme of `programme.ts`: for a count of records their number is the value, for a sum
 * or a pooled percentage the value is that of the records listed, in every kind of scope.
 */

const EVERYTHING = { limit: 1000, offset: 0 };
/** The indicators that sum or pool their records rather than count them. */
const SUMS: readonly IndicatorCode[] = ['U3', 'U5', 'S5', 'N5'];

describe.each(testEngines())('the records behind a value on %s', (engine) => {
  let handle: DatabaseHandle;
  let programme: Programme;
  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    programme = await seedProgramme(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const scopes = (): [string, Scope][] => [
    ['programme in 2024', { from: '2024-01-01', to: '2024-12-31' }],
    ['programme, all time', {}],
    ['Coventry', { cityId: programme.city.coventry }],
    ['P3 in 2024', { partnershipId: programme.partnership.p3, to: '2024-12-31' }],
    [
      'P1 in the first half of 2024',
      { partnershipId: programme.partnership.p1, from: '2024-01-01', to: '2024-06-30' },
    ],
  ];

  it('lists as many records as a count of records counts, each once', async () => {
    for (const [name, scope] of scopes()) {
      const values = await computeIndicatorValues(handle.db, scope);
      for (const code of INDICATOR_CODES.filter((c) => !SUMS.includes(c))) {
        const records = await findIndicatorRecords(handle.db, code, scope, EVERYTHING);
        const keys = records.map((r) => `${r.id}/${r.code}/${r.partnerDepartmentId}`);
        expect(new Set(keys).size, `${code}, ${name}`).toBe(records.length);
        expect(records.length, `${code}, ${name}`).toBe(values[code]);
        expect(await countIndicatorRecords(handle.db, code, scope), `${code}, ${name}`).toBe(
          values[code],
        );
        expect(records.every((r) => r.kind === indicatorRules[code].records)).toBe(true);
      }
    }
  });

  it('lists the exchanges U3 sums and the reported values N5 sums and U5 and S5 pool', async () => {
    for (const [name, scope] of scopes()) {
      const values = await computeIndicatorValues(handle.db, scope);
      const ids = async (code: IndicatorCode) =>
        (await findIndicatorRecords(handle.db, code, scope, EVERYTHING)).map((r) => r.id ?? 0);
      const exchanges = await ids('U3');
      const participants = exchanges.length
        ? await handle.db
            .selectFrom('exchange')
            .select('participant_count')
            .where('id', 'in', exchanges)
            .execute()
        : [];
      const sum = participants.reduce((total, row) => total + row.participant_count, 0);
      expect(exchanges.length === 0 ? 0 : sum, `U3, ${name}`).toBe(values.U3);

      const reported = async (code: IndicatorCode) => {
        const list = await ids(code);
        return list.length
          ? handle.db
              .selectFrom('reported_value')
              .select(['value', 'numerator', 'denominator', 'status'])
              .where('id', 'in', list)
              .execute()
          : [];
      };
      const n5 = await reported('N5');
      expect(n5.every((row) => row.status === 'APPROVED')).toBe(true);
      expect(n5.length ? n5.reduce((total, row) => total + (row.value ?? 0), 0) : null).toBe(
        values.N5 === 0 ? null : values.N5,
      );
      for (const code of ['U5', 'S5'] as const) {
        const rows = await reported(code);
        const numerator = rows.reduce((total, row) => total + (row.numerator ?? 0), 0);
        const denominator = rows.reduce((total, row) => total + (row.denominator ?? 0), 0);
        const pooled = denominator ? (100 * numerator) / denominator : null;
        if (pooled === null) expect(values[code], `${code}, ${name}`).toBeNull();
        else expect(values[code], `${code}, ${name}`).toBeCloseTo(pooled, 6);
      }
    }
  });

  it('pages in a stable order: the pages together are the whole list', async () => {
    const scope = {};
    const whole = await findIndicatorRecords(handle.db, 'U1', scope, EVERYTHING);
    const first = await findIndicatorRecords(handle.db, 'U1', scope, { limit: 2, offset: 0 });
    const rest = await findIndicatorRecords(handle.db, 'U1', scope, { limit: 100, offset: 2 });
    expect([...first, ...rest]).toEqual(whole);
    // the technical exchanges of all time: E1, E7, E3, E4, E5
    expect(whole).toHaveLength(5);
  });
});
