import type { Viewer } from '../context.ts';
import { SESSION_TOUCH_SECONDS } from './session.ts';

/**
 * What the start of every request reads in the same statement that sets its viewer
 * (`setViewerSettings`): the data version (migration `20261201_1500_data_version`) and the
 * database's clock, which judges sessions as `findLiveSession` does.
 */
export interface DataVersion {
  /** Raised by every statement that writes a table figures are computed from. */
  figures: number;
  /**
   * Raised with `figures` by every statement that writes a figure table whose records are not
   * dated (migration `20261202_0900_figure_years`).
   */
  undatedFigures: number;
  /** Per year, raised by every statement that writes a dated record of that year; absent: 0. */
  figureYears: Readonly<Record<string, number>>;
  /** Raised by every statement that changes an account or ends a session. */
  accounts: number;
  /** The transaction's `now()`, in milliseconds since 1970. */
  now: number;
}

/** A session found live by `findLiveSession`, with what later requests need to trust it. */
export interface CheckedSession {
  viewer: Viewer;
  /** The accounts version it was found live at. */
  accounts: number;
  /** When it ends whatever happens, in milliseconds since 1970 (the database's clock). */
  expiresAt: number;
  /** When it was last written as used, in milliseconds since 1970 (the database's clock). */
  lastSeenAt: number;
}

/**
 * Sessions already checked, by token hash, so that a request whose session nothing changed
 * since costs no lookup (docs/architecture.md, "Caches and the data version"). An entry is
 * trusted while the accounts version is the one it was found at (no account changed, no
 * session ended, in any process) and until its `last_seen_at` is due to be written again; after
 * that the request looks the session up and writes it as usual. Bounded: the oldest entries
 * make way for new ones.
 */
export class SessionCache {
  readonly #entries = new Map<string, CheckedSession>();

  constructor(readonly maxEntries = 10_000) {}

  /** The viewer of a token checked before, if it is still to be trusted at `version`. */
  trusted(tokenHash: string, version: DataVersion): Viewer | null {
    const entry = this.#entries.get(tokenHash);
    if (!entry) return null;
    const fresh =
      entry.accounts === version.accounts &&
      version.now < entry.expiresAt &&
      version.now - entry.lastSeenAt < SESSION_TOUCH_SECONDS * 1000;
    if (!fresh) {
      this.#entries.delete(tokenHash);
      return null;
    }
    return entry.viewer;
  }

  /** The viewer a token was last checked as, trusted or not: whom to try first. */
  candidate(tokenHash: string): Viewer | null {
    return this.#entries.get(tokenHash)?.viewer ?? null;
  }

  remember(tokenHash: string, session: CheckedSession): void {
    this.#entries.delete(tokenHash);
    this.#entries.set(tokenHash, session);
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.maxEntries) break;
      this.#entries.delete(oldest);
    }
  }

  forget(tokenHash: string): void {
    this.#entries.delete(tokenHash);
  }
}
