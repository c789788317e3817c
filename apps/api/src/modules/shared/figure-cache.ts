import { todayInBerlin } from '@udx/indicators/status';
import type { DataVersion } from '../../auth/session-cache.ts';
import type { Context, Viewer } from '../../context.ts';
import { CITY_ROLES } from '../../context.ts';

/** The versions of the figures' data a request read at its start. */
export type FigureVersions = Pick<DataVersion, 'figures' | 'undatedFigures' | 'figureYears'>;

/**
 * What of the data a figure reads, so that only the writes that reach it make it stale:
 * - `'all'`: anything (the default);
 * - `'undated'`: undated records alone: cities, partnerships, departments, the catalogues;
 * - `{ first, last }`: the records dated within those years and every undated one, as a figure
 *   over a period from a day of `first` to a day of `last` does.
 */
export type FigureReads = 'all' | 'undated' | { first: number; last: number };

/**
 * Beyond this many years a period counts as reading everything: one stamp of a few numbers
 * instead of hundreds of them for a period from year 1 to 9999.
 */
const MOST_YEARS = 50;

/** What a figure over the period `from`–`to` reads: its years, or all for an open period. */
export function readsOfPeriod(period: {
  from?: string | null | undefined;
  to?: string | null | undefined;
}): FigureReads {
  if (!period.from || !period.to) return 'all';
  const first = Number(period.from.slice(0, 4));
  const last = Number(period.to.slice(0, 4));
  const years = last - first;
  return Number.isInteger(first) && Number.isInteger(last) && years >= 0 && years < MOST_YEARS
    ? { first, last }
    : 'all';
}

/** The versions a figure that reads `reads` was computed at: equal stamps, equal figures. */
function stampOf(versions: FigureVersions, reads: FigureReads): string {
  if (reads === 'all') return `all ${versions.figures}`;
  const parts = [versions.undatedFigures];
  if (reads !== 'undated') {
    for (let year = reads.first; year <= reads.last; year++) {
      parts.push(versions.figureYears[year] ?? 0);
    }
  }
  return parts.join(' ');
}

interface KeptFigure {
  value: Promise<unknown>;
  reads: FigureReads;
  stamp: string;
}

/**
 * Computed figures kept across requests (docs/architecture.md, "Caches and the data version").
 *
 * A figure depends on its scope, its period, the values that count and the day it is judged at,
 * never on who looks; and on the data, whose versions every request reads first. The cache
 * holds the figures of the newest versions it has seen. A request that read newer versions
 * drops the figures whose data changed: those that read everything, and those that read the
 * years or the undated records a write reached (`FigureReads`); the overview of last year stays
 * when an exchange of this year is recorded. A request that read older versions (it began
 * before a write another request has seen) neither reads nor fills the cache. Entries are
 * promises, so that requests asking for the same figure at once share one computation. A city
 * account's figures are computed under its row-level security, so they are kept apart per
 * city; the programme's accounts share theirs.
 */
export class FigureCache {
  #versions: FigureVersions = { figures: -1, undatedFigures: -1, figureYears: {} };
  readonly #entries = new Map<string, KeptFigure>();

  constructor(readonly maxEntries = 2_000) {}

  /**
   * The figure under `key` at `versions`: kept, or computed by `compute` (and kept unless it
   * fails). `reads` says what of the data it reads. When another request's computation it
   * shares fails (its transaction ended, its deadline passed), this request computes the figure
   * itself.
   */
  remember<T>(
    versions: FigureVersions,
    key: string,
    compute: () => Promise<T>,
    reads: FigureReads = 'all',
  ): Promise<T> {
    if (versions.figures < this.#versions.figures) return compute();
    if (versions.figures > this.#versions.figures) this.#dropStale(versions);
    const kept = this.#entries.get(key);
    if (kept) {
      // most recently used last: the oldest are evicted first
      this.#entries.delete(key);
      this.#entries.set(key, kept);
      return (kept.value as Promise<T>).catch(compute);
    }
    const computing = compute();
    this.#entries.set(key, { value: computing, reads, stamp: stampOf(versions, reads) });
    computing.catch(() => {
      if (this.#entries.get(key)?.value === computing) this.#entries.delete(key);
    });
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.maxEntries) break;
      this.#entries.delete(oldest);
    }
    return computing;
  }

  /** Takes newer versions: drops every figure whose data they say changed. */
  #dropStale(versions: FigureVersions): void {
    this.#versions = versions;
    for (const [key, entry] of this.#entries) {
      if (stampOf(versions, entry.reads) !== entry.stamp) this.#entries.delete(key);
    }
  }
}

/** Whose figures a viewer's equal: one city's accounts', or the whole programme's. */
function figureAudienceOf(viewer: Viewer | null): string {
  if (!viewer) return 'anonymous';
  return CITY_ROLES.includes(viewer.role) ? `city:${viewer.cityId}` : 'programme';
}

/**
 * A computed figure, kept for later requests of the same audience while its data is unchanged
 * when the request has a cache (see `FigureCache`), else computed. `args` must name everything
 * the figure depends on besides the data, the audience and the day: scope, period, counted
 * statuses, granularity. `reads` says what of the data it reads (all of it unless told):
 * `readsOfPeriod(scope)` for a figure over a scope's period. `sameForEveryone` shares a figure
 * computed past row-level security (the programme's totals) between all audiences.
 */
export function cachedFigure<T>(
  context: Pick<Context, 'viewer' | 'figures'>,
  name: string,
  args: unknown,
  compute: () => Promise<T>,
  options: { sameForEveryone?: boolean; reads?: FigureReads } = {},
): Promise<T> {
  const figures = context.figures;
  if (!figures) return compute();
  const audience = options.sameForEveryone ? 'everyone' : figureAudienceOf(context.viewer);
  const key = JSON.stringify([audience, todayInBerlin(), name, args]);
  return figures.cache.remember(figures.version, key, compute, options.reads);
}
