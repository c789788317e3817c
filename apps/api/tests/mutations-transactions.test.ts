import { testEngines } from '@udx/db/testing';
import { describe, expect, it } from 'vitest';
import { withViewerScope } from '../src/auth/row-level-security.ts';
import { EXCHANGE_CONSTRAINTS } from '../src/modules/exchange/exchange.service.ts';
import { constraintError, runMutation } from '../src/modules/shared/mutation.ts';
import {
  countRows,
  exchangeInput,
  gid,
  RECORD_EXCHANGE,
  runOk,
  useFixture,
} from './mutations-fixture.ts';

const REPORT_VALUES = /* GraphQL */ `
  mutation Report($input: ReportValuesInput!) {
    reportValues(input: $input) { values { status city { name } } errors { code field } }
  }
`;

describe.each(testEngines())('mutations in transactions on %s', (engine) => {
  const f = useFixture(engine);

  it("writes a city editor's records under row-level security, audit entries included", async () => {
    const before = await countRows(f.db);
    const viewer = f.viewers.bonnEditor;
    const recorded = await withViewerScope(f.db, viewer, (trx) =>
      runOk(trx, viewer, RECORD_EXCHANGE, { input: exchangeInput(f) }),
    );
    expect(recorded.recordExchange.errors).toEqual([]);
    expect(recorded.recordExchange.exchange.departments).toHaveLength(2);
    const reported = await withViewerScope(f.db, viewer, (trx) =>
      runOk(trx, viewer, REPORT_VALUES, {
        input: {
          values: [
            { indicatorCode: 'N5', cityId: gid('City', f.cities.bonn), year: 2025, value: 2 },
          ],
        },
      }),
    );
    expect(reported.reportValues).toEqual({
      values: [{ status: 'SUBMITTED', city: { name: 'Bonn' } }],
      errors: [],
    });
    const after = await countRows(f.db);
    expect(after.exchange).toBe(before.exchange + 1);
    expect(after.reported_value).toBe(before.reported_value + 1);
    expect(after.audit_entry).toBe(before.audit_entry + 2);

    // the partnership of another city is invisible under row security; the answer is the same
    const foreign = await withViewerScope(f.db, viewer, (trx) =>
      runOk(trx, viewer, RECORD_EXCHANGE, {
        input: exchangeInput(f, {
          partnershipId: gid('Partnership', f.partnerships.leipzigHouston),
          hostCityId: gid('City', f.cities.leipzig),
          departmentIds: [],
        }),
      }),
    );
    expect(foreign.recordExchange.errors).toEqual([
      expect.objectContaining({ code: 'FORBIDDEN', field: 'partnershipId' }),
    ]);
  });

  it('leaves nothing of a failed mutation in a request-wide transaction, which stays usable', async () => {
    const before = await countRows(f.db);
    const viewer = f.viewers.bonnEditor;
    await withViewerScope(f.db, viewer, async (trx) => {
      const failed = await runMutation(trx, EXCHANGE_CONSTRAINTS, async (t) => {
        const values = {
          partnership_id: f.partnerships.bonnLaCrosse,
          kind: 'TECHNICAL' as const,
          format: 'VIRTUAL' as const,
          title: 'Half written',
          host_city_id: f.cities.bonn,
          participant_count: 3,
        };
        await t
          .insertInto('exchange')
          .values({ ...values, starts_on: '2025-01-01' })
          .execute();
        // the database refuses this one: it ends before it starts
        await t
          .insertInto('exchange')
          .values({ ...values, starts_on: '2025-01-10', ends_on: '2025-01-01' })
          .execute();
      });
      expect(failed).toEqual({
        ok: false,
        errors: [expect.objectContaining({ code: 'VALIDATION', field: 'endsOn' })],
      });
      const next = await runOk(trx, viewer, RECORD_EXCHANGE, {
        input: exchangeInput(f, { title: 'After the failure' }),
      });
      expect(next.recordExchange.errors).toEqual([]);
    });
    const after = await countRows(f.db);
    expect(after.exchange).toBe(before.exchange + 1);
    const titles = await f.db.selectFrom('exchange').select('title').execute();
    expect(titles.map((t) => t.title)).not.toContain('Half written');
  });

  it('maps constraint violations to typed errors and leaves other errors alone', async () => {
    const error = await f.db
      .insertInto('exchange')
      .values({
        partnership_id: f.partnerships.bonnLaCrosse,
        kind: 'TECHNICAL',
        format: 'VIRTUAL',
        title: 'Hosted elsewhere',
        starts_on: '2025-01-01',
        host_city_id: f.cities.leipzig,
        participant_count: 1,
      })
      .execute()
      .catch((e: unknown) => e);
    expect(constraintError(error, EXCHANGE_CONSTRAINTS)).toMatchObject({
      code: 'VALIDATION',
      field: 'hostCityId',
    });
    expect(constraintError(new Error('boom'), EXCHANGE_CONSTRAINTS)).toBeNull();
  });
});
