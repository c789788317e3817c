import type { IncomingHttpHeaders } from 'node:http';
import { todayInBerlin } from '@udx/indicators/status';
import { hashSessionToken, sessionTokenFrom } from '../auth/session.ts';
import type { SessionCache } from '../auth/session-cache.ts';
import { type Context, languageFrom, type Viewer } from '../context.ts';
import { currentRequestRecord } from '../logging.ts';
import { compressAnswer, type Encoding } from './compression.ts';
import type { KeptAnswerSlot } from './graphql.ts';
import { type OperationText, operationFacts } from './operation-access.ts';
import { type DatabaseRouter, walPositionFrom } from './replica-routing.ts';

// Whole answers kept across requests (docs/architecture.md, "Caches and the data version").
//
// A query that asks only for figures and the records they are counted from
// (`keepable-operations.ts`) has one answer per audience (role and city: what row-level security
// lets it read), language, day and data version: the answer of one request serves the next one
// of the same audience, as long as no write raised the version. Such a request costs one
// statement (the version) and no execution.

/** An answer as it was sent: its headers and its body. */
export interface KeptAnswer {
  headers: readonly (readonly [string, string])[];
  body: string;
}

/** A kept answer, its compressed bodies (made when first asked for), and what it all weighs. */
interface Entry {
  answer: KeptAnswer;
  /** The key's and the body's characters, and the compressed bodies' bytes made so far. */
  bytes: number;
  /** Per encoding: the compressed body, being made or made (undefined when compression failed). */
  encoded: Map<Encoding, Promise<Buffer | undefined>>;
}

/**
 * Answers kept for one data version, as `FigureCache` keeps figures: an answer computed at an
 * older version than the newest seen is not kept, a newer version empties the cache. Bounded
 * by size, compressed copies included: the least recently used answers make way first, and a
 * very large answer is not kept.
 */
export class AnswerCache {
  #version = -1;
  #bytes = 0;
  readonly #entries = new Map<string, Entry>();

  constructor(
    readonly maxBytes = 64 * 1024 * 1024,
    readonly maxAnswerBytes = 4 * 1024 * 1024,
  ) {}

  /** Whether an answer is kept under `key` at the newest version seen. */
  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** What the kept answers and their compressed copies weigh (the key's and body's characters). */
  get bytes(): number {
    return this.#bytes;
  }

  /** The answer kept under `key` at data version `version`, if any. */
  find(version: number, key: string): KeptAnswer | undefined {
    if (version !== this.#version) return undefined;
    const entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry?.answer;
  }

  keep(version: number, key: string, answer: KeptAnswer): void {
    if (version < this.#version) return;
    if (version > this.#version) {
      this.#entries.clear();
      this.#bytes = 0;
      this.#version = version;
    }
    const size = answer.body.length + key.length;
    if (size > this.maxAnswerBytes) return;
    const replaced = this.#entries.get(key);
    if (replaced) {
      this.#entries.delete(key);
      this.#bytes -= replaced.bytes;
    }
    this.#entries.set(key, { answer, bytes: size, encoded: new Map() });
    this.#bytes += size;
    this.#trim();
  }

  /**
   * The body of `answer`, kept under `key`, in `encoding`: compressed by `compress` the first
   * time it is asked for (requests at the same time share that work) and kept with the answer,
   * its bytes counted in the cache's budget, so that the next request in that encoding costs no
   * compression. An answer no longer kept (a newer version, or made way) is compressed for the
   * request alone.
   */
  encoded(
    key: string,
    answer: KeptAnswer,
    encoding: Encoding,
    compress: (body: string, encoding: Encoding) => Promise<Buffer | undefined> = compressAnswer,
  ): Promise<Buffer | undefined> {
    const entry = this.#entries.get(key);
    if (entry?.answer !== answer) return compress(answer.body, encoding);
    const made = entry.encoded.get(encoding);
    if (made) return made;
    const making = compress(answer.body, encoding).then(
      (body) => {
        // kept only while its answer is: a newer version or a trim may have dropped it meanwhile
        if (this.#entries.get(key) !== entry) return body;
        if (body === undefined) {
          // a failure is not kept: a later request tries again
          entry.encoded.delete(encoding);
          return body;
        }
        entry.bytes += body.length;
        this.#bytes += body.length;
        this.#trim();
        return body;
      },
      () => {
        entry.encoded.delete(encoding);
        return undefined;
      },
    );
    entry.encoded.set(encoding, making);
    return making;
  }

  /** The least recently used answers make way until the kept ones fit the budget. */
  #trim(): void {
    for (const [oldestKey, oldest] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldestKey);
      this.#bytes -= oldest.bytes;
    }
  }
}

/** What answers a GraphQL request from kept answers, or keeps its answer. */
export interface KeptAnswers {
  cache: AnswerCache;
  sessions: SessionCache;
  router: Pick<DatabaseRouter, 'readVersion'>;
  /** Whether public operations run without a viewer (`UDX_PUBLIC`). */
  publicFigures: boolean;
}

/**
 * The slot of a POST's operation among kept answers, or undefined when its answer may not be
 * kept. Its answer is found when one is kept for the request's audience, language, accepted
 * media type, day and raw body, at the data version the database reads now, and when its
 * session (if any) is trusted without a lookup (`SessionCache`). Otherwise the operation runs,
 * and its answer is kept under the version and the viewer its own transaction read. Only an
 * answer already kept at the newest version seen costs the statement that reads the version:
 * other operations run as they would without this cache.
 */
export async function keptAnswerSlot(
  kept: KeptAnswers,
  request: { headers: IncomingHttpHeaders },
  operation: OperationText,
  body: string,
  contextOf: () => Context | undefined,
): Promise<KeptAnswerSlot | undefined> {
  const facts = operationFacts(operation);
  if (!facts.keepable) return undefined;
  // the same request's answer, for another audience: see `audienceOf`
  const asked = [
    todayInBerlin(),
    languageFrom(request.headers['accept-language']),
    request.headers.accept ?? '',
    body,
  ].join('\n');
  const asPublic = kept.publicFigures && facts.isPublic;
  const keyOf = (viewer: Viewer | null) => `${audienceOf(asPublic ? null : viewer)}\n${asked}`;
  // where the slot's answer is kept: found there, or just kept
  let keptKey: string | undefined;
  const slot: KeptAnswerSlot = {
    keep: (answer) => {
      const context = contextOf();
      if (!context?.figures) return;
      keptKey = keyOf(context.viewer);
      kept.cache.keep(context.figures.version.figures, keptKey, answer);
    },
    encoded: (answer, encoding) =>
      keptKey === undefined
        ? compressAnswer(answer.body, encoding)
        : kept.cache.encoded(keptKey, answer, encoding),
  };
  const token = asPublic ? null : sessionTokenFrom(request.headers);
  const tokenHash = token === null ? null : hashSessionToken(token);
  const viewer = tokenHash === null ? null : kept.sessions.candidate(tokenHash);
  if (tokenHash !== null && viewer === null) return slot;
  const key = keyOf(viewer);
  // a client reading its own write runs where `DatabaseRouter.openScope` sends it (README,
  // "Beyond one machine"); its answer is kept for the others all the same
  if (!kept.cache.has(key) || walPositionFrom(request.headers)) return slot;
  try {
    const version = await kept.router.readVersion();
    if (tokenHash !== null && !kept.sessions.trusted(tokenHash, version)) return slot;
    slot.answer = kept.cache.find(version.figures, key);
    if (slot.answer) keptKey = key;
  } catch {
    // the operation runs and meets the same fault, which it answers as it should
    return slot;
  }
  const record = currentRequestRecord();
  if (slot.answer && record) {
    if (typeof operation.operationName === 'string') record.operationName = operation.operationName;
    record.role = viewer?.role ?? 'ANONYMOUS';
  }
  return slot;
}

/**
 * Whose answers a viewer's equal: the same role of the same city (what row-level security and
 * the rights let a request read, see docs/methodology.md, "Who sees which figure"), or readers
 * without an account.
 */
function audienceOf(viewer: Viewer | null): string {
  return viewer ? `${viewer.role}:${viewer.cityId ?? ''}` : 'anonymous';
}
