import { testEngines } from '@udx/db/testing';
import { describe, expect, it } from 'vitest';
import { findAuditEntriesOf } from '../src/modules/audit/audit.repository.ts';
import {
  countRows,
  exchangeInput,
  type Fixture,
  gid,
  idOf,
  RECORD_EXCHANGE,
  run,
  runOk,
  useFixture,
} from './mutations-fixture.ts';

const UPDATE_EXCHANGE = /* GraphQL */ `
  mutation Update($input: UpdateExchangeInput!) {
    updateExchange(input: $input) {
      exchange { id title kind format startsOn endsOn participantCount hostCity { name } departments { name } topics { code } sdgTargets { code } }
      errors { code field message }
    }
  }
`;

const DELETE_EXCHANGE = /* GraphQL */ `
  mutation Delete($input: DeleteExchangeInput!) {
    deleteExchange(input: $input) { exchange { id title } errors { code field message } }
  }
`;

describe.each(testEngines())('exchange mutations on %s', (engine) => {
  const f = useFixture(engine);

  /** Records an exchange as the Bonn editor and returns its database id. */
  async function recordOne(overrides: Record<string, unknown> = {}): Promise<number> {
    const data = await runOk(f.db, f.viewers.bonnEditor, RECORD_EXCHANGE, {
      input: exchangeInput(f, overrides),
    });
    expect(data.recordExchange.errors).toEqual([]);
    return idOf(data.recordExchange.exchange.id);
  }

  it('records an exchange with its relations and one audit entry', async () => {
    const before = await countRows(f.db);
    const data = await runOk(f.db, f.viewers.bonnEditor, RECORD_EXCHANGE, {
      input: exchangeInput(f),
    });
    const { exchange, errors } = data.recordExchange;
    expect(errors).toEqual([]);
    expect(exchange).toMatchObject({
      kind: 'TECHNICAL',
      format: 'IN_PERSON',
      title: 'Sponge city workshop',
      startsOn: '2025-05-12',
      endsOn: '2025-05-14',
      participantCount: 18,
      governanceLevels: ['MUNICIPAL', 'SUBNATIONAL'],
      partnership: { id: gid('Partnership', f.partnerships.bonnLaCrosse) },
      hostCity: { name: 'Bonn' },
      topics: [{ code: 'SPONGE_CITY' }],
      sdgTargets: [{ code: '6.3' }, { code: '11.6' }],
      outcomes: [],
    });
    expect(exchange.departments.map((d: { name: string }) => d.name).sort()).toEqual([
      'Planning Department',
      'Umweltamt',
    ]);
    // goals of the targets (6, 11) together with the sponge city's default goals (6, 11, 13)
    expect(exchange.sdgs.map((g: { number: number }) => g.number)).toEqual([6, 11, 13]);

    const after = await countRows(f.db);
    expect(after.exchange).toBe(before.exchange + 1);
    expect(after.audit_entry).toBe(before.audit_entry + 1);
    const id = idOf(exchange.id);
    const [entry, ...more] = await findAuditEntriesOf(f.db, 'exchange', id);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      action: 'CREATE',
      actor_id: f.viewers.bonnEditor.userId,
      old_values: null,
      city_ids: [f.cities.bonn, f.cities.laCrosse].sort((a, b) => a - b),
    });
    expect(entry?.new_values).toMatchObject({
      title: 'Sponge city workshop',
      participant_count: 18,
      host_city_id: f.cities.bonn,
      topics: ['SPONGE_CITY'],
      sdg_targets: ['11.6', '6.3'],
      department_ids: [f.departments.bonnEnvironment, f.departments.laCrossePlanning].sort(
        (a, b) => a - b,
      ),
    });
  });

  const invalid: [string, (f: Fixture) => Record<string, unknown>, string, string][] = [
    ['an end before the start', () => ({ endsOn: '2025-05-01' }), 'VALIDATION', 'endsOn'],
    [
      'a negative participant count',
      () => ({ participantCount: -1 }),
      'VALIDATION',
      'participantCount',
    ],
    [
      'a host city outside the partnership',
      (f) => ({ hostCityId: gid('City', f.cities.leipzig) }),
      'VALIDATION',
      'hostCityId',
    ],
    [
      'a host city id of another type',
      (f) => ({ hostCityId: gid('Department', f.departments.bonnEnvironment) }),
      'VALIDATION',
      'hostCityId',
    ],
    [
      'a host city that does not exist',
      () => ({ hostCityId: gid('City', 99999) }),
      'NOT_FOUND',
      'hostCityId',
    ],
    [
      'a department of a third city',
      (f) => ({ departmentIds: [gid('Department', f.departments.leipzigMobility)] }),
      'VALIDATION',
      'departmentIds',
    ],
    [
      'a department that does not exist',
      () => ({ departmentIds: [gid('Department', 99999)] }),
      'NOT_FOUND',
      'departmentIds',
    ],
    [
      'a department id of another type',
      (f) => ({ departmentIds: [gid('City', f.cities.bonn)] }),
      'VALIDATION',
      'departmentIds',
    ],
    [
      'an SDG target that does not exist',
      () => ({ sdgTargets: ['11.6', '11.99'] }),
      'VALIDATION',
      'sdgTargets',
    ],
    ['a blank title', () => ({ title: '   ' }), 'VALIDATION', 'title'],
    ['no governance level', () => ({ governanceLevels: [] }), 'VALIDATION', 'governanceLevels'],
    [
      'a partnership id of another type',
      (f) => ({ partnershipId: gid('City', f.cities.bonn) }),
      'VALIDATION',
      'partnershipId',
    ],
    [
      'a malformed partnership id',
      () => ({ partnershipId: 'not-an-id' }),
      'VALIDATION',
      'partnershipId',
    ],
  ];

  it.each(invalid)(
    'refuses %s, naming the field and writing nothing',
    async (_name, overrides, code, field) => {
      const before = await countRows(f.db);
      const result = await run(f.db, f.viewers.bonnEditor, RECORD_EXCHANGE, {
        input: exchangeInput(f, overrides(f)),
      });
      expect(result.errors).toBeUndefined();
      const payload = result.data?.recordExchange;
      expect(payload.exchange).toBeNull();
      expect(payload.errors).toContainEqual(expect.objectContaining({ code, field }));
      expect(payload.errors.every((e: { message: string }) => e.message.length > 0)).toBe(true);
      expect(await countRows(f.db)).toEqual(before);
    },
  );

  it('answers NOT_FOUND for a partnership that does not exist (SKEW administration)', async () => {
    const before = await countRows(f.db);
    const data = await runOk(f.db, f.viewers.admin, RECORD_EXCHANGE, {
      input: exchangeInput(f, { partnershipId: gid('Partnership', 99999) }),
    });
    expect(data.recordExchange.errors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: 'partnershipId' }),
    ]);
    expect(await countRows(f.db)).toEqual(before);
  });

  it('lets SKEW administration record in any partnership', async () => {
    const data = await runOk(f.db, f.viewers.admin, RECORD_EXCHANGE, {
      input: exchangeInput(f, {
        partnershipId: gid('Partnership', f.partnerships.leipzigHouston),
        hostCityId: gid('City', f.cities.houston),
        departmentIds: [gid('Department', f.departments.leipzigMobility)],
      }),
    });
    expect(data.recordExchange.errors).toEqual([]);
    expect(data.recordExchange.exchange.hostCity.name).toBe('Houston');
  });

  it("keeps a city editor out of another city's partnership, and other roles out entirely", async () => {
    const before = await countRows(f.db);
    const foreign = await runOk(f.db, f.viewers.bonnEditor, RECORD_EXCHANGE, {
      input: exchangeInput(f, {
        partnershipId: gid('Partnership', f.partnerships.leipzigHouston),
        hostCityId: gid('City', f.cities.leipzig),
        departmentIds: [],
      }),
    });
    expect(foreign.recordExchange).toEqual({
      exchange: null,
      errors: [expect.objectContaining({ code: 'FORBIDDEN', field: 'partnershipId' })],
    });
    for (const viewer of [f.viewers.bonnViewer, f.viewers.monitor, f.viewers.evaluator]) {
      const data = await runOk(f.db, viewer, RECORD_EXCHANGE, { input: exchangeInput(f) });
      expect(data.recordExchange.errors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    }
    const anonymous = await runOk(f.db, null, RECORD_EXCHANGE, { input: exchangeInput(f) });
    expect(anonymous.recordExchange.errors).toEqual([
      expect.objectContaining({ code: 'UNAUTHENTICATED' }),
    ]);
    expect(await countRows(f.db)).toEqual(before);
  });

  it('changes only the fields given and audits old and new values', async () => {
    const id = await recordOne({ title: 'Before', participantCount: 10 });
    const before = await countRows(f.db);
    const data = await runOk(f.db, f.viewers.bonnEditor, UPDATE_EXCHANGE, {
      input: { id: gid('Exchange', id), title: 'After', endsOn: null },
    });
    expect(data.updateExchange.errors).toEqual([]);
    expect(data.updateExchange.exchange).toMatchObject({
      title: 'After',
      kind: 'TECHNICAL',
      startsOn: '2025-05-12',
      endsOn: null,
      participantCount: 10,
      hostCity: { name: 'Bonn' },
      topics: [{ code: 'SPONGE_CITY' }],
      sdgTargets: [{ code: '6.3' }, { code: '11.6' }],
    });
    expect(data.updateExchange.exchange.departments).toHaveLength(2);
    const after = await countRows(f.db);
    expect(after).toEqual({ ...before, audit_entry: before.audit_entry + 1 });
    const trail = await findAuditEntriesOf(f.db, 'exchange', id);
    expect(trail.map((e) => e.action)).toEqual(['CREATE', 'UPDATE']);
    expect(trail[1]?.old_values).toMatchObject({
      title: 'Before',
      ends_on: '2025-05-14',
      participant_count: 10,
    });
    expect(trail[1]?.new_values).toMatchObject({
      title: 'After',
      ends_on: null,
      participant_count: 10,
    });
  });

  it('replaces lists given in an update and checks them like a new record', async () => {
    const id = await recordOne();
    const data = await runOk(f.db, f.viewers.bonnEditor, UPDATE_EXCHANGE, {
      input: {
        id: gid('Exchange', id),
        departmentIds: [gid('Department', f.departments.bonnInternational)],
        topics: ['ZERO_WASTE', 'SOCIAL_CITY'],
        sdgTargets: ['12.5'],
      },
    });
    expect(data.updateExchange.errors).toEqual([]);
    expect(data.updateExchange.exchange.departments).toEqual([{ name: 'Amt für Internationales' }]);
    expect(data.updateExchange.exchange.topics).toEqual([
      { code: 'ZERO_WASTE' },
      { code: 'SOCIAL_CITY' },
    ]);
    expect(data.updateExchange.exchange.sdgTargets).toEqual([{ code: '12.5' }]);

    const before = await countRows(f.db);
    const bad = await runOk(f.db, f.viewers.bonnEditor, UPDATE_EXCHANGE, {
      input: {
        id: gid('Exchange', id),
        title: 'Not saved',
        departmentIds: [gid('Department', f.departments.leipzigMobility)],
      },
    });
    expect(bad.updateExchange.errors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: 'departmentIds' }),
    ]);
    const startLate = await runOk(f.db, f.viewers.bonnEditor, UPDATE_EXCHANGE, {
      input: { id: gid('Exchange', id), startsOn: '2025-06-01' },
    });
    expect(startLate.updateExchange.errors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: 'startsOn' }),
    ]);
    const cleared = await runOk(f.db, f.viewers.bonnEditor, UPDATE_EXCHANGE, {
      input: { id: gid('Exchange', id), title: null },
    });
    expect(cleared.updateExchange.errors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: 'title' }),
    ]);
    expect(await countRows(f.db)).toEqual(before);
    const row = await f.db
      .selectFrom('exchange')
      .select('title')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.title).toBe('Sponge city workshop');
  });

  it("refuses to change or delete another city's exchange", async () => {
    const id = await recordOne();
    const before = await countRows(f.db);
    const update = await runOk(f.db, f.viewers.leipzigEditor, UPDATE_EXCHANGE, {
      input: { id: gid('Exchange', id), title: 'Taken over' },
    });
    expect(update.updateExchange.errors).toEqual([
      expect.objectContaining({ code: 'FORBIDDEN', field: 'id' }),
    ]);
    const remove = await runOk(f.db, f.viewers.leipzigEditor, DELETE_EXCHANGE, {
      input: { id: gid('Exchange', id) },
    });
    expect(remove.deleteExchange.errors).toEqual([
      expect.objectContaining({ code: 'FORBIDDEN', field: 'id' }),
    ]);
    const missing = await runOk(f.db, f.viewers.admin, DELETE_EXCHANGE, {
      input: { id: gid('Exchange', 99999) },
    });
    expect(missing.deleteExchange.errors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: 'id' }),
    ]);
    const wrongType = await runOk(f.db, f.viewers.admin, DELETE_EXCHANGE, {
      input: { id: gid('Outcome', id) },
    });
    expect(wrongType.deleteExchange.errors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: 'id' }),
    ]);
    expect(await countRows(f.db)).toEqual(before);
  });

  it('deletes an exchange, unlinking its outcomes, with an audit entry for each changed row', async () => {
    const id = await recordOne({ title: 'To be deleted' });
    const outcome = await runOk(
      f.db,
      f.viewers.bonnEditor,
      `mutation($input: RecordOutcomeInput!) { recordOutcome(input: $input) { outcome { id } errors { code field } } }`,
      {
        input: {
          partnershipId: gid('Partnership', f.partnerships.bonnLaCrosse),
          exchangeId: gid('Exchange', id),
          kind: 'NEW_APPROACH',
          status: 'PLANNED',
          title: 'Rain gardens in both cities',
          date: '2025-06-01',
          sdgTargets: [],
        },
      },
    );
    expect(outcome.recordOutcome.errors).toEqual([]);
    const outcomeId = idOf(outcome.recordOutcome.outcome.id);

    const before = await countRows(f.db);
    const data = await runOk(f.db, f.viewers.bonnEditor, DELETE_EXCHANGE, {
      input: { id: gid('Exchange', id) },
    });
    expect(data.deleteExchange).toEqual({
      exchange: { id: gid('Exchange', id), title: 'To be deleted' },
      errors: [],
    });
    const after = await countRows(f.db);
    expect(after.exchange).toBe(before.exchange - 1);
    expect(after.outcome).toBe(before.outcome);
    expect(after.audit_entry).toBe(before.audit_entry + 2);
    const [, deleted] = await findAuditEntriesOf(f.db, 'exchange', id);
    expect(deleted).toMatchObject({
      action: 'DELETE',
      new_values: null,
      old_values: { title: 'To be deleted' },
    });
    const outcomeTrail = await findAuditEntriesOf(f.db, 'outcome', outcomeId);
    expect(outcomeTrail.at(-1)).toMatchObject({
      action: 'UPDATE',
      old_values: { exchange_id: id },
      new_values: { exchange_id: null },
    });
    const row = await f.db
      .selectFrom('outcome')
      .select('exchange_id')
      .where('id', '=', outcomeId)
      .executeTakeFirstOrThrow();
    expect(row.exchange_id).toBeNull();
  });
});
