import type { EChartsOption } from 'echarts';
import { FONT_FAMILY, PALETTE, TEXT_COLOUR } from './common.ts';

export interface NetworkDepartment {
  id: string;
  name: string;
  type: string;
  city: { id: string; name: string };
}

export interface NetworkExchange {
  id: string;
  departments: readonly NetworkDepartment[];
}

export interface DepartmentLink {
  source: NetworkDepartment;
  target: NetworkDepartment;
  /** Exchanges both departments took part in. */
  exchanges: number;
  /** True when the two departments belong to different cities. */
  crossCity: boolean;
}

/** Distinct pairs of departments that took part in the same exchange, most frequent first. */
export function departmentLinks(exchanges: readonly NetworkExchange[]): DepartmentLink[] {
  const links = new Map<string, DepartmentLink>();
  for (const exchange of exchanges) {
    const unique = [...new Map(exchange.departments.map((d) => [d.id, d])).values()].sort((a, b) =>
      a.id.localeCompare(b.id),
    );
    for (let i = 0; i < unique.length; i += 1) {
      for (let j = i + 1; j < unique.length; j += 1) {
        const source = unique[i] as NetworkDepartment;
        const target = unique[j] as NetworkDepartment;
        const key = `${source.id}|${target.id}`;
        const link = links.get(key);
        if (link) link.exchanges += 1;
        else
          links.set(key, {
            source,
            target,
            exchanges: 1,
            crossCity: source.city.id !== target.city.id,
          });
      }
    }
  }
  return [...links.values()].sort(
    (a, b) => b.exchanges - a.exchanges || a.source.name.localeCompare(b.source.name),
  );
}

export interface NetworkInput {
  /** All departments to show, including those without links. */
  departments: readonly NetworkDepartment[];
  exchanges: readonly NetworkExchange[];
  title: string;
}

/** A force-directed graph: departments as nodes coloured by city, shared exchanges as edges. */
export function buildNetworkOption(input: NetworkInput) {
  const byId = new Map<string, NetworkDepartment>();
  for (const d of input.departments) byId.set(d.id, d);
  for (const e of input.exchanges)
    for (const d of e.departments) if (!byId.has(d.id)) byId.set(d.id, d);
  const departments = [...byId.values()];
  const cityNames = [...new Set(departments.map((d) => d.city.name))];
  const taking = new Map<string, number>();
  for (const e of input.exchanges) {
    for (const id of new Set(e.departments.map((d) => d.id)))
      taking.set(id, (taking.get(id) ?? 0) + 1);
  }
  const links = departmentLinks(input.exchanges);
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
        label: { show: true, position: 'right', color: TEXT_COLOUR, fontSize: 11 },
        lineStyle: { color: '#6b7079', opacity: 0.8, curveness: 0.1 },
        emphasis: { focus: 'adjacency' },
        data: departments.map((d) => ({
          id: d.id,
          name: d.name,
          category: cityNames.indexOf(d.city.name),
          symbolSize: 10 + 6 * Math.sqrt(taking.get(d.id) ?? 0),
          value: taking.get(d.id) ?? 0,
        })),
        links: links.map((l) => ({
          source: l.source.id,
          target: l.target.id,
          value: l.exchanges,
          lineStyle: {
            width: Math.min(1 + l.exchanges, 6),
            type: l.crossCity ? 'solid' : 'dashed',
          },
        })),
      },
    ],
  } satisfies EChartsOption;
}
