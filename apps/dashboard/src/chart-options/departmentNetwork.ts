import type { EChartsOption } from 'echarts';
import { FONT_FAMILY, PALETTE, TEXT_COLOUR } from './common.ts';

export interface NetworkDepartment {
  id: string;
  name: string;
  type: string;
  city: { id: string; name: string; countryCode?: string };
}

/** A department link as the server gives it (`Dashboard.departmentLinks`, what N4 counts). */
export interface NetworkLink {
  germanDepartment: NetworkDepartment;
  partnerDepartment: NetworkDepartment;
  /** Exchanges of the period both departments took part in, counted by the server. */
  exchangeCount: number;
}

export interface NetworkInput {
  /** The departments of the scope's cities, shown even without links. */
  departments: readonly NetworkDepartment[];
  /** The server's links, in its order (most exchanges first). */
  links: readonly NetworkLink[];
  title: string;
  /** A phone's width: narrower columns for the names, which are cut shorter. */
  narrow?: boolean;
}

/** Vertical room per department, in pixels: a name of 11 px with space around it. */
const ROW_HEIGHT = 26;
/** Room above the first and below the last department (the legend sits above). */
const MARGIN_TOP = 56;
const MARGIN_BOTTOM = 24;

/**
 * The departments in two columns, German cities' on the left and partner cities' on the right,
 * each column grouped by city in order of appearance. A department is on the side its links put
 * it; one without links by its city's country.
 */
export function networkColumns(input: Pick<NetworkInput, 'departments' | 'links'>): {
  german: NetworkDepartment[];
  partner: NetworkDepartment[];
} {
  const side = new Map<string, 'german' | 'partner'>();
  const byId = new Map<string, NetworkDepartment>();
  for (const d of input.departments) byId.set(d.id, d);
  // Departments of partner cities outside the scope's own cities appear through their links.
  for (const l of input.links) {
    for (const [d, s] of [
      [l.germanDepartment, 'german'],
      [l.partnerDepartment, 'partner'],
    ] as const) {
      if (!byId.has(d.id)) byId.set(d.id, d);
      side.set(d.id, s);
    }
  }
  const departments = [...byId.values()];
  const cityOrder = [...new Set(departments.map((d) => d.city.id))];
  const sorted = [...departments].sort(
    (a, b) => cityOrder.indexOf(a.city.id) - cityOrder.indexOf(b.city.id),
  );
  const sideOf = (d: NetworkDepartment) =>
    side.get(d.id) ?? (d.city.countryCode === 'DE' ? 'german' : 'partner');
  return {
    german: sorted.filter((d) => sideOf(d) === 'german'),
    partner: sorted.filter((d) => sideOf(d) === 'partner'),
  };
}

/** The height the chart needs so that every department has a row of its own. */
export function networkHeight(input: Pick<NetworkInput, 'departments' | 'links'>): number {
  const { german, partner } = networkColumns(input);
  const rows = Math.max(german.length, partner.length, 1);
  return Math.max(240, MARGIN_TOP + MARGIN_BOTTOM + rows * ROW_HEIGHT);
}

/**
 * The department links as a two-column graph: the German city's departments on the left, the
 * partner cities' on the right, each named on its outer side, and a line for each of the
 * server's department links (the pairs N4 counts, docs/methodology.md "The indicators"),
 * thicker for more shared exchanges. Every department has a row of its own, so no name is drawn
 * over another at any width; the table below the chart gives each link's exchange count. Nothing
 * is counted here, since the browser never totals figures (docs/methodology.md, "Breakdown by
 * partnership"); so nodes are all one size.
 */
export function buildNetworkOption(input: NetworkInput) {
  const { german, partner } = networkColumns(input);
  const departments = [...german, ...partner];
  const cityNames = [...new Set(departments.map((d) => d.city.name))];
  const narrow = input.narrow ?? false;
  // Room for the names beside the columns; a name longer than its room is cut with an ellipsis.
  const nameRoom = narrow ? 118 : 210;
  // Each column centred on the same middle, a row apart.
  const place = (column: readonly NetworkDepartment[], x: number, position: 'left' | 'right') =>
    column.map((d, i) => ({
      id: d.id,
      name: d.name,
      category: cityNames.indexOf(d.city.name),
      x,
      y: i - (column.length - 1) / 2,
      label: { position },
    }));
  return {
    aria: { enabled: true, label: { description: input.title } },
    color: [...PALETTE],
    textStyle: { fontFamily: FONT_FAMILY, color: TEXT_COLOUR },
    tooltip: {},
    legend: {
      top: 0,
      type: narrow ? 'scroll' : 'plain',
      data: cityNames,
      textStyle: { color: TEXT_COLOUR },
    },
    series: [
      {
        type: 'graph',
        layout: 'none',
        left: nameRoom,
        right: nameRoom,
        top: MARGIN_TOP,
        bottom: MARGIN_BOTTOM,
        // The rows' spacing is fixed by the chart's height (networkHeight), not by zooming.
        roam: false,
        categories: cityNames.map((name) => ({ name })),
        symbolSize: 14,
        label: {
          show: true,
          color: TEXT_COLOUR,
          fontSize: 11,
          width: nameRoom - 12,
          overflow: 'truncate',
        },
        // Gently curved: a straight line between two departments on the same row is not drawn
        // right by the SVG renderer when scaled.
        lineStyle: { color: '#6b7079', opacity: 0.8, curveness: 0.1 },
        emphasis: { focus: 'adjacency' },
        data: [...place(german, 0, 'left'), ...place(partner, 1, 'right')],
        links: input.links.map((l) => ({
          source: l.germanDepartment.id,
          target: l.partnerDepartment.id,
          value: l.exchangeCount,
          lineStyle: { width: Math.min(1 + l.exchangeCount, 6) },
        })),
      },
    ],
  } satisfies EChartsOption;
}
