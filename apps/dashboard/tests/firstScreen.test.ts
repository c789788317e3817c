import { describe, expect, it } from 'vitest';
import { type FirstScreenOperation, prepareFirstScreen } from '../src/entry-server.ts';

// The server's side of the first screen (src/entry-server.ts) with answers given here in the
// API's place: who is signed in decides whether the overview is rendered, and an overview too
// large to render on the server is left to the browser. The whole way, with the API and a
// browser, is tested in tests/e2e/first-screen.test.ts.

const MONITOR = {
  __typename: 'User',
  id: 'VXNlcjox',
  email: 'monitor@demo.udx',
  isDemo: true,
  displayName: 'Demo monitoring',
  role: 'FOREIGN_OFFICE',
  city: null,
};

/** An executor answering the session with `me` and the overview with a map of `cities` cities. */
function answers(me: typeof MONITOR | null, cities: number) {
  const asked: string[] = [];
  const execute = async (operation: FirstScreenOperation) => {
    asked.push(operation.operationName);
    if (operation.operationName === 'Session') return { data: { me } };
    if (operation.operationName === 'Overview') {
      return {
        data: {
          dashboard: {
            __typename: 'Dashboard',
            partnershipMap: {
              __typename: 'PartnershipMap',
              cities: Array.from({ length: cities }, (_, i) => ({ id: `c${i}` })),
            },
          },
        },
      };
    }
    return { errors: [{ message: `not answered here: ${operation.operationName}` }] };
  };
  return { asked, execute };
}

describe('the first screen on the server', () => {
  it('is not prepared for a viewer who is not signed in', async () => {
    const { asked, execute } = answers(null, 10);
    expect(await prepareFirstScreen({ url: '/', locale: 'en', execute })).toBeUndefined();
    expect(asked).toEqual(['Session']);
  });

  it('is not prepared for a page other than the overview', async () => {
    const { execute } = answers(MONITOR, 10);
    const screen = await prepareFirstScreen({ url: '/methodology', locale: 'de', execute });
    expect(screen).toBeUndefined();
  });

  it('leaves an overview whose map holds more than 1,000 cities to the browser', async () => {
    const { asked, execute } = answers(MONITOR, 1_001);
    const screen = await prepareFirstScreen({ url: '/?year=2026', locale: 'en', execute });
    expect(screen?.title).toBe('Programme overview · udx');
    expect(await screen?.render()).toBeUndefined();
    expect(asked).toEqual(['Session', 'Overview']);
  });
});
