import { DefaultApolloClient } from '@vue/apollo-composable';
import { createApp } from 'vue';
import App from './App.vue';
import { createApolloClient } from './apollo.ts';
import { initialLocale, syncLocale } from './composables/locale.ts';
import { createAppI18n } from './i18n.ts';
import { createAppRouter, startFirstPage } from './router.ts';
import './styles.css';

const i18n = createAppI18n(initialLocale());
const client = createApolloClient(() => i18n.global.locale.value);
const router = createAppRouter(client);
startFirstPage(router, client);

// Titles, SDG names and indicator texts come from the API in the request language.
syncLocale(i18n.global.locale, () => {
  void client.resetStore();
});

createApp(App).provide(DefaultApolloClient, client).use(i18n).use(router).mount('#app');
