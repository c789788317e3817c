import { PothosValidationError } from '@pothos/core';
import { testEngines } from '@udx/db/testing';
import { describe, expect, it } from 'vitest';
import { MAX_PAGE_SIZE } from '../src/modules/shared/connection.ts';
import { run, runOk, useFixture } from './mutations-fixture.ts';

const PARTNERSHIPS = /* GraphQL */ `
  query Partnerships($first: Int, $search: String) {
    partnerships(first: $first, search: $search) {
      totalCount
      edges { node { germanCity { name } partnerCity { name } } }
    }
  }
`;

const CITIES = /* GraphQL */ `
  query Cities($search: String) {
    cities(first: 10, search: $search) { totalCount edges { node { name } } }
  }
`;

describe.each(testEngines())('pages and choice lists on %s', (engine) => {
  const f = useFixture(engine);

  /** The one error of an operation that must be refused, and that nothing was answered. */
  async function refusal(source: string, variables: Record<string, unknown> = {}) {
    const result = await run(f.db, f.viewers.monitor, source, variables);
    expect(result.data ?? null).toBeNull();
    const [error] = result.errors ?? [];
    // the HTTP layer answers a failed argument validation as BAD_USER_INPUT
    expect(error?.originalError).toBeInstanceOf(PothosValidationError);
    return error?.message;
  }

  it(`serves ${MAX_PAGE_SIZE} items a page and refuses a larger page by name, never cutting it short`, async () => {
    const full = await runOk(f.db, f.viewers.monitor, PARTNERSHIPS, { first: MAX_PAGE_SIZE });
    expect(full.partnerships.edges).toHaveLength(2);
    const tooMany = `must be at most ${MAX_PAGE_SIZE}`;
    expect(await refusal(PARTNERSHIPS, { first: MAX_PAGE_SIZE + 1 })).toMatch(`first ${tooMany}`);
    expect(await refusal('{ exchanges(first: 500) { totalCount } }')).toMatch(`first ${tooMany}`);
    expect(
      await refusal('{ partnerships { edges { node { exchanges(first: 200) { totalCount } } } } }'),
    ).toMatch(`first ${tooMany}`);
    expect(await refusal('{ cities(last: 101) { totalCount } }')).toMatch(`last ${tooMany}`);
    expect(await refusal('{ cities(first: -1) { totalCount } }')).toMatch(
      'first must not be negative',
    );
  });

  it("finds partnerships by either city's name and cities by theirs, in any case", async () => {
    const partnerships = async (search: string) =>
      (await runOk(f.db, f.viewers.monitor, PARTNERSHIPS, { search })).partnerships;
    const houston = await partnerships('HOUS');
    expect(houston.totalCount).toBe(1);
    expect(houston.edges[0].node.germanCity.name).toBe('Leipzig');
    expect((await partnerships('o')).totalCount).toBe(2);
    expect((await partnerships('  ')).totalCount).toBe(2);
    // the pattern's own characters stand for themselves
    expect((await partnerships('%')).totalCount).toBe(0);
    expect((await partnerships('B_nn')).totalCount).toBe(0);

    const cities = async (viewer: keyof typeof f.viewers, search: string) =>
      (await runOk(f.db, f.viewers[viewer], CITIES, { search })).cities.edges.map(
        (e: { node: { name: string } }) => e.node.name,
      );
    expect(await cities('monitor', 'la c')).toEqual(['La Crosse']);
    expect(await cities('monitor', 'ON')).toEqual(['Bonn', 'Houston']);
    // a city account finds only the cities it sees
    expect(await cities('bonnViewer', 'on')).toEqual(['Bonn']);
    expect(await refusal(CITIES, { search: 'x'.repeat(101) })).toMatch('at most 100 characters');
  });
});
