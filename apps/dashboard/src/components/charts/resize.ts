import { onBeforeUnmount, onMounted, type ShallowRef } from 'vue';
import type VChart from 'vue-echarts';

/** How long a change of size settles before the chart is drawn again (as vue-echarts' own). */
const SETTLE_MS = 100;

/**
 * Draws a chart again when its box changes by a whole pixel, in place of vue-echarts'
 * `autoresize`. That one compares the observed box, fractional where the box keeps an aspect
 * ratio (the partnership map's), with ECharts' whole-pixel size, so it drew such a chart a second
 * time right after the first for nothing; the map is the dearest chart to draw.
 */
export function useChartResize(view: Readonly<ShallowRef<InstanceType<typeof VChart> | null>>) {
  let observer: ResizeObserver | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fit = () => {
    timer = undefined;
    const chart = view.value?.chart;
    if (!chart || chart.isDisposed()) return;
    const box = chart.getDom();
    if (box.clientWidth === 0 || box.clientHeight === 0) return;
    if (box.clientWidth !== chart.getWidth() || box.clientHeight !== chart.getHeight())
      chart.resize();
  };
  onMounted(() => {
    const root = view.value?.root;
    if (!root) return;
    observer = new ResizeObserver(() => {
      timer ??= setTimeout(fit, SETTLE_MS);
    });
    observer.observe(root);
  });
  onBeforeUnmount(() => {
    observer?.disconnect();
    if (timer !== undefined) clearTimeout(timer);
  });
}
