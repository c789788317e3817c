import { testEngines } from '@udx/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../src/context.ts';
import { findAuditEntriesOf } from '../src/modules/audit/audit.repository.ts';
import {
  countRows,
  createFixture,
  type Fixture,
  gid,
  idOf,
  run,
  runOk,
} from './mutations-fixture.ts';

const REPORT_VALUES = /* GraphQL */ `
  mutation Report($input: ReportValuesInput!) {
    reportValues(input: $input) {
      values { id indicator { code } city { name } year quarter value numerator denominator percentage note status }
      errors { code field message }
    }
  }
`;

const REVIEW_VALUE = /* GraphQL */ `
  mutation Review($input: ReviewValueInput!) {
    reviewValue(input: $input) {
      value { id status rejectionReason reviewedAt }
      errors { code field message }
    }
  }
`;

const QUEUE = /* GraphQL */ `
  query Queue($status: ValueStatus, $cityId: ID) {
    reportedValues(status: $status, cityId: $cityId, first: 50) {
      totalCount
      edges { node { id indicator { code } city { name } year status } }
    }
  }
`;

const NODE = /* GraphQL */ `
  query Node($id: ID!) {
    node(id: $id) { id ... on ReportedValue { city { name } year status } }
  }
`;

describe.each(testEngines())('reported values on %s', (engine) => {
  let f: Fixture;
  const bonnU5 = (overrides: Record<string, unknown> = {}) => ({
    indicatorCode: 'U5',
    cityId: gid('City', f.cities.bonn),
    year: 2025,
    numerator: 42,
    denominator: 60,
    note: 'Survey after the spring workshop',
    ...overrides,
  });
  const bonnN5 = (overrides: Record<string, unknown> = {}) => ({
    indicatorCode: 'N5',
    cityId: gid('City', f.cities.bonn),
    year: 2025,
    value: 3,
    ...overrides,
  });

  beforeAll(async () => {
    f = await createFixture(engine);
  });
  afterAll(async () => {
    await f?.handle.close();
  });

  it('saves a batch as SUBMITTED, with one audit entry per value', async () => {
    const before = await countRows(f.db);
    const data = await runOk(f.db, f.viewers.bonnEditor, REPORT_VALUES, {
      input: { values: [bonnU5(), bonnN5({ quarter: 2 })] },
    });
    expect(data.reportValues.errors).toEqual([]);
    expect(data.reportValues.values).toMatchObject([
      {
        indicator: { code: 'U5' },
        city: { name: 'Bonn' },
        year: 2025,
        quarter: null,
        value: null,
        numerator: 42,
        denominator: 60,
        percentage: 70,
        note: 'Survey after the spring workshop',
        status: 'SUBMITTED',
      },
      { indicator: { code: 'N5' }, quarter: 2, value: 3, numerator: null, status: 'SUBMITTED' },
    ]);
    const after = await countRows(f.db);
    expect(after.reported_value).toBe(before.reported_value + 2);
    expect(after.audit_entry).toBe(before.audit_entry + 2);
    for (const value of data.reportValues.values) {
      const trail = await findAuditEntriesOf(f.db, 'reported_value', idOf(value.id));
      expect(trail).toHaveLength(1);
      expect(trail[0]).toMatchObject({
        action: 'CREATE',
        actor_id: f.viewers.bonnEditor.userId,
        city_ids: [f.cities.bonn],
        old_values: null,
        new_values: { status: 'SUBMITTED', city_id: f.cities.bonn },
      });
    }
  });

  it.each([
    [
      'a numerator above the denominator',
      () => bonnU5({ numerator: 61 }),
      'VALIDATION',
      'numerator',
    ],
    ['a missing denominator', () => bonnU5({ denominator: null }), 'VALIDATION', 'denominator'],
    [
      'a zero denominator',
      () => bonnU5({ numerator: 0, denominator: 0 }),
      'VALIDATION',
      'denominator',
    ],
    ['a value for a PERCENT indicator', () => bonnU5({ value: 5 }), 'VALIDATION', 'value'],
    ['a negative count', () => bonnN5({ value: -1 }), 'VALIDATION', 'value'],
    ['a fractional count', () => bonnN5({ value: 1.5 }), 'VALIDATION', 'value'],
    ['a missing count', () => bonnN5({ value: null }), 'VALIDATION', 'value'],
    [
      'a fraction for a COUNT indicator',
      () => bonnN5({ numerator: 1, denominator: 2 }),
      'VALIDATION',
      'numerator',
    ],
    ['a year out of range', () => bonnN5({ year: 1999 }), 'VALIDATION', 'year'],
    ['a quarter out of range', () => bonnN5({ quarter: 5 }), 'VALIDATION', 'quarter'],
    ['a computed indicator', () => bonnN5({ indicatorCode: 'U1' }), 'VALIDATION', 'indicatorCode'],
    ['an unknown indicator', () => bonnN5({ indicatorCode: 'X9' }), 'NOT_FOUND', 'indicatorCode'],
    [
      'a city id of another type',
      () => bonnN5({ cityId: gid('Partnership', 1) }),
      'VALIDATION',
      'cityId',
    ],
  ] as const)(
    'refuses a batch with %s in one row, naming values.1.<field> and writing none',
    async (_name, bad, code, field) => {
      const before = await countRows(f.db);
      const data = await runOk(f.db, f.viewers.bonnEditor, REPORT_VALUES, {
        input: { values: [bonnU5({ year: 2024 }), bad()] },
      });
      expect(data.reportValues.values).toBeNull();
      expect(data.reportValues.errors).toContainEqual(
        expect.objectContaining({ code, field: `values.1.${field}` }),
      );
      expect(await countRows(f.db)).toEqual(before);
    },
  );

  it('refuses an empty batch and a period given twice', async () => {
    const before = await countRows(f.db);
    const empty = await runOk(f.db, f.viewers.bonnEditor, REPORT_VALUES, { input: { values: [] } });
    expect(empty.reportValues.errors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: 'values' }),
    ]);
    const twice = await runOk(f.db, f.viewers.bonnEditor, REPORT_VALUES, {
      input: { values: [bonnN5({ year: 2023 }), bonnN5({ year: 2023, value: 4 })] },
    });
    expect(twice.reportValues.errors).toEqual([
      expect.objectContaining({ code: 'CONFLICT', field: 'values.1' }),
    ]);
    expect(await countRows(f.db)).toEqual(before);
  });

  it("keeps a city editor to their own city's values and other roles out", async () => {
    const before = await countRows(f.db);
    const foreign = await runOk(f.db, f.viewers.bonnEditor, REPORT_VALUES, {
      input: {
        values: [bonnN5({ year: 2022 }), bonnN5({ cityId: gid('City', f.cities.leipzig) })],
      },
    });
    expect(foreign.reportValues.errors).toEqual([
      expect.objectContaining({ code: 'FORBIDDEN', field: 'values.1.cityId' }),
    ]);
    for (const viewer of [f.viewers.bonnViewer, f.viewers.monitor, f.viewers.evaluator]) {
      const data = await runOk(f.db, viewer, REPORT_VALUES, {
        input: { values: [bonnN5({ year: 2022 })] },
      });
      expect(data.reportValues.errors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    }
    const unknownCity = await runOk(f.db, f.viewers.admin, REPORT_VALUES, {
      input: { values: [bonnN5({ cityId: gid('City', 99999) })] },
    });
    expect(unknownCity.reportValues.errors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: 'values.0.cityId' }),
    ]);
    expect(await countRows(f.db)).toEqual(before);
  });

  it('reviews: SUBMITTED → APPROVED, and SUBMITTED → REJECTED with a reason', async () => {
    const reported = await runOk(f.db, f.viewers.bonnEditor, REPORT_VALUES, {
      input: { values: [bonnN5({ year: 2021 }), bonnN5({ year: 2020 })] },
    });
    const [approveId, rejectId] = reported.reportValues.values.map((v: { id: string }) => v.id);

    // the queue shows both to SKEW; the Foreign Office sees neither until approved
    const queue = await runOk(f.db, f.viewers.evaluator, QUEUE, { status: 'SUBMITTED' });
    const queued = queue.reportedValues.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(queued).toEqual(expect.arrayContaining([approveId, rejectId]));
    const official = await runOk(f.db, f.viewers.monitor, QUEUE, {});
    expect(official.reportedValues.totalCount).toBe(0);

    const editorTries = await runOk(f.db, f.viewers.bonnEditor, REVIEW_VALUE, {
      input: { valueId: approveId, decision: 'APPROVE' },
    });
    expect(editorTries.reviewValue.errors).toEqual([
      expect.objectContaining({ code: 'FORBIDDEN' }),
    ]);

    const before = await countRows(f.db);
    const approved = await runOk(f.db, f.viewers.evaluator, REVIEW_VALUE, {
      input: { valueId: approveId, decision: 'APPROVE' },
    });
    expect(approved.reviewValue.errors).toEqual([]);
    expect(approved.reviewValue.value).toMatchObject({
      id: approveId,
      status: 'APPROVED',
      rejectionReason: null,
    });
    expect(approved.reviewValue.value.reviewedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const noReason = await runOk(f.db, f.viewers.evaluator, REVIEW_VALUE, {
      input: { valueId: rejectId, decision: 'REJECT', reason: '  ' },
    });
    expect(noReason.reviewValue.errors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: 'reason' }),
    ]);
    const rejected = await runOk(f.db, f.viewers.admin, REVIEW_VALUE, {
      input: { valueId: rejectId, decision: 'REJECT', reason: 'Count includes funded activities' },
    });
    expect(rejected.reviewValue.value).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'Count includes funded activities',
    });
    const again = await runOk(f.db, f.viewers.evaluator, REVIEW_VALUE, {
      input: { valueId: approveId, decision: 'REJECT', reason: 'Second thoughts' },
    });
    expect(again.reviewValue.errors).toEqual([
      expect.objectContaining({ code: 'CONFLICT', field: 'valueId' }),
    ]);
    const missing = await runOk(f.db, f.viewers.evaluator, REVIEW_VALUE, {
      input: { valueId: gid('ReportedValue', 99999), decision: 'APPROVE' },
    });
    expect(missing.reviewValue.errors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: 'valueId' }),
    ]);

    const after = await countRows(f.db);
    expect(after).toEqual({ ...before, audit_entry: before.audit_entry + 2 });
    const rows = await f.db
      .selectFrom('reported_value')
      .select(['id', 'status', 'reviewed_by', 'reviewed_at'])
      .where('id', 'in', [idOf(approveId), idOf(rejectId)])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.status, r.reviewed_by])).toEqual([
      ['APPROVED', f.viewers.evaluator.userId],
      ['REJECTED', f.viewers.admin.userId],
    ]);
    expect(rows.every((r) => r.reviewed_at !== null)).toBe(true);
    const trail = await findAuditEntriesOf(f.db, 'reported_value', idOf(rejectId));
    expect(trail.at(-1)).toMatchObject({
      action: 'UPDATE',
      actor_id: f.viewers.admin.userId,
      old_values: { status: 'SUBMITTED', rejection_reason: null },
      new_values: { status: 'REJECTED', rejection_reason: 'Count includes funded activities' },
    });

    // the Foreign Office now sees the approved value, and only that one
    const officialAfter = await runOk(f.db, f.viewers.monitor, QUEUE, {});
    expect(
      officialAfter.reportedValues.edges.map((e: { node: { id: string } }) => e.node.id),
    ).toEqual([approveId]);

    // a rejected value is corrected by reporting it again; an approved one stays as it is
    const corrected = await runOk(f.db, f.viewers.bonnEditor, REPORT_VALUES, {
      input: { values: [bonnN5({ year: 2020, value: 2 })] },
    });
    expect(corrected.reportValues.values).toMatchObject([
      { id: rejectId, status: 'SUBMITTED', value: 2 },
    ]);
    const overwrite = await runOk(f.db, f.viewers.bonnEditor, REPORT_VALUES, {
      input: { values: [bonnN5({ year: 2021, value: 9 })] },
    });
    expect(overwrite.reportValues.errors).toEqual([
      expect.objectContaining({ code: 'CONFLICT', field: 'values.0' }),
    ]);
  });

  it("shows a city account its own city's values and its partner cities' approved ones, in lists and by id", async () => {
    const n5 = (city: number, year: number) => ({
      indicatorCode: 'N5',
      cityId: gid('City', city),
      year,
      value: 1,
    });
    // every state on both sides of Bonn–La Crosse, and an approved value of Leipzig, no partner
    const reported = await runOk(f.db, f.viewers.admin, REPORT_VALUES, {
      input: {
        values: [
          n5(f.cities.laCrosse, 2012),
          n5(f.cities.laCrosse, 2013),
          n5(f.cities.laCrosse, 2014),
          n5(f.cities.bonn, 2012),
          n5(f.cities.bonn, 2013),
          n5(f.cities.leipzig, 2012),
        ],
      },
    });
    expect(reported.reportValues.errors).toEqual([]);
    const [laApproved, laRejected, laSubmitted, bonnApproved, bonnSubmitted, leipzigApproved] =
      reported.reportValues.values.map((v: { id: string }) => v.id);
    for (const valueId of [laApproved, bonnApproved, leipzigApproved]) {
      await runOk(f.db, f.viewers.evaluator, REVIEW_VALUE, {
        input: { valueId, decision: 'APPROVE' },
      });
    }
    await runOk(f.db, f.viewers.evaluator, REVIEW_VALUE, {
      input: { valueId: laRejected, decision: 'REJECT', reason: 'Counted twice' },
    });
    const laCrosseViewer = await f.db
      .insertInto('app_user')
      .values({
        email: 'lacrosseviewer@test.udx',
        display_name: 'laCrosseViewer',
        role: 'CITY_VIEWER',
        city_id: f.cities.laCrosse,
        password_hash: 'not-a-hash',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const laCrosse: Viewer = {
      ...f.viewers.bonnViewer,
      userId: laCrosseViewer.id,
      email: 'lacrosseviewer@test.udx',
      displayName: 'laCrosseViewer',
      cityId: f.cities.laCrosse,
    };

    const listed = async (viewer: Viewer, cityId: number, status?: string) =>
      (
        await runOk(f.db, viewer, QUEUE, { cityId: gid('City', cityId), status })
      ).reportedValues.edges.map((e: { node: { id: string } }) => e.node.id);
    const found = async (viewer: Viewer, id: string) => {
      const answer = await run(f.db, viewer, NODE, { id });
      // out of reach reads exactly as a value that does not exist
      if (answer.data?.node == null) {
        expect(answer.errors?.map((e) => e.message)).toEqual(['No such reported value']);
        return null;
      }
      return answer.data.node.id;
    };

    // Bonn's reader: all of Bonn's, La Crosse's approved value only, nothing of Leipzig
    expect(await listed(f.viewers.bonnViewer, f.cities.laCrosse)).toEqual([laApproved]);
    expect(await listed(f.viewers.bonnViewer, f.cities.laCrosse, 'SUBMITTED')).toEqual([]);
    expect(await listed(f.viewers.bonnViewer, f.cities.leipzig)).toEqual([]);
    expect(await listed(f.viewers.bonnViewer, f.cities.bonn)).toEqual(
      expect.arrayContaining([bonnApproved, bonnSubmitted]),
    );
    const all = await runOk(f.db, f.viewers.bonnViewer, QUEUE, {});
    const others = all.reportedValues.edges
      .map((e: { node: { city: { name: string }; status: string } }) => e.node)
      .filter((node: { city: { name: string } }) => node.city.name !== 'Bonn');
    expect(others).toEqual([expect.objectContaining({ id: laApproved, status: 'APPROVED' })]);
    expect(await found(f.viewers.bonnEditor, laApproved)).toBe(laApproved);
    for (const id of [laRejected, laSubmitted, leipzigApproved]) {
      expect(await found(f.viewers.bonnEditor, id)).toBeNull();
    }

    // and the other way round: La Crosse's reader sees Bonn's approved values only
    const bonnApprovedAll = await listed(f.viewers.evaluator, f.cities.bonn, 'APPROVED');
    expect(bonnApprovedAll).toContain(bonnApproved);
    expect(await listed(laCrosse, f.cities.bonn)).toEqual(bonnApprovedAll);
    expect(await listed(laCrosse, f.cities.laCrosse)).toEqual([
      laApproved,
      laRejected,
      laSubmitted,
    ]);
    expect(await found(laCrosse, bonnApproved)).toBe(bonnApproved);
    expect(await found(laCrosse, bonnSubmitted)).toBeNull();

    // Leipzig is no partner of either: their approved values stay out of its reach, and its own
    // approved value out of theirs
    expect(await listed(f.viewers.leipzigEditor, f.cities.bonn)).toEqual([]);
    expect(await listed(f.viewers.leipzigEditor, f.cities.laCrosse)).toEqual([]);
    expect(await found(f.viewers.leipzigEditor, bonnApproved)).toBeNull();
    expect(await found(laCrosse, leipzigApproved)).toBeNull();

    // SKEW reads every one of them
    const skew = await runOk(f.db, f.viewers.evaluator, QUEUE, {
      cityId: gid('City', f.cities.laCrosse),
    });
    expect(skew.reportedValues.totalCount).toBe(3);
  });

  it('refuses a second grain for an indicator, city and year over requests, naming values.<i>.quarter', async () => {
    const yearly = await runOk(f.db, f.viewers.bonnEditor, REPORT_VALUES, {
      input: { values: [bonnU5({ year: 2010 }), bonnU5({ year: 2011, quarter: 1 })] },
    });
    expect(yearly.reportValues.errors).toEqual([]);

    const before = await countRows(f.db);
    const quarterly = await runOk(f.db, f.viewers.bonnEditor, REPORT_VALUES, {
      input: { values: [bonnN5({ year: 2010 }), bonnU5({ year: 2010, quarter: 3 })] },
    });
    expect(quarterly.reportValues).toEqual({
      values: null,
      errors: [
        {
          code: 'VALIDATION',
          field: 'values.1.quarter',
          message:
            'values.1.quarter: the city reports U5 for 2010 once for the year already; ' +
            'a year is reported either once or per quarter, never both.',
        },
      ],
    });
    const once = await runOk(f.db, f.viewers.bonnEditor, REPORT_VALUES, {
      input: { values: [bonnU5({ year: 2011 })] },
    });
    expect(once.reportValues.errors).toEqual([
      {
        code: 'VALIDATION',
        field: 'values.0.quarter',
        message:
          'values.0.quarter: the city reports U5 for 2011 per quarter already; ' +
          'a year is reported either once or per quarter, never both.',
      },
    ]);
    // SKEW administration is held to it the same way
    const admin = await runOk(f.db, f.viewers.admin, REPORT_VALUES, {
      input: { values: [bonnU5({ year: 2011 })] },
    });
    expect(admin.reportValues.errors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: 'values.0.quarter' }),
    ]);
    expect(await countRows(f.db)).toEqual(before);

    // more quarters of a quarterly year, and the yearly value again, are fine
    const more = await runOk(f.db, f.viewers.bonnEditor, REPORT_VALUES, {
      input: {
        values: [bonnU5({ year: 2011, quarter: 2 }), bonnU5({ year: 2010, numerator: 40 })],
      },
    });
    expect(more.reportValues.errors).toEqual([]);
  });

  it('lets a rejected value of the other grain give way, and refuses it when reported again', async () => {
    const reported = await runOk(f.db, f.viewers.bonnEditor, REPORT_VALUES, {
      input: { values: [bonnN5({ year: 2009 })] },
    });
    const [yearlyId] = reported.reportValues.values.map((v: { id: string }) => v.id);
    await runOk(f.db, f.viewers.evaluator, REVIEW_VALUE, {
      input: { valueId: yearlyId, decision: 'REJECT', reason: 'Report this year per quarter' },
    });
    const quarterly = await runOk(f.db, f.viewers.bonnEditor, REPORT_VALUES, {
      input: { values: [bonnN5({ year: 2009, quarter: 1 }), bonnN5({ year: 2009, quarter: 2 })] },
    });
    expect(quarterly.reportValues.errors).toEqual([]);
    const again = await runOk(f.db, f.viewers.bonnEditor, REPORT_VALUES, {
      input: { values: [bonnN5({ year: 2009, value: 5 })] },
    });
    expect(again.reportValues.errors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: 'values.0.quarter' }),
    ]);
    const stored = await f.db
      .selectFrom('reported_value')
      .select('status')
      .where('id', '=', idOf(yearlyId))
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe('REJECTED');
  });

  it('refuses both grains within one batch, whichever comes first, and writes none of it', async () => {
    const before = await countRows(f.db);
    const yearlyFirst = await runOk(f.db, f.viewers.bonnEditor, REPORT_VALUES, {
      input: {
        values: [
          bonnU5({ year: 2008 }),
          bonnN5({ year: 2008, quarter: 1 }),
          bonnU5({ year: 2008, quarter: 3 }),
        ],
      },
    });
    expect(yearlyFirst.reportValues).toEqual({
      values: null,
      errors: [
        {
          code: 'VALIDATION',
          field: 'values.2.quarter',
          message:
            'values.2.quarter: values.0 reports U5 of the same city for 2008 once for the year; ' +
            'a year is reported either once or per quarter, never both.',
        },
      ],
    });
    const quarterFirst = await runOk(f.db, f.viewers.bonnEditor, REPORT_VALUES, {
      input: {
        values: [
          bonnN5({ year: 2008, quarter: 1 }),
          bonnN5({ year: 2008, quarter: 2 }),
          bonnN5({ year: 2008 }),
        ],
      },
    });
    expect(quarterFirst.reportValues.errors).toEqual([
      expect.objectContaining({
        code: 'VALIDATION',
        field: 'values.2.quarter',
        message: expect.stringContaining(
          'values.0 reports N5 of the same city for 2008 per quarter',
        ),
      }),
    ]);
    expect(await countRows(f.db)).toEqual(before);
  });

  it.runIf(engine === 'postgres')(
    "answers a concurrent request's other grain with the same field error, never a failure",
    async () => {
      // another request holds a yearly value it has not committed yet: the batch's check cannot
      // see it, the database's rule waits for it and then refuses
      const other = await f.db.startTransaction().execute();
      let answer: Promise<Record<string, unknown>> | undefined;
      try {
        await other
          .insertInto('reported_value')
          .values({
            indicator_id: (
              await other
                .selectFrom('indicator')
                .select('id')
                .where('code', '=', 'U5')
                .executeTakeFirstOrThrow()
            ).id,
            city_id: f.cities.bonn,
            year: 2007,
            numerator: 1,
            denominator: 2,
            status: 'SUBMITTED',
          })
          .execute();
        const before = await countRows(f.db);
        answer = runOk(f.db, f.viewers.bonnEditor, REPORT_VALUES, {
          input: { values: [bonnN5({ year: 2007 }), bonnU5({ year: 2007, quarter: 4 })] },
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
        await other.commit().execute();
        const data = (await answer) as { reportValues: Record<string, unknown> };
        expect(data.reportValues).toEqual({
          values: null,
          errors: [
            {
              code: 'VALIDATION',
              field: 'values.1.quarter',
              message:
                'The city reports this indicator for this year the other way already (once for ' +
                'the year or per quarter); a year is reported either once or per quarter, never both.',
            },
          ],
        });
        expect(await countRows(f.db)).toEqual({
          ...before,
          reported_value: before.reported_value + 1,
        });
      } finally {
        if (!other.isCommitted) await other.rollback().execute();
        await answer?.catch(() => {});
      }
    },
  );
});
