import { ApolloLink, type FetchResult, Observable } from '@apollo/client/core';
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
  /** Renders the page: the app's HTML for `#app`, and the state the browser takes it over with. */
  render(): Promise<{ html: string; state: FirstScreenState }>;
}

/** The pages rendered on the server: the overview, the page a signed-in user opens first. */
const RENDERED_PAGES = new Set(['overview']);

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
  const inProcess = new ApolloLink(
    (operation) =>
      new Observable<FetchResult>((observer) => {
        request
          .execute({
            query: print(operation.query),
            operationName: operation.operationName,
            variables: operation.variables,
          })
          .then(
            (result) => {
              if (operation.operationName === 'Overview' && result.data && !result.errors) {
                overview = {
                  variables: operation.variables as OverviewQueryVariables,
                  data: result.data as OverviewQuery,
                };
              }
              observer.next(result);
              observer.complete();
            },
            (error: unknown) => observer.error(error),
          );
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
    render: async () => ({
      html: await renderToString(app),
      state: { locale: request.locale, cache: client.extract(), overview },
    }),
  };
}
