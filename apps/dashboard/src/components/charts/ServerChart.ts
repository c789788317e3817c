import type { EChartsOption } from 'echarts';
import { init } from 'echarts/core';
import { defineComponent, h, type PropType } from 'vue';

/**
 * A chart drawn on the server, for a first screen rendered there (firstScreen.ts): ECharts'
 * SVG renderer without a DOM, in the element vue-echarts renders, so that the browser's chart
 * takes its place when the page is hydrated. The server does not know the box's width: the
 * drawing is made at `width` × `height` and scales to the box (its viewBox), until the live
 * chart draws at the box's own size. Registering the chart types is the caller's (`use`).
 */
export default defineComponent({
  name: 'ServerChart',
  props: {
    option: { type: Object as PropType<EChartsOption>, required: true },
    width: { type: Number, required: true },
    height: { type: Number, required: true },
  },
  setup(props) {
    return () => {
      const chart = init(null, null, {
        renderer: 'svg',
        ssr: true,
        width: props.width,
        height: props.height,
      });
      chart.setOption({ ...props.option, animation: false });
      const svg = chart
        .renderToSVGString()
        .replace(/^<svg width="[\d.]+" height="[\d.]+"/, '<svg width="100%" height="100%"');
      chart.dispose();
      // vue-echarts' element with its empty host, and the drawing laid over the host. Taking the
      // page over, the browser keeps the element and host, where the live chart draws, and drops
      // the drawing, which it does not render: a mismatch expected, not reported.
      return h('x-vue-echarts', { class: 'echarts', 'data-allow-mismatch': 'children' }, [
        h('div', { class: 'echarts-host' }),
        h('div', { class: 'server-chart', innerHTML: svg }),
      ]);
    };
  },
});
