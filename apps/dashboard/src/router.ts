import type { ApolloClient } from '@apollo/client/core';
import {
  createRouter,
  loadRouteLocation,
  type RouteLocation,
  type RouteLocationNormalized,
  type RouteRecordRaw,
  type RouterHistory,
} from 'vue-router';
import { prefetchOverviewCharts } from './components/charts/loaders.ts';
import {
  canEnterData,
  canReview,
  fetchSession,
  landingPath,
  type SessionUser,
} from './composables/session.ts';
import { prefetchOverview } from './pages/overviewQuery.ts';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean;
    /** i18n key of the page title (the page may refine it). */
    titleKey?: string;
    /** Who may open the page beyond being signed in. */
    requires?: 'entry' | 'review';
    /** Starts loading the files the page will need beyond its own chunk (its charts'). */
    preload?: () => void;
    /**
     * Starts the page's data: while the session is checked (`user` null) and again once it is
     * known.
     */
    prefetch?: (
      client: ApolloClient<unknown>,
      to: RouteLocation | RouteLocationNormalized,
      user: SessionUser | null,
    ) => void;
  }
}

// Pages are separate chunks so the first screen loads only what it shows.
const routes: RouteRecordRaw[] = [
  {
    path: '/sign-in',
    name: 'sign-in',
    component: () => import('./pages/SignInPage.vue'),
    meta: { public: true, titleKey: 'signIn.title' },
  },
  {
    path: '/',
    name: 'overview',
    component: () => import('./pages/OverviewPage.vue'),
    meta: {
      titleKey: 'overview.title',
      preload: prefetchOverviewCharts,
      prefetch: (client, to, user) => prefetchOverview(client, to.query, user),
    },
  },
  {
    path: '/goals/:goal',
    name: 'goal',
    component: () => import('./pages/GoalPage.vue'),
    props: true,
    meta: { titleKey: 'overview.goals' },
  },
  {
    path: '/sdgs/:number',
    name: 'sdg',
    component: () => import('./pages/SdgPage.vue'),
    props: true,
    meta: { titleKey: 'overview.sdgs' },
  },
  {
    path: '/partnerships/:id',
    name: 'partnership',
    component: () => import('./pages/PartnershipPage.vue'),
    props: true,
    meta: { titleKey: 'city.partnerships' },
  },
  {
    path: '/cities/:id',
    name: 'city',
    component: () => import('./pages/CityPage.vue'),
    props: true,
    meta: { titleKey: 'filters.city' },
  },
  {
    path: '/indicators/:code',
    name: 'indicator',
    component: () => import('./pages/IndicatorPage.vue'),
    props: true,
    meta: { titleKey: 'indicator.name' },
  },
  {
    path: '/exchanges/:id',
    name: 'exchange',
    component: () => import('./pages/ExchangePage.vue'),
    props: true,
    meta: { titleKey: 'exchangePage.title' },
  },
  {
    // The exchange form, filled in with the exchange; the API decides whether it may be changed.
    path: '/exchanges/:id/edit',
    name: 'edit-exchange',
    component: () => import('./pages/entry/RecordExchangePage.vue'),
    props: true,
    meta: { titleKey: 'exchangePage.editTitle', requires: 'entry' },
  },
  {
    // The outcome form, filled in with the outcome; the API decides whether it may be changed.
    path: '/outcomes/:id/edit',
    name: 'edit-outcome',
    component: () => import('./pages/entry/RecordOutcomePage.vue'),
    props: true,
    meta: { titleKey: 'exchangePage.editOutcomeTitle', requires: 'entry' },
  },
  {
    path: '/entry/exchange',
    name: 'record-exchange',
    component: () => import('./pages/entry/RecordExchangePage.vue'),
    meta: { titleKey: 'entry.exchangeTitle', requires: 'entry' },
  },
  {
    path: '/entry/outcome',
    name: 'record-outcome',
    component: () => import('./pages/entry/RecordOutcomePage.vue'),
    meta: { titleKey: 'entry.outcomeTitle', requires: 'entry' },
  },
  {
    path: '/entry/values',
    name: 'report-values',
    component: () => import('./pages/entry/ReportValuesPage.vue'),
    meta: { titleKey: 'entry.valuesTitle', requires: 'entry' },
  },
  {
    // reported values from a CSV or XLSX file; city editors and SKEW administration, as the form
    path: '/import',
    name: 'import-values',
    component: () => import('./pages/entry/ImportValuesPage.vue'),
    meta: { titleKey: 'import.title', requires: 'entry' },
  },
  {
    path: '/entry/submissions',
    name: 'my-submissions',
    component: () => import('./pages/entry/MySubmissionsPage.vue'),
    meta: { titleKey: 'submissions.title', requires: 'entry' },
  },
  {
    path: '/review',
    name: 'review',
    component: () => import('./pages/entry/ReviewQueuePage.vue'),
    meta: { titleKey: 'review.title', requires: 'review' },
  },
  {
    // The dashboard's figures for the filters in the address, laid out to print (report.css).
    path: '/report',
    name: 'report',
    component: () => import('./pages/ReportPage.vue'),
    meta: { titleKey: 'report.title' },
  },
  {
    // How the figures are computed: the project's published methodology, open to everyone.
    path: '/methodology',
    name: 'methodology',
    component: () => import('./pages/MethodologyPage.vue'),
    meta: { public: true, titleKey: 'methodology.title' },
  },
  // The public pages: the programme's approved figures without an account, where the server
  // publishes them (README, "Open data and public figures").
  {
    path: '/public',
    name: 'public-overview',
    component: () => import('./pages/public/PublicOverviewPage.vue'),
    meta: { public: true, titleKey: 'public.title' },
  },
  {
    path: '/public/goals/:goal',
    name: 'public-goal',
    component: () => import('./pages/public/PublicGoalPage.vue'),
    props: true,
    meta: { public: true, titleKey: 'overview.goals' },
  },
  {
    path: '/public/sdgs/:number',
    name: 'public-sdg',
    component: () => import('./pages/public/PublicSdgPage.vue'),
    props: true,
    meta: { public: true, titleKey: 'overview.sdgs' },
  },
  {
    path: '/public/partnerships/:id',
    name: 'public-partnership',
    component: () => import('./pages/public/PublicPartnershipPage.vue'),
    props: true,
    meta: { public: true, titleKey: 'city.partnerships' },
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('./pages/NotFoundPage.vue'),
    meta: { public: true, titleKey: 'app.notFound' },
  },
];

/**
 * Starts what a signed-in page needs before its session is known: its chunk and files
 * (`preload`), and its data where it says how (`prefetch`) unless the server sent it with the
 * page (`answered`). The router waits for the same import later and reports its failure, if
 * any; a page's query sent twice within moments goes out once (overviewQuery.ts).
 */
function startPage(
  client: ApolloClient<unknown>,
  to: RouteLocation | RouteLocationNormalized,
  answered = false,
): void {
  loadRouteLocation(to).catch(() => {});
  to.meta.preload?.();
  if (!answered) to.meta.prefetch?.(client, to, null);
}

/**
 * Starts the first page's chunk and data as the app starts, before it is drawn: the router's
 * first navigation, and with it `beforeEach`, runs only after the app's first drawing, so the
 * page's query would wait for the header and the menu to be made.
 */
export function startFirstPage(
  router: ReturnType<typeof createAppRouter>,
  client: ApolloClient<unknown>,
): void {
  const { pathname, search, hash } = window.location;
  const to = router.resolve(`${pathname}${search}${hash}`);
  if (!to.meta.public) startPage(client, to);
}

/**
 * The router; pages other than sign-in need a session, data entry and review a fitting role.
 * `firstScreenFromServer`: the first page comes with its answers from the server (rendered there,
 * or hydrated in the browser), so its first entry starts no query of its own.
 */
export function createAppRouter(
  client: ApolloClient<unknown>,
  history: RouterHistory,
  firstScreenFromServer = false,
) {
  let answered = firstScreenFromServer;
  const router = createRouter({
    history,
    routes,
    // A link to a section (`/methodology#u1`) opens at that section.
    scrollBehavior: (to, _from, saved) =>
      saved ?? (to.hash ? { el: to.hash, top: 16 } : { top: 0 }),
  });
  router.beforeEach(async (to) => {
    if (to.meta.public) return true;
    const served = answered;
    answered = false;
    startPage(client, to, served);
    const user = await fetchSession(client);
    if (!user)
      return { name: 'sign-in', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    if (to.meta.requires === 'entry' && !canEnterData(user.role)) return landingPath(user);
    if (to.meta.requires === 'review' && !canReview(user.role)) return landingPath(user);
    if (!served) to.meta.prefetch?.(client, to, user);
    return true;
  });
  return router;
}
