import { testEngines } from '@udx/db/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { findAuditEntriesOf } from '../src/modules/audit/audit.repository.ts';
import {
  countRows,
  exchangeInput,
  gid,
  idOf,
  RECORD_EXCHANGE,
  run,
  runOk,
  useFixture,
} from './mutations-fixture.ts';

const RECORD_OUTCOME = /* GraphQL */ `
  mutation Record($input: RecordOutcomeInput!) {
    recordOutcome(input: $input) {
      outcome {
        id kind status title description date
        partnership { id }
        exchange { id title }
        sdgTargets { code }
        sdgs { number }
      }
      errors { code field message }
    }
  }
`;

const UPDATE_OUTCOME = /* GraphQL */ `
  mutation Update($input: UpdateOutcomeInput!) {
    updateOutcome(input: $input) {
      outcome { id kind status title description date sdgTargets { code } }
      errors { code field message }
    }
  }
`;

const DELETE_OUTCOME = /* GraphQL */ `
  mutation Delete($input: DeleteOutcomeInput!) {
    deleteOutcome(input: $input) { outcome { id title } errors { code field message } }
  }
`;

describe.each(testEngines())('outcome mutations on %s', (engine) => {
  const f = useFixture(engine);
  let exchangeId: string;
  let leipzigExchangeId: string;

  const outcomeInput = (overrides: Record<string, unknown> = {}) => ({
    partnershipId: gid('Partnership', f.partnerships.bonnLaCrosse),
    exchangeId,
    kind: 'JOINT_PROJECT',
    status: 'IN_PROGRESS',
    title: 'Joint rainwater plan',
    description: 'Both cities map their sealed surfaces.',
    date: '2025-09-30',
    sdgTargets: ['6.3', '13.1'],
    ...overrides,
  });

  beforeAll(async () => {
    const recorded = await runOk(f.db, f.viewers.bonnEditor, RECORD_EXCHANGE, {
      input: exchangeInput(f),
    });
    exchangeId = recorded.recordExchange.exchange.id;
    const leipzig = await runOk(f.db, f.viewers.leipzigEditor, RECORD_EXCHANGE, {
      input: exchangeInput(f, {
        partnershipId: gid('Partnership', f.partnerships.leipzigHouston),
        hostCityId: gid('City', f.cities.leipzig),
        departmentIds: [],
      }),
    });
    leipzigExchangeId = leipzig.recordExchange.exchange.id;
  });

  it('records an outcome of an exchange, with its SDGs and one audit entry', async () => {
    const before = await countRows(f.db);
    const data = await runOk(f.db, f.viewers.bonnEditor, RECORD_OUTCOME, { input: outcomeInput() });
    expect(data.recordOutcome.errors).toEqual([]);
    expect(data.recordOutcome.outcome).toMatchObject({
      kind: 'JOINT_PROJECT',
      status: 'IN_PROGRESS',
      title: 'Joint rainwater plan',
      date: '2025-09-30',
      partnership: { id: gid('Partnership', f.partnerships.bonnLaCrosse) },
      exchange: { id: exchangeId, title: 'Sponge city workshop' },
      sdgTargets: [{ code: '6.3' }, { code: '13.1' }],
      sdgs: [{ number: 6 }, { number: 13 }],
    });
    const after = await countRows(f.db);
    expect(after.outcome).toBe(before.outcome + 1);
    expect(after.audit_entry).toBe(before.audit_entry + 1);
    const trail = await findAuditEntriesOf(f.db, 'outcome', idOf(data.recordOutcome.outcome.id));
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({
      action: 'CREATE',
      old_values: null,
      new_values: {
        title: 'Joint rainwater plan',
        sdg_targets: ['13.1', '6.3'],
        exchange_id: idOf(exchangeId),
      },
    });

    // the exchange lists what it produced, and so does the partnership
    const exchange = await runOk(
      f.db,
      f.viewers.bonnViewer,
      `query($id: ID!) { node(id: $id) { ... on Exchange { outcomes { title } } } }`,
      { id: exchangeId },
    );
    expect(exchange.node.outcomes).toEqual([{ title: 'Joint rainwater plan' }]);
  });

  it.each([
    ['a blank title', () => ({ title: ' ' }), 'VALIDATION', 'title'],
    [
      'an SDG target that does not exist',
      () => ({ sdgTargets: ['99.1'] }),
      'VALIDATION',
      'sdgTargets',
    ],
    [
      'an exchange that does not exist',
      () => ({ exchangeId: gid('Exchange', 99999) }),
      'NOT_FOUND',
      'exchangeId',
    ],
    [
      'an exchange id of another type',
      () => ({ exchangeId: gid('City', 1) }),
      'VALIDATION',
      'exchangeId',
    ],
    [
      'a partnership id of another type',
      () => ({ partnershipId: gid('Exchange', 1) }),
      'VALIDATION',
      'partnershipId',
    ],
  ] as const)(
    'refuses %s, naming the field and writing nothing',
    async (_name, overrides, code, field) => {
      const before = await countRows(f.db);
      const data = await runOk(f.db, f.viewers.bonnEditor, RECORD_OUTCOME, {
        input: outcomeInput(overrides()),
      });
      expect(data.recordOutcome.outcome).toBeNull();
      expect(data.recordOutcome.errors).toContainEqual(expect.objectContaining({ code, field }));
      expect(await countRows(f.db)).toEqual(before);
    },
  );

  it("refuses an exchange of another partnership, and another city's partnership", async () => {
    const before = await countRows(f.db);
    const otherExchange = await runOk(f.db, f.viewers.admin, RECORD_OUTCOME, {
      input: outcomeInput({ exchangeId: leipzigExchangeId }),
    });
    expect(otherExchange.recordOutcome.errors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: 'exchangeId' }),
    ]);
    // to a city editor, another city's exchange is as unknown as a missing one
    const hidden = await runOk(f.db, f.viewers.bonnEditor, RECORD_OUTCOME, {
      input: outcomeInput({ exchangeId: leipzigExchangeId }),
    });
    expect(hidden.recordOutcome.errors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: 'exchangeId' }),
    ]);
    const foreign = await runOk(f.db, f.viewers.bonnEditor, RECORD_OUTCOME, {
      input: outcomeInput({
        partnershipId: gid('Partnership', f.partnerships.leipzigHouston),
        exchangeId: null,
      }),
    });
    expect(foreign.recordOutcome.errors).toEqual([
      expect.objectContaining({ code: 'FORBIDDEN', field: 'partnershipId' }),
    ]);
    const viewer = await runOk(f.db, f.viewers.bonnViewer, RECORD_OUTCOME, {
      input: outcomeInput(),
    });
    expect(viewer.recordOutcome.errors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    expect(await countRows(f.db)).toEqual(before);
  });

  it('updates only the fields given and audits old and new values', async () => {
    const recorded = await runOk(f.db, f.viewers.bonnEditor, RECORD_OUTCOME, {
      input: outcomeInput({ title: 'Tree planting', status: 'PLANNED' }),
    });
    const id = recorded.recordOutcome.outcome.id;
    const before = await countRows(f.db);
    const data = await runOk(f.db, f.viewers.bonnEditor, UPDATE_OUTCOME, {
      input: { id, status: 'ACHIEVED', description: null },
    });
    expect(data.updateOutcome.errors).toEqual([]);
    expect(data.updateOutcome.outcome).toMatchObject({
      status: 'ACHIEVED',
      title: 'Tree planting',
      kind: 'JOINT_PROJECT',
      description: null,
      sdgTargets: [{ code: '6.3' }, { code: '13.1' }],
    });
    expect(await countRows(f.db)).toEqual({ ...before, audit_entry: before.audit_entry + 1 });
    const trail = await findAuditEntriesOf(f.db, 'outcome', idOf(id));
    expect(trail.at(-1)).toMatchObject({
      action: 'UPDATE',
      old_values: { status: 'PLANNED', description: 'Both cities map their sealed surfaces.' },
      new_values: { status: 'ACHIEVED', description: null, title: 'Tree planting' },
    });

    const refused = await runOk(f.db, f.viewers.leipzigEditor, UPDATE_OUTCOME, {
      input: { id, title: 'Mine now' },
    });
    expect(refused.updateOutcome.errors).toEqual([
      expect.objectContaining({ code: 'FORBIDDEN', field: 'id' }),
    ]);
    const badTargets = await runOk(f.db, f.viewers.bonnEditor, UPDATE_OUTCOME, {
      input: { id, sdgTargets: ['6.3', '6.77'] },
    });
    expect(badTargets.updateOutcome.errors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: 'sdgTargets' }),
    ]);
    const missing = await runOk(f.db, f.viewers.admin, UPDATE_OUTCOME, {
      input: { id: gid('Outcome', 99999), title: 'x' },
    });
    expect(missing.updateOutcome.errors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: 'id' }),
    ]);
    expect(await countRows(f.db)).toEqual({ ...before, audit_entry: before.audit_entry + 1 });
  });

  it('deletes an outcome for the editors of its partnership only, auditing what it was', async () => {
    const recorded = await runOk(f.db, f.viewers.bonnEditor, RECORD_OUTCOME, {
      input: outcomeInput({ title: 'Recorded twice' }),
    });
    const id = recorded.recordOutcome.outcome.id;
    const before = await countRows(f.db);
    for (const [viewer, code] of [
      [f.viewers.leipzigEditor, 'FORBIDDEN'],
      [f.viewers.bonnViewer, 'FORBIDDEN'],
      [f.viewers.monitor, 'FORBIDDEN'],
      [null, 'UNAUTHENTICATED'],
    ] as const) {
      const refused = await runOk(f.db, viewer, DELETE_OUTCOME, { input: { id } });
      expect(refused.deleteOutcome.outcome).toBeNull();
      expect(refused.deleteOutcome.errors).toEqual([expect.objectContaining({ code })]);
    }
    const wrongType = await runOk(f.db, f.viewers.admin, DELETE_OUTCOME, {
      input: { id: gid('Exchange', idOf(id)) },
    });
    expect(wrongType.deleteOutcome.errors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: 'id' }),
    ]);
    expect(await countRows(f.db)).toEqual(before);

    const data = await runOk(f.db, f.viewers.bonnEditor, DELETE_OUTCOME, { input: { id } });
    expect(data.deleteOutcome).toEqual({ outcome: { id, title: 'Recorded twice' }, errors: [] });
    expect(await countRows(f.db)).toEqual({
      ...before,
      outcome: before.outcome - 1,
      outcome_sdg_target: before.outcome_sdg_target - 2,
      audit_entry: before.audit_entry + 1,
    });
    const trail = await findAuditEntriesOf(f.db, 'outcome', idOf(id));
    expect(trail.at(-1)).toMatchObject({
      action: 'DELETE',
      old_values: { title: 'Recorded twice', sdg_targets: ['13.1', '6.3'] },
      new_values: null,
    });
    const again = await runOk(f.db, f.viewers.admin, DELETE_OUTCOME, { input: { id } });
    expect(again.deleteOutcome.errors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: 'id' }),
    ]);
  });

  it('lists outcomes by scope, each viewer within their reach', async () => {
    await runOk(f.db, f.viewers.leipzigEditor, RECORD_OUTCOME, {
      input: outcomeInput({
        partnershipId: gid('Partnership', f.partnerships.leipzigHouston),
        exchangeId: leipzigExchangeId,
        title: 'Leipzig agreement',
        kind: 'AGREEMENT',
        date: '2024-03-01',
      }),
    });
    const query = `query($scope: ScopeInput) { outcomes(first: 10, scope: $scope) { totalCount edges { node { title } } } }`;
    const all = await runOk(f.db, f.viewers.monitor, query);
    expect(all.outcomes.totalCount).toBe(3);
    const bonn = await runOk(f.db, f.viewers.bonnViewer, query);
    expect(bonn.outcomes.edges.map((e: { node: { title: string } }) => e.node.title)).not.toContain(
      'Leipzig agreement',
    );
    expect(bonn.outcomes.totalCount).toBe(2);
    const us2024 = await runOk(f.db, f.viewers.admin, query, {
      scope: { countryCode: 'US', from: '2024-01-01', to: '2024-12-31' },
    });
    expect(us2024.outcomes).toEqual({
      totalCount: 1,
      edges: [{ node: { title: 'Leipzig agreement' } }],
    });
    const anonymous = await run(f.db, null, query);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
