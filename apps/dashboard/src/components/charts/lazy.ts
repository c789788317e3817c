import { type Component, defineAsyncComponent } from 'vue';
import ChartLoading from './ChartLoading.vue';

/**
 * Wraps a chart canvas so that ECharts (several hundred KB) loads in its own chunk when a
 * chart first appears, not with the first page.
 */
export function lazyChart<T extends Component>(loader: () => Promise<{ default: T }>): T {
  return defineAsyncComponent({ loader, loadingComponent: ChartLoading, delay: 0 }) as T;
}
