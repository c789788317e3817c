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
/**
 * Drawings made lately, by option and size: a drawing depends on nothing else, and the same
 * figures are drawn for every page until the data changes (ECharts takes about 30 ms a page for
 * the overview's two charts). The key is the option as JSON; an option holding a function (a
 * formatter, which JSON would drop) is drawn afresh every time.
 */
const drawings = new Map<string, string>();
const MAX_DRAWINGS = 32;

function keyOf(option: EChartsOption, width: number, height: number): string | undefined {
  let pure = true;
  const key = JSON.stringify([option, width, height], (_name, value: unknown) => {
    if (typeof value === 'function') pure = false;
    return value;
  });
  return pure ? key : undefined;
}

function draw(option: EChartsOption, width: number, height: number): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ ...option, animation: false });
  const svg = chart
    .renderToSVGString()
    .replace(/^<svg width="[\d.]+" height="[\d.]+"/, '<svg width="100%" height="100%"');
  chart.dispose();
  return svg;
}

export default defineComponent({
  name: 'ServerChart',
  props: {
    option: { type: Object as PropType<EChartsOption>, required: true },
    width: { type: Number, required: true },
    height: { type: Number, required: true },
  },
  setup(props) {
    return () => {
      const key = keyOf(props.option, props.width, props.height);
      let svg = key === undefined ? undefined : drawings.get(key);
      if (svg === undefined) {
        svg = draw(props.option, props.width, props.height);
        if (key !== undefined) {
          if (drawings.size >= MAX_DRAWINGS)
            drawings.delete(drawings.keys().next().value as string);
          drawings.set(key, svg);
        }
      }
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
