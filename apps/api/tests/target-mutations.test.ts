import { testEngines } from '@udx/db/testing';
import { describe, expect, it } from 'vitest';
import { findAuditEntriesOf } from '../src/modules/audit/audit.repository.ts';
import { countRows, gid, idOf, runOk, useFixture } from './mutations-fixture.ts';

const SET_TARGET = /* GraphQL */ `
  mutation Set($input: SetTargetInput!) {
    setTarget(input: $input) {
      target { id indicator { code } year partnership { id } baseline target }
      errors { code field message }
    }
  }
`;

describe.each(testEngines())('targets on %s', (engine) => {
  const f = useFixture(engine);

  it('creates a target, then changes the same one, auditing each change', async () => {
    const before = await countRows(f.db);
    const created = await runOk(f.db, f.viewers.evaluator, SET_TARGET, {
      input: { indicatorCode: 'U1', year: 2026, baseline: 4, target: 12 },
    });
    expect(created.setTarget.errors).toEqual([]);
    expect(created.setTarget.target).toMatchObject({
      indicator: { code: 'U1' },
      year: 2026,
      partnership: null,
      baseline: 4,
      target: 12,
    });
    const changed = await runOk(f.db, f.viewers.admin, SET_TARGET, {
      input: { indicatorCode: 'U1', year: 2026, baseline: 4, target: 15 },
    });
    expect(changed.setTarget.target).toMatchObject({ id: created.setTarget.target.id, target: 15 });
    const after = await countRows(f.db);
    expect(after.target).toBe(before.target + 1);
    expect(after.audit_entry).toBe(before.audit_entry + 2);
    const trail = await findAuditEntriesOf(f.db, 'target', idOf(created.setTarget.target.id));
    expect(trail.map((e) => e.action)).toEqual(['CREATE', 'UPDATE']);
    expect(trail[1]).toMatchObject({
      old_values: { target: 12 },
      new_values: { target: 15, baseline: 4 },
    });
  });

  it("keeps a partnership's target apart from the programme-wide one", async () => {
    const data = await runOk(f.db, f.viewers.evaluator, SET_TARGET, {
      input: {
        indicatorCode: 'U1',
        year: 2026,
        partnershipId: gid('Partnership', f.partnerships.bonnLaCrosse),
        target: 3,
      },
    });
    expect(data.setTarget.errors).toEqual([]);
    expect(data.setTarget.target.partnership).toEqual({
      id: gid('Partnership', f.partnerships.bonnLaCrosse),
    });
    const trail = await findAuditEntriesOf(f.db, 'target', idOf(data.setTarget.target.id));
    expect(trail[0]?.city_ids).toEqual([f.cities.bonn, f.cities.laCrosse].sort((a, b) => a - b));

    const bonn = await runOk(
      f.db,
      f.viewers.bonnViewer,
      `{ targets(indicatorCode: "U1") { year target partnership { id } } }`,
    );
    expect(bonn.targets).toHaveLength(2);
    const leipzig = await runOk(
      f.db,
      f.viewers.leipzigEditor,
      `{ targets(indicatorCode: "U1") { target partnership { id } } }`,
    );
    expect(leipzig.targets).toEqual([{ target: 15, partnership: null }]);

    // The target editor asks for one partnership's targets, and for the programme-wide ones.
    const bonnLaCrosse = gid('Partnership', f.partnerships.bonnLaCrosse);
    const own = await runOk(
      f.db,
      f.viewers.evaluator,
      `query Own($p: ID!) { targets(year: 2026, partnershipId: $p) { target partnership { id } } }`,
      { p: bonnLaCrosse },
    );
    expect(own.targets).toEqual([{ target: 3, partnership: { id: bonnLaCrosse } }]);
    const programme = await runOk(
      f.db,
      f.viewers.evaluator,
      `{ targets(year: 2026, programmeWide: true) { indicator { code } target partnership { id } } }`,
    );
    expect(programme.targets).toEqual([
      { indicator: { code: 'U1' }, target: 15, partnership: null },
    ]);
    // A partnership out of the viewer's reach, or an id of another kind, selects nothing.
    for (const p of [bonnLaCrosse, gid('City', f.cities.bonn)]) {
      const data = await runOk(
        f.db,
        p === bonnLaCrosse ? f.viewers.leipzigEditor : f.viewers.evaluator,
        `query Own($p: ID!) { targets(partnershipId: $p) { target } }`,
        { p },
      );
      expect(data.targets).toEqual([]);
    }
  });

  it.each([
    ['an unknown indicator', { indicatorCode: 'Z1' }, 'NOT_FOUND', 'indicatorCode'],
    ['a year out of range', { year: 2101 }, 'VALIDATION', 'year'],
    ['a negative target', { target: -1 }, 'VALIDATION', 'target'],
    ['a negative baseline', { baseline: -2 }, 'VALIDATION', 'baseline'],
    ['a percentage above 100', { indicatorCode: 'U5', target: 120 }, 'VALIDATION', 'target'],
    [
      'a partnership that does not exist',
      { partnershipId: gid('Partnership', 99999) },
      'NOT_FOUND',
      'partnershipId',
    ],
    [
      'a partnership id of another type',
      { partnershipId: gid('City', 1) },
      'VALIDATION',
      'partnershipId',
    ],
  ] as const)(
    'refuses %s, naming the field and writing nothing',
    async (_name, overrides, code, field) => {
      const before = await countRows(f.db);
      const data = await runOk(f.db, f.viewers.evaluator, SET_TARGET, {
        input: { indicatorCode: 'S2', year: 2027, target: 5, ...overrides },
      });
      expect(data.setTarget.target).toBeNull();
      expect(data.setTarget.errors).toContainEqual(expect.objectContaining({ code, field }));
      expect(await countRows(f.db)).toEqual(before);
    },
  );

  it('lets only SKEW set targets', async () => {
    const before = await countRows(f.db);
    for (const viewer of [f.viewers.bonnEditor, f.viewers.bonnViewer, f.viewers.monitor, null]) {
      const data = await runOk(f.db, viewer, SET_TARGET, {
        input: { indicatorCode: 'S2', year: 2027, target: 5 },
      });
      expect(data.setTarget.errors).toEqual([
        expect.objectContaining({ code: viewer ? 'FORBIDDEN' : 'UNAUTHENTICATED' }),
      ]);
    }
    expect(await countRows(f.db)).toEqual(before);
  });
});
