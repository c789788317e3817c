import type { EChartsOption } from 'echarts';
import { FONT_FAMILY, PALETTE, TEXT_COLOUR } from './common.ts';

export interface NetworkDepartment {
  id: string;
  name: string;
  type: string;
  city: { id: string; name: string };
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
}

/**
 * A force-directed graph: departments as nodes coloured by city, the server's department links
 * (the pairs N4 counts, docs/methodology.md "The indicators") as edges weighted and labelled by
 * their exchange count. Nothing is counted here, since the browser never totals figures
 * (docs/methodology.md, "Breakdown by partnership"); so nodes are all one size.
 */
export function buildNetworkOption(input: NetworkInput) {
  const byId = new Map<string, NetworkDepartment>();
  for (const d of input.departments) byId.set(d.id, d);
  // Departments of partner cities outside the scope's own cities appear through their links.
  for (const l of input.links)
    for (const d of [l.germanDepartment, l.partnerDepartment])
      if (!byId.has(d.id)) byId.set(d.id, d);
  const departments = [...byId.values()];
  const cityNames = [...new Set(departments.map((d) => d.city.name))];
  return {
    aria: { enabled: true, label: { description: input.title } },
    color: [...PALETTE],
    textStyle: { fontFamily: FONT_FAMILY, color: TEXT_COLOUR },
    tooltip: {},
    legend: { top: 0, data: cityNames, textStyle: { color: TEXT_COLOUR } },
    series: [
      {
        type: 'graph',
        layout: 'force',
        roam: true,
        draggable: true,
        top: 40,
        force: { repulsion: 220, edgeLength: [60, 160], gravity: 0.08 },
        categories: cityNames.map((name) => ({ name })),
        symbolSize: 14,
        label: { show: true, position: 'right', color: TEXT_COLOUR, fontSize: 11 },
        edgeLabel: { show: true, formatter: '{c}', color: TEXT_COLOUR, fontSize: 10 },
        lineStyle: { color: '#6b7079', opacity: 0.8, curveness: 0.1 },
        emphasis: { focus: 'adjacency' },
        data: departments.map((d) => ({
          id: d.id,
          name: d.name,
          category: cityNames.indexOf(d.city.name),
        })),
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
