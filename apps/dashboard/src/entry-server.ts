import { ApolloLink, type FetchResult, Observable, type Operation } from '@apollo/client/core';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { print } from 'graphql';
import { createSSRApp } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { createMemoryHistory } from 'vue-router';
import App from './App.vue';
import { createApolloClient } from './apollo.ts';
import type { AppLocale } from './composables/locale.ts';
import { documentTitle } from './composables/pageTitle.ts';
import { type FirstScreenState, provideFirstScreen } from './firstScreen.ts';
import type { OverviewQuery, OverviewQueryVariables } from './gql/graphql.ts';
import { createAppI18n } from './i18n.ts';
import { createAppRouter } from './router.ts';

export { localeOfRequest } from './composables/locale.ts';
export { FIRST_SCREEN_STATE_ID } from './firstScreen.ts';

/** One GraphQL operation as the dashboard sends it, run by the API for the viewer at hand. */
export interface FirstScreenOperation {
  query: string;
  operationName: string;
  variables: Record<string, unknown>;
}

export interface FirstScreenRequest {
  /** The page's path and query, e.g. `/?from=2026-01-01&to=2026-12-31`. */
  url: string;
  locale: AppLocale;
  /** Runs an operation as the request's viewer, in the request's language. */
  execute: (operation: FirstScreenOperation) => Promise<FetchResult>;
}

/** A first screen whose page and viewer are known, to be rendered. */
export interface PreparedFirstScreen {
  /** The document title of the page. */
  title: string;
  /**
   * Renders the page: the app's HTML for `#app`, and the state the browser takes it over with;
   * undefined for a page too large to render here (`MAX_MAP_CITIES`).
   */
  render(): Promise<{ html: string; state: FirstScreenState } | undefined>;
}

/** The pages rendered on the server: the overview, the page a signed-in user opens first. */
const RENDERED_PAGES = new Set(['overview']);

/**
 * The most cities on the overview's map for which the server renders the page. The page grows
 * with them (the map, the filter bar's places, the answer it carries): at national scale (10,000
 * cities) it took 0.6–0.9 s of the server's one thread for every page, against about 0.15 s for
 * the programme as it is (README, "The overview's first screen, rendered on the server"). Above
 * this the browser draws the page, as it did before.
 */
const MAX_MAP_CITIES = 1_000;

/** Cities on the map of an overview's answer. */
function mapCities(data: unknown): number {
  const answer = data as { dashboard?: { partnershipMap?: { cities?: unknown[] } } } | undefined;
  return answer?.dashboard?.partnershipMap?.cities?.length ?? 0;
}

/**
 * Prepares the dashboard's first screen for a request, with the same components, router, texts
 * and queries as the browser (firstScreen.ts): the page is resolved and the viewer's session
 * read. Undefined where the page is not one rendered here or the viewer may not open it (signed
 * out: the browser's app sends them to sign in). The server sends the page's head while the
 * page renders.
 */
export async function prepareFirstScreen(
  request: FirstScreenRequest,
): Promise<PreparedFirstScreen | undefined> {
  const i18n = createAppI18n(request.locale);
  let overview: FirstScreenState['overview'];
  let tooLarge = false;
  // One answer per operation and variables in a page: on the server the page's components ask
  // again for what the router has read already (the session).
  const answers = new Map<string, Promise<FetchResult>>();
  const answer = (operation: Operation): Promise<FetchResult> => {
    const key = JSON.stringify([operation.operationName, operation.variables]);
    let answered = answers.get(key);
    if (!answered) {
      answered = request
        .execute({
          query: print(operation.query),
          operationName: operation.operationName,
          variables: operation.variables,
        })
        .then((result) => {
          if (operation.operationName !== 'Overview') return result;
          if (mapCities(result.data) > MAX_MAP_CITIES) {
            // The page goes on without its answer, cheaply, and is not sent.
            tooLarge = true;
            return { data: null };
          }
          if (result.data && !result.errors) {
            overview = {
              variables: operation.variables as OverviewQueryVariables,
              data: result.data as OverviewQuery,
            };
          }
          return result;
        });
      answers.set(key, answered);
    }
    return answered;
  };
  // A failure is an answer with an error, never a network error: on the server that would be a
  // rejection nobody waits for. The API sends the page without its first screen then.
  const inProcess = new ApolloLink(
    (operation) =>
      new Observable<FetchResult>((observer) => {
        answer(operation)
          .catch((error: unknown) => ({ errors: [{ message: String(error) }] }))
          .then((result) => {
            observer.next(result);
            observer.complete();
          });
      }),
  );
  const client = createApolloClient(() => request.locale, inProcess);
  const router = createAppRouter(client, createMemoryHistory(), true);
  const app = createSSRApp(App).provide(DefaultApolloClient, client).use(i18n).use(router);
  provideFirstScreen(app, true);
  await router.push(request.url);
  await router.isReady();
  const route = router.currentRoute.value;
  if (typeof route.name !== 'string' || !RENDERED_PAGES.has(route.name)) return undefined;
  const { t } = i18n.global;
  const key = route.meta.titleKey;
  return {
    title: documentTitle(key ? t(key) : '', t('app.name')),
    render: async () => {
      const html = await renderToString(app);
      if (tooLarge) return undefined;
      return { html, state: { locale: request.locale, cache: client.extract(), overview } };
    },
  };
}
