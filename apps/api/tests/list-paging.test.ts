import { PothosValidationError } from '@pothos/core';
import { testEngines } from '@udx/db/testing';
import { graphql } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { StatementCounter } from '../bench/measure.ts';
import type { Context } from '../src/context.ts';
import { MAX_PAGE_SIZE } from '../src/modules/shared/connection.ts';
import { FigureCache } from '../src/modules/shared/figure-cache.ts';
import { schema } from '../src/schema.ts';
import {
  exchangeInput,
  gid,
  RECORD_EXCHANGE,
  run,
  runOk,
  useFixture,
} from './mutations-fixture.ts';

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

// The lists of a city's page: its departments, its partnerships and their exchanges with theirs.
const CITY_LISTS = /* GraphQL */ `
  query CityLists($first: Int) {
    cities(first: $first) {
      edges {
        node {
          departments { id name }
          partnerships { id exchanges(first: 5) { edges { node { id departments { id } } } } }
        }
      }
    }
  }
`;

describe.each(testEngines())('pages and choice lists on %s', (engine) => {
  const counter = new StatementCounter();
  const f = useFixture(engine, { log: counter.count });

  beforeAll(async () => {
    const leipzigHouston = {
      partnershipId: gid('Partnership', f.partnerships.leipzigHouston),
      hostCityId: gid('City', f.cities.leipzig),
      departmentIds: [gid('Department', f.departments.leipzigMobility)],
    };
    for (const input of [exchangeInput(f), exchangeInput(f, leipzigHouston)]) {
      const data = await runOk(f.db, f.viewers.admin, RECORD_EXCHANGE, { input });
      expect(data.recordExchange.errors).toEqual([]);
    }
  });

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

  it("reads a city page's lists in as many statements for four cities as for one", async () => {
    const statementsFor = async (first: number) => {
      const before = counter.value;
      const data = await runOk(f.db, f.viewers.monitor, CITY_LISTS, { first });
      expect(data.cities.edges).toHaveLength(first);
      return counter.value - before;
    };
    const forOne = await statementsFor(1);
    const forFour = await statementsFor(4);
    // DataLoader may split one level's batch in two now and then on a pool (see
    // statement-count.test.ts); a query per city or exchange would add at least three
    expect(Math.abs(forFour - forOne)).toBeLessThanOrEqual(1);
  });

  it("counts a list of exchanges once per data version: the list's next pages reuse the count", async () => {
    const cache = new FigureCache();
    const statementsAt = async (version: number, after: string | null) => {
      const before = counter.value;
      const contextValue: Context = {
        db: f.db,
        viewer: f.viewers.monitor,
        language: 'en',
        response: { setCookies: [] },
        figures: { cache, version: { figures: version, undatedFigures: 0, figureYears: {} } },
      };
      const result = await graphql({
        schema,
        source: `query ($after: String) { exchanges(first: 1, after: $after) { totalCount pageInfo { endCursor } } }`,
        variableValues: { after },
        contextValue,
      });
      expect(result.errors).toBeUndefined();
      expect(result.data?.exchanges).toMatchObject({ totalCount: 2 });
      return counter.value - before;
    };
    const counted = await statementsAt(1, null);
    const nextPage = await statementsAt(1, Buffer.from('OffsetConnection:0').toString('base64'));
    expect(counted - nextPage).toBe(1);
    // a write since (a newer version) is counted again
    expect(await statementsAt(2, null)).toBe(counted);
  });

  it('pages exchanges after the row a cursor names, and still by offset after an older cursor', async () => {
    const PAGE = `query ($after: String) {
      exchanges(first: 1, after: $after) {
        pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node { id title } }
      }
    }`;
    const page = async (after: string | null) =>
      (await runOk(f.db, f.viewers.monitor, PAGE, { after })).exchanges;
    const text = (cursor: string) => Buffer.from(cursor, 'base64').toString('utf8');
    const cursorOf = (value: string) => Buffer.from(value).toString('base64');

    const first = await page(null);
    const [, date, id] = /^OffsetConnection:0:(\d{4}-\d{2}-\d{2}):(\d+)$/.exec(
      text(first.pageInfo.endCursor),
    ) ?? [''];
    expect(first.edges[0].cursor).toBe(first.pageInfo.endCursor);
    expect(Number(id)).toBeGreaterThan(0);
    expect(date).toBe('2025-05-12');

    const second = await page(first.pageInfo.endCursor);
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(second.edges).toHaveLength(1);
    expect(second.edges[0].node.id).not.toBe(first.edges[0].node.id);
    expect(text(second.pageInfo.endCursor)).toMatch(/^OffsetConnection:1:2025-05-12:\d+$/);
    // a cursor of the offset alone, as this list handed them out before, reads the same page
    expect((await page(cursorOf('OffsetConnection:0'))).edges).toEqual(second.edges);

    expect(await refusal(PAGE, { after: cursorOf('OffsetConnection:0:2025-02-30:1') })).toMatch(
      'after is not a cursor of this list',
    );
  });
});
