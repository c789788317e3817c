import type { Db } from '@udx/db/database';
import type { Role } from '@udx/db/schema';
import type { FigureCache, FigureVersions } from './modules/shared/figure-cache.ts';

/** The signed-in person a request acts for. */
export interface Viewer {
  userId: number;
  sessionId: number;
  email: string;
  displayName: string;
  role: Role;
  /** The city of a city account (CITY_EDITOR, CITY_VIEWER); null for programme roles. */
  cityId: number | null;
}

export type Language = 'en' | 'de';

/** What every resolver receives. One context per request. */
export interface Context {
  db: Db;
  /** null for anonymous requests: they see the SDG catalogue and indicator definitions only. */
  viewer: Viewer | null;
  /** The language of texts in the answer, from `Accept-Language` (English unless German is preferred). */
  language: Language;
  /** What the answer must carry besides the body: cookies set by signIn and signOut. */
  response: { setCookies: string[] };
  /**
   * The `Host` the request was sent to: the session cookie is `Secure` unless it is localhost.
   * Unknown (in production always, and in tests that execute the schema directly) counts as
   * not local.
   */
  requestHost?: string | undefined;
  /**
   * The client's address (see `clientAddressOf`), for sign-in throttling. Unknown in tests that
   * execute the schema directly.
   */
  clientAddress?: string | undefined;
  /**
   * Ends the request's transaction (run as its viewer's database role, see
   * `openRequestScope`) before the answer is sent, so that a client's next request sees what
   * this one wrote. Absent where the schema is executed directly, on a plain connection.
   */
  endViewerScope?: (() => Promise<void>) | undefined;
  /**
   * The server's cache of computed figures and the data version this request read at its start
   * (see `figure-cache.ts`). Absent where the schema is executed directly: figures are computed.
   */
  figures?: { cache: FigureCache; version: FigureVersions } | undefined;
  /**
   * Whether the server publishes the approved figures (`UDX_PUBLIC`): then a request without a
   * viewer runs as the public role and may ask for the public fields. Absent: not published.
   */
  publicFigures?: boolean | undefined;
}

/** Roles that see the whole programme (every partnership), as opposed to one city's accounts. */
export const PROGRAMME_ROLES: readonly Role[] = ['FOREIGN_OFFICE', 'SKEW_EVALUATOR', 'SKEW_ADMIN'];
export const SKEW_ROLES: readonly Role[] = ['SKEW_EVALUATOR', 'SKEW_ADMIN'];
export const CITY_ROLES: readonly Role[] = ['CITY_EDITOR', 'CITY_VIEWER'];

/** Picks the answer language from an `Accept-Language` header, honouring q-values. */
export function languageFrom(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag === 'de' || tag.startsWith('de-')) return 'de';
    if (tag === 'en' || tag.startsWith('en-') || tag === '*') return 'en';
  }
  return 'en';
}
