import { todayInBerlin } from '@udx/indicators/status';
import type { Context, Viewer } from '../../context.ts';
import { CITY_ROLES } from '../../context.ts';

/**
 * Computed figures kept across requests (docs/architecture.md, "Caches and the data version").
 *
 * A figure depends on its scope, its period, the values that count and the day it is judged at,
 * never on who looks; and on the data, whose version every request reads first. So the cache
 * holds the figures of one data version: a request that read a newer version empties it, one
 * that read an older version (it began before a write another request has seen) neither reads
 * nor fills it. Entries are promises, so that requests asking for the same figure at once share
 * one computation. A city account's figures are computed under its row-level security, so they
 * are kept apart per city; the programme's accounts share theirs.
 */
export class FigureCache {
  #version = -1;
  readonly #entries = new Map<string, Promise<unknown>>();

  constructor(readonly maxEntries = 2_000) {}

  /**
   * The figure under `key` at data version `version`: kept, or computed by `compute` (and kept
   * unless it fails). When another request's computation it shares fails (its transaction
   * ended, its deadline passed), this request computes the figure itself.
   */
  remember<T>(version: number, key: string, compute: () => Promise<T>): Promise<T> {
    if (version < this.#version) return compute();
    if (version > this.#version) {
      this.#entries.clear();
      this.#version = version;
    }
    const kept = this.#entries.get(key) as Promise<T> | undefined;
    if (kept) {
      // most recently used last: the oldest are evicted first
      this.#entries.delete(key);
      this.#entries.set(key, kept);
      return kept.catch(compute);
    }
    const computing = compute();
    this.#entries.set(key, computing);
    computing.catch(() => {
      if (this.#entries.get(key) === computing) this.#entries.delete(key);
    });
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.maxEntries) break;
      this.#entries.delete(oldest);
    }
    return computing;
  }
}

/** Whose figures a viewer's equal: one city's accounts', or the whole programme's. */
function figureAudienceOf(viewer: Viewer | null): string {
  if (!viewer) return 'anonymous';
  return CITY_ROLES.includes(viewer.role) ? `city:${viewer.cityId}` : 'programme';
}

/**
 * A computed figure, kept for later requests of the same audience at the same data version
 * when the request has a cache (see `FigureCache`), else computed. `args` must name everything
 * the figure depends on besides the data, the audience and the day: scope, period, counted
 * statuses, granularity. `sameForEveryone` shares a figure computed past row-level security
 * (the programme's totals) between all audiences.
 */
export function cachedFigure<T>(
  context: Pick<Context, 'viewer' | 'figures'>,
  name: string,
  args: unknown,
  compute: () => Promise<T>,
  options: { sameForEveryone?: boolean } = {},
): Promise<T> {
  const figures = context.figures;
  if (!figures) return compute();
  const audience = options.sameForEveryone ? 'everyone' : figureAudienceOf(context.viewer);
  const key = JSON.stringify([audience, todayInBerlin(), name, args]);
  return figures.cache.remember(figures.version, key, compute);
}
