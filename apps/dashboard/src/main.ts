import { DefaultApolloClient } from '@vue/apollo-composable';
import { createApp, createSSRApp } from 'vue';
import { createWebHistory } from 'vue-router';
import App from './App.vue';
import { createApolloClient } from './apollo.ts';
import { initialLocale, syncLocale } from './composables/locale.ts';
import { provideFirstScreen, readFirstScreen, restoreFirstScreen } from './firstScreen.ts';
import { createAppI18n } from './i18n.ts';
import { createAppRouter, startFirstPage } from './router.ts';
import './styles.css';

// The server may have rendered the first screen (firstScreen.ts): then the app takes that HTML
// over with the server's answers and language, instead of asking and drawing again.
const served = readFirstScreen();
const i18n = createAppI18n(served?.locale ?? initialLocale());
const client = createApolloClient(() => i18n.global.locale.value);
if (served) restoreFirstScreen(client, served);
const router = createAppRouter(client, createWebHistory(), served !== undefined);
if (!served) startFirstPage(router, client);

// Titles, SDG names and indicator texts come from the API in the request language.
syncLocale(i18n.global.locale, () => {
  void client.resetStore();
});

const app = (served ? createSSRApp : createApp)(App)
  .provide(DefaultApolloClient, client)
  .use(i18n)
  .use(router);
provideFirstScreen(app, served !== undefined);
if (served) {
  // Hydration needs the page the server rendered: the router resolves it first.
  void router.isReady().then(() => {
    app.mount('#app');
    // A language chosen in this browser that the server did not know yet (it learns it from a
    // cookie, syncLocale) applies once the page is live.
    const chosen = initialLocale();
    if (chosen !== served.locale) i18n.global.locale.value = chosen;
  });
} else {
  app.mount('#app');
}
