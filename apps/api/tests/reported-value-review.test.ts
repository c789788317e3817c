import type { Db } from '@udx/db/database';
import { testEngines } from '@udx/db/testing';
import { type ExecutionResult, graphql } from 'graphql';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { withViewerScope } from '../src/auth/row-level-security.ts';
import type { Context, Viewer } from '../src/context.ts';
import { findAuditEntriesOf } from '../src/modules/audit/audit.repository.ts';
import { schema } from '../src/schema.ts';
import { gid, idOf, useFixture } from './mutations-fixture.ts';

// The review loop: the queue's filters and order, the context of a value under review (who
// entered it, the value of the year before, the approved value a proposal would replace), taking
// a decision back, and correction proposals of approved values. Every operation runs in the
// database role of its account, as a request does, so row-level security has its say too.

const REPORT = /* GraphQL */ `
  mutation Report($input: ReportValuesInput!) {
    reportValues(input: $input) { values { id status } errors { code field message } }
  }
`;
const REVIEW = /* GraphQL */ `
  mutation Review($input: ReviewValueInput!) {
    reviewValue(input: $input) {
      value { id status numerator denominator rejectionReason }
      errors { code field message }
    }
  }
`;
const UNDO = /* GraphQL */ `
  mutation Undo($input: UndoReviewInput!) {
    undoReview(input: $input) { value { id status reviewedAt rejectionReason } errors { code field message } }
  }
`;
const PROPOSE = /* GraphQL */ `
  mutation Propose($input: ProposeCorrectionInput!) {
    proposeCorrection(input: $input) {
      value { id status numerator denominator corrects { id numerator denominator status } }
      errors { code field message }
    }
  }
`;
const LIST = /* GraphQL */ `
  query List($status: ValueStatus, $cityId: ID, $indicatorCode: String, $year: Int,
      $orderBy: ReportedValueOrder, $first: Int) {
    reportedValues(status: $status, cityId: $cityId, indicatorCode: $indicatorCode, year: $year,
        orderBy: $orderBy, first: $first) {
      totalCount
      edges {
        node {
          id indicator { code } city { name } year quarter status rejectionReason enteredByName
          numerator denominator value
          previousValue { year numerator denominator }
          corrects { id }
        }
      }
    }
  }
`;
const U5 = /* GraphQL */ `
  query U5($scope: ScopeInput) {
    dashboard(scope: $scope) { goals { indicators { indicator { code } value } } }
  }
`;

describe.each(testEngines())('the review loop on %s', (engine) => {
  const f = useFixture(engine);

  /** Runs an operation as `viewer` in its database role, as one request. */
  async function run(viewer: Viewer, source: string, variableValues?: Record<string, unknown>) {
    return withViewerScope(f.db, viewer, async (trx) => {
      const contextValue: Context = {
        db: trx as unknown as Db,
        viewer,
        language: 'en',
        response: { setCookies: [] },
      };
      const result = (await graphql({
        schema,
        source,
        variableValues,
        contextValue,
        // biome-ignore lint/suspicious/noExplicitAny: tests read the answer as a client does
      })) as ExecutionResult<any>;
      if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join('; '));
      return result.data;
    });
  }
  const bonn = () => gid('City', f.cities.bonn);
  const report = async (viewer: Viewer, values: Record<string, unknown>[]) => {
    const data = await run(viewer, REPORT, { input: { values } });
    expect(data.reportValues.errors).toEqual([]);
    return data.reportValues.values.map((v: { id: string }) => v.id) as string[];
  };
  const review = async (id: string, decision: 'APPROVE' | 'REJECT', reason?: string) =>
    (await run(f.viewers.evaluator, REVIEW, { input: { valueId: id, decision, reason } }))
      .reviewValue;
  const list = async (viewer: Viewer, args: Record<string, unknown>) =>
    (await run(viewer, LIST, { first: 50, ...args })).reportedValues;
  let u5of2024 = '';
  let n5Leipzig = '';
  beforeAll(async () => {
    // Bonn: U5 for 2024 (approved below) and 2025; N5 for the second quarter of 2025. Leipzig:
    // N5 for 2024. Entered in this order, a little apart.
    [u5of2024 = ''] = await report(f.viewers.bonnEditor, [
      { indicatorCode: 'U5', cityId: bonn(), year: 2024, numerator: 30, denominator: 60 },
    ]);
    [n5Leipzig = ''] = await report(f.viewers.leipzigEditor, [
      { indicatorCode: 'N5', cityId: gid('City', f.cities.leipzig), year: 2024, value: 4 },
    ]);
    await report(f.viewers.bonnEditor, [
      { indicatorCode: 'U5', cityId: bonn(), year: 2025, numerator: 42, denominator: 60 },
      { indicatorCode: 'N5', cityId: bonn(), year: 2025, quarter: 2, value: 3 },
    ]);
    expect((await review(u5of2024, 'APPROVE')).errors).toEqual([]);
  });

  it('filters and orders the queue on the server, with the total of the filtered list', async () => {
    const evaluator = f.viewers.evaluator;
    const all = await list(evaluator, { status: 'SUBMITTED', first: 2 });
    expect(all.totalCount).toBe(3);
    expect(all.edges).toHaveLength(2);
    const names = (l: {
      edges: { node: { indicator: { code: string }; city: { name: string }; year: number } }[];
    }) => l.edges.map((e) => `${e.node.indicator.code} ${e.node.city.name} ${e.node.year}`);
    expect(names(await list(evaluator, { status: 'SUBMITTED', orderBy: 'CITY' }))).toEqual([
      'U5 Bonn 2025',
      'N5 Bonn 2025',
      'N5 Leipzig 2024',
    ]);
    // entered in one batch, the two of Bonn came last, in the order given
    expect(names(await list(evaluator, { status: 'SUBMITTED', orderBy: 'NEWEST' }))).toEqual([
      'U5 Bonn 2025',
      'N5 Bonn 2025',
      'N5 Leipzig 2024',
    ]);
    expect(names(await list(evaluator, { status: 'SUBMITTED' }))).toEqual([
      'N5 Leipzig 2024',
      'U5 Bonn 2025',
      'N5 Bonn 2025',
    ]);
    expect(names(await list(evaluator, { status: 'SUBMITTED', orderBy: 'YEAR' }))[2]).toBe(
      'N5 Leipzig 2024',
    );
    const n5 = await list(evaluator, { status: 'SUBMITTED', indicatorCode: 'N5', year: 2025 });
    expect(n5.totalCount).toBe(1);
    expect(names(n5)).toEqual(['N5 Bonn 2025']);
    // the count alone, as the navigation asks for it
    const count = await run(
      evaluator,
      `{ reportedValues(status: SUBMITTED, first: 0) { totalCount } }`,
    );
    expect(count.reportedValues.totalCount).toBe(3);
  });

  it('shows who entered a value to SKEW and to its own city only, and the value of the year before', async () => {
    const mine = await list(f.viewers.bonnEditor, {
      cityId: bonn(),
      year: 2025,
      indicatorCode: 'U5',
    });
    expect(mine.edges[0].node).toMatchObject({
      enteredByName: 'bonnEditor',
      previousValue: { year: 2024, numerator: 30, denominator: 60 },
    });
    const queued = await list(f.viewers.evaluator, {
      cityId: bonn(),
      year: 2025,
      indicatorCode: 'U5',
    });
    expect(queued.edges[0].node.enteredByName).toBe('bonnEditor');
    // Bonn's approved value, as its partner La Crosse and the Foreign Office read it: no name
    const laCrosseViewer: Viewer = { ...f.viewers.leipzigEditor, cityId: f.cities.laCrosse };
    for (const viewer of [f.viewers.monitor, laCrosseViewer]) {
      const approved = await list(viewer, { cityId: bonn(), year: 2024 });
      expect(approved.edges.map((e: { node: unknown }) => e.node)).toMatchObject([
        { year: 2024, status: 'APPROVED', enteredByName: null },
      ]);
    }
    // a quarter's previous value is the same quarter of the year before: none here
    const quarter = await list(f.viewers.evaluator, { cityId: bonn(), indicatorCode: 'N5' });
    expect(quarter.edges[0].node.previousValue).toBeNull();
  });

  it('lets the reviewer who decided take the decision back, audited, and nobody else', async () => {
    const approved = await review(n5Leipzig, 'APPROVE');
    expect(approved.value.status).toBe('APPROVED');
    // another reviewer (SKEW administration) may not undo it
    const other = await run(f.viewers.admin, UNDO, { input: { valueId: n5Leipzig } });
    expect(other.undoReview.errors).toMatchObject([{ code: 'CONFLICT', field: 'valueId' }]);
    // a city account may not at all
    const city = await run(f.viewers.leipzigEditor, UNDO, { input: { valueId: n5Leipzig } });
    expect(city.undoReview.errors).toMatchObject([{ code: 'FORBIDDEN' }]);

    const undone = await run(f.viewers.evaluator, UNDO, { input: { valueId: n5Leipzig } });
    expect(undone.undoReview).toEqual({
      value: { id: n5Leipzig, status: 'SUBMITTED', reviewedAt: null, rejectionReason: null },
      errors: [],
    });
    const trail = await findAuditEntriesOf(f.db, 'reported_value', idOf(n5Leipzig));
    expect(trail.at(-1)).toMatchObject({
      actor_id: f.viewers.evaluator.userId,
      action: 'UPDATE',
      old_values: { status: 'APPROVED' },
      new_values: { status: 'SUBMITTED', reviewed_by: null },
    });
    // a value SUBMITTED has no decision to take back
    const again = await run(f.viewers.evaluator, UNDO, { input: { valueId: n5Leipzig } });
    expect(again.undoReview.errors).toMatchObject([{ code: 'CONFLICT', field: 'valueId' }]);

    // a rejection is taken back too, its reason gone with it
    await review(n5Leipzig, 'REJECT', 'Counted twice');
    const reopened = await run(f.viewers.evaluator, UNDO, { input: { valueId: n5Leipzig } });
    expect(reopened.undoReview.value).toMatchObject({ status: 'SUBMITTED', rejectionReason: null });

    // after the window, the decision stands (the decision's time moved back by the owner)
    await review(n5Leipzig, 'APPROVE');
    await sql`update reported_value set reviewed_at = now() - interval '11 minutes'
      where id = ${idOf(n5Leipzig)}`.execute(f.db);
    const late = await run(f.viewers.evaluator, UNDO, { input: { valueId: n5Leipzig } });
    expect(late.undoReview.errors).toMatchObject([{ code: 'CONFLICT', field: 'valueId' }]);
    // and the database refuses it too, whatever the application says
    const changed = await withViewerScope(f.db, f.viewers.evaluator, (trx) =>
      sql`update reported_value set status = 'SUBMITTED', reviewed_by = null, reviewed_at = null
        where id = ${idOf(n5Leipzig)}`.execute(trx),
    );
    expect(Number(changed.numAffectedRows)).toBe(0);
  });

  it('keeps an approved value counting until its correction is approved, then counts the correction', async () => {
    const editor = f.viewers.bonnEditor;
    // reporting an approved period again is refused, pointing to a correction
    const refused = await run(editor, REPORT, {
      input: {
        values: [
          { indicatorCode: 'U5', cityId: bonn(), year: 2024, numerator: 45, denominator: 60 },
        ],
      },
    });
    expect(refused.reportValues.errors).toMatchObject([
      { code: 'CONFLICT', message: expect.stringContaining('propose a correction') },
    ]);
    const u5of2024Scope = { cityId: bonn(), from: '2024-01-01', to: '2024-12-31' };
    const u5 = async () => {
      const data = await run(f.viewers.monitor, U5, { scope: u5of2024Scope });
      return data.dashboard.goals
        .flatMap(
          (g: { indicators: { indicator: { code: string }; value: number }[] }) => g.indicators,
        )
        .find((i: { indicator: { code: string } }) => i.indicator.code === 'U5').value;
    };
    expect(await u5()).toBe(50); // 30 of 60

    const proposed = await run(editor, PROPOSE, {
      input: {
        indicatorCode: 'U5',
        cityId: bonn(),
        year: 2024,
        numerator: 45,
        denominator: 60,
        note: 'Late answers',
      },
    });
    expect(proposed.proposeCorrection.errors).toEqual([]);
    const proposal = proposed.proposeCorrection.value;
    expect(proposal).toMatchObject({
      status: 'SUBMITTED',
      numerator: 45,
      corrects: { id: u5of2024, numerator: 30, status: 'APPROVED' },
    });
    // proposing again replaces the open proposal
    const replaced = await run(editor, PROPOSE, {
      input: { indicatorCode: 'U5', cityId: bonn(), year: 2024, numerator: 48, denominator: 60 },
    });
    expect(replaced.proposeCorrection.value).toMatchObject({ id: proposal.id, numerator: 48 });
    // the approved value keeps counting, for everyone, SKEW's preview of submitted values too
    expect(await u5()).toBe(50);
    const preview = await run(
      f.viewers.evaluator,
      `query($s: ScopeInput) {
      dashboard(scope: $s, includeSubmitted: true) { goals { indicators { indicator { code } value } } } }`,
      { s: u5of2024Scope },
    );
    const previewed = preview.dashboard.goals
      .flatMap(
        (g: { indicators: { indicator: { code: string }; value: number }[] }) => g.indicators,
      )
      .find((i: { indicator: { code: string } }) => i.indicator.code === 'U5').value;
    expect(previewed).toBe(50);
    // the queue shows it with the approved value it would replace
    const queued = await list(f.viewers.evaluator, {
      status: 'SUBMITTED',
      cityId: bonn(),
      year: 2024,
    });
    expect(queued.edges.map((e: { node: unknown }) => e.node)).toMatchObject([
      { id: proposal.id, corrects: { id: u5of2024 } },
    ]);

    // rejected: the reason reaches the city, the approved value is unchanged
    const rejected = await review(
      proposal.id,
      'REJECT',
      'The late answers came from another survey.',
    );
    expect(rejected.value).toMatchObject({ status: 'REJECTED' });
    const mine = await list(editor, { cityId: bonn(), year: 2024 });
    expect(mine.edges.map((e: { node: unknown }) => e.node)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: u5of2024, status: 'APPROVED', numerator: 30 }),
        expect.objectContaining({
          id: proposal.id,
          status: 'REJECTED',
          rejectionReason: 'The late answers came from another survey.',
        }),
      ]),
    );
    expect(await u5()).toBe(50);

    // proposed again and approved: the approved value takes the corrected figures, audited
    await run(editor, PROPOSE, {
      input: { indicatorCode: 'U5', cityId: bonn(), year: 2024, numerator: 45, denominator: 60 },
    });
    const approved = await review(proposal.id, 'APPROVE');
    expect(approved).toEqual({
      value: {
        id: u5of2024,
        status: 'APPROVED',
        numerator: 45,
        denominator: 60,
        rejectionReason: null,
      },
      errors: [],
    });
    expect(await u5()).toBe(75);
    const trail = await findAuditEntriesOf(f.db, 'reported_value', idOf(u5of2024));
    expect(trail.at(-1)).toMatchObject({
      actor_id: f.viewers.evaluator.userId,
      old_values: { numerator: 30, status: 'APPROVED' },
      new_values: { numerator: 45, status: 'APPROVED' },
    });
    expect(await findAuditEntriesOf(f.db, 'reported_value', idOf(proposal.id))).toHaveLength(5);
    const after = await list(editor, { cityId: bonn(), year: 2024 });
    expect(after.totalCount).toBe(1);
    // an approved correction is not taken back by undo
    const undo = await run(f.viewers.evaluator, UNDO, { input: { valueId: u5of2024 } });
    expect(undo.undoReview.errors).toMatchObject([{ code: 'CONFLICT' }]);
  });

  it("refuses a city's proposal for another city, and its approval of one, in the API and in the database", async () => {
    const leipzig = f.viewers.leipzigEditor;
    const other = await run(leipzig, PROPOSE, {
      input: { indicatorCode: 'U5', cityId: bonn(), year: 2024, numerator: 1, denominator: 60 },
    });
    expect(other.proposeCorrection.errors).toMatchObject([{ code: 'FORBIDDEN', field: 'cityId' }]);
    // nothing approved to correct: report it instead
    const none = await run(f.viewers.bonnEditor, PROPOSE, {
      input: { indicatorCode: 'U5', cityId: bonn(), year: 2023, numerator: 1, denominator: 60 },
    });
    expect(none.proposeCorrection.errors).toMatchObject([{ code: 'CONFLICT', field: 'year' }]);

    const proposalId: string = (
      await run(f.viewers.bonnEditor, PROPOSE, {
        input: { indicatorCode: 'U5', cityId: bonn(), year: 2024, numerator: 50, denominator: 60 },
      })
    ).proposeCorrection.value.id;
    const review = await run(f.viewers.bonnEditor, REVIEW, {
      input: { valueId: proposalId, decision: 'APPROVE' },
    });
    expect(review.reviewValue.errors).toMatchObject([{ code: 'FORBIDDEN' }]);

    // the database: Leipzig's role may not write a proposal of Bonn's, nor approve one
    const approvedId = idOf(u5of2024);
    await expect(
      withViewerScope(f.db, leipzig, (trx) =>
        sql`insert into reported_value (indicator_id, city_id, year, numerator, denominator,
            status, corrects_id)
          values ((select id from indicator where code = 'U5'), ${f.cities.bonn}, 2024, 1, 60,
            'SUBMITTED', ${approvedId})`.execute(trx),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(
      withViewerScope(f.db, f.viewers.bonnEditor, (trx) =>
        sql`select udx_approve_correction(${idOf(proposalId)})`.execute(trx),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    // nor may Bonn's make a proposal approved, or name a value of another period
    await expect(
      withViewerScope(f.db, f.viewers.bonnEditor, (trx) =>
        sql`update reported_value set status = 'APPROVED' where id = ${idOf(proposalId)}`.execute(
          trx,
        ),
      ),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^(42501|23514)$/) });
    await expect(
      withViewerScope(f.db, f.viewers.bonnEditor, (trx) =>
        sql`update reported_value set year = 2023 where id = ${idOf(proposalId)}`.execute(trx),
      ),
    ).rejects.toMatchObject({ code: '23514' });
  });
});
