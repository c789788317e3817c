import type { ApolloClient, NormalizedCacheObject } from '@apollo/client/core';
import { type App, type InjectionKey, inject } from 'vue';
import type { AppLocale } from './composables/locale.ts';
import type { OverviewQuery, OverviewQueryVariables } from './gql/graphql.ts';
import { OverviewDocument } from './pages/overviewQuery.ts';

/**
 * The first screen rendered on the server (docs/architecture.md, "The first screen"): the API
 * renders the overview's HTML for a signed-in browser, with its figures and its charts drawn as
 * SVG, and the browser's app takes that HTML over (hydrates it) instead of drawing the page
 * again. This module is what the two sides share.
 */

/** The id of the `<script type="application/json">` that carries the server's state. */
export const FIRST_SCREEN_STATE_ID = 'udx-first-screen';

/** What the browser needs to take the server's HTML over as it is. */
export interface FirstScreenState {
  /** The language the server rendered in. */
  locale: AppLocale;
  /** Apollo's cache as the server left it: the session. */
  cache: NormalizedCacheObject;
  /**
   * The overview's answer, as the server got it. The page keeps it out of Apollo's cache
   * (OverviewPage.vue); writing it there and reading it back on the server would cost a third of
   * the page's rendering, while the browser does it once as it starts.
   */
  overview?: { variables: OverviewQueryVariables; data: OverviewQuery };
}

/**
 * Puts the server's answers where the first page finds them as it takes the server's HTML over:
 * the session in the cache as the server left it, the overview's answer written into it.
 */
export function restoreFirstScreen(client: ApolloClient<unknown>, state: FirstScreenState): void {
  client.restore(state.cache);
  if (state.overview) client.writeQuery({ query: OverviewDocument, ...state.overview });
}

const FIRST_SCREEN: InjectionKey<{ pending: boolean }> = Symbol('first screen');

/** Marks the app as one whose first page comes from the server (rendered there or hydrated). */
export function provideFirstScreen(app: App, fromServer: boolean): void {
  app.provide(FIRST_SCREEN, { pending: fromServer });
}

/**
 * True for the first page of an app whose first screen comes from the server, once: in the
 * browser that page reads its answer from the cache `restoreFirstScreen` filled, so that it
 * renders with its data at once, as the server did. Later pages and visits ask the network.
 */
export function takeFirstScreen(): boolean {
  const mark = inject(FIRST_SCREEN, undefined);
  if (!mark?.pending) return false;
  mark.pending = false;
  return true;
}

/** The server's state in the page, or undefined when the server sent the page without it. */
export function readFirstScreen(): FirstScreenState | undefined {
  const element = document.getElementById(FIRST_SCREEN_STATE_ID);
  if (!element?.textContent) return undefined;
  try {
    return JSON.parse(element.textContent) as FirstScreenState;
  } catch {
    return undefined;
  }
}
