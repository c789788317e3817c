import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { percentile } from './measure.ts';

/** How hard and how long a closed loop drives a target. */
export interface LoadOptions {
  /** Concurrent connections: each sends its next request as soon as its last one is answered. */
  connections: number;
  /** How long each connection keeps going. */
  seconds: number;
}

/** A request is starved when it took this many times the median, or longer than the limit below. */
const STARVED_MEDIAN_FACTOR = 10;
const STARVED_LIMIT_MS = 5_000;

/** What a closed loop measured: every latency summarised, and what went wrong. */
export interface LoadResult {
  requests: number;
  /** Requests answered per second over the whole run, all connections together. */
  rps: number;
  p50: number;
  p95: number;
  p975: number;
  p99: number;
  max: number;
  /** Requests that failed (transport error, HTTP error or GraphQL errors in the answer). */
  errors: number;
  /** The first failure's message, to say why a run failed. */
  firstError?: string;
  /** Requests slower than ten times the median, or than 5 s. */
  starved: number;
}

/** Unmeasured calls one after another before a closed loop: code compiled, caches filled. */
const WARM_UP_CALLS = 3;

/**
 * Runs `send` in a closed loop on `connections` workers for `seconds`, timing every call from its
 * start to its settled promise. Before it, unmeasured: a few calls one after another, then one on
 * every worker at once, so that each connection is open before the clock starts. Opened within
 * the measured run, the first calls of the 15 other workers waited for one another's connections:
 * 70 to 270 ms each against a median of 10 ms, against graphql-js alone as against udx, and they
 * were counted as starved.
 */
export async function closedLoop(
  options: LoadOptions,
  send: (worker: number) => Promise<void>,
): Promise<LoadResult> {
  for (let i = 0; i < WARM_UP_CALLS; i++) await send(0);
  await Promise.all(Array.from({ length: options.connections }, (_, index) => send(index)));
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const stopAt = started + options.seconds * 1000;
  const worker = async (index: number) => {
    while (performance.now() < stopAt) {
      const sent = performance.now();
      try {
        await send(index);
        latencies.push(performance.now() - sent);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, index) => worker(index)));
  const elapsed = (performance.now() - started) / 1000;
  return summarise(latencies, elapsed, errors, firstError);
}

function summarise(
  latencies: number[],
  elapsedSeconds: number,
  errors: number,
  firstError: string | undefined,
): LoadResult {
  const sorted = latencies.sort((a, b) => a - b);
  const p50 = percentile(sorted, 0.5);
  const starvedAbove = Math.min(p50 * STARVED_MEDIAN_FACTOR, STARVED_LIMIT_MS);
  return {
    requests: sorted.length,
    rps: sorted.length / elapsedSeconds,
    p50,
    p95: percentile(sorted, 0.95),
    p975: percentile(sorted, 0.975),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    errors,
    ...(firstError ? { firstError } : {}),
    starved: sorted.filter((latency) => latency > starvedAbove).length,
  };
}

/** One GraphQL request as the load driver sends it, again and again. */
export interface GraphQLPost {
  /** The server's base URL, e.g. http://127.0.0.1:4000. */
  url: string;
  query: string;
  variables?: Record<string, unknown>;
  token?: string;
  /** Extra headers, e.g. an `X-Request-Id` that names the scenario in the server's log. */
  headers?: Record<string, string>;
}

/**
 * A sender of one GraphQL POST over keep-alive connections (one socket per worker): resolves
 * when the whole answer has arrived, rejects on any HTTP error or GraphQL error in it.
 *
 * A compressed answer (the request's headers offered `Accept-Encoding`) is decompressed and
 * checked the first time only: decompressing megabytes on every request would take the cores
 * the server shares with the driver. Later ones are checked by their status; the server's log
 * line of each request says whether it had errors (`measureUdx`).
 */
export function graphQLSender(
  post: GraphQLPost,
  connections: number,
): { send: () => Promise<void>; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL('/graphql', post.url);
  const body = Buffer.from(JSON.stringify({ query: post.query, variables: post.variables ?? {} }));
  const headers: http.OutgoingHttpHeaders = {
    'Content-Type': 'application/json',
    Accept: 'application/graphql-response+json, application/json',
    'Content-Length': body.length,
    ...(post.token ? { Authorization: `Bearer ${post.token}` } : {}),
    ...post.headers,
  };
  let compressedChecked = false;
  const send = () =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(target, { method: 'POST', agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          const coding = response.headers['content-encoding'];
          let failure: string | undefined;
          if (coding && compressedChecked) {
            failure = status === 200 ? undefined : `HTTP ${status} (${coding})`;
          } else {
            try {
              const body = decompressed(Buffer.concat(chunks), coding);
              failure = answerFailure(status, body.toString('utf8'));
              if (coding && !failure) compressedChecked = true;
            } catch (error) {
              // thrown here, in a stream's handler, it would end the driver instead of the request
              failure = `undecodable answer (${coding}): ${error instanceof Error ? error.message : error}`;
            }
          }
          if (failure) reject(new Error(failure));
          else resolve();
        });
      });
      request.on('error', reject);
      request.end(body);
    });
  return { send, close: () => agent.destroy() };
}

/** The body as it was before the server compressed it with `coding`. */
function decompressed(body: Buffer, coding: string | undefined): Buffer {
  if (coding === undefined) return body;
  if (coding === 'br') return brotliDecompressSync(body);
  if (coding === 'gzip') return gunzipSync(body);
  throw new Error(`answer in an unexpected Content-Encoding: ${coding}`);
}

/**
 * Why an answer is not a successful GraphQL result, or undefined when it is. The answer is not
 * parsed on every request (that would load the driver, which shares the cores with the server):
 * a result that starts with data and names no errors is taken as one.
 */
function answerFailure(status: number, text: string): string | undefined {
  if (status !== 200) return `HTTP ${status}: ${text.slice(0, 300)}`;
  if (!text.startsWith('{"data":{') || text.includes('"errors":[')) {
    return `GraphQL errors: ${text.slice(0, 300)}`;
  }
  return undefined;
}

/** Drives one GraphQL POST with the closed loop of `load`, over a sender of its own. */
export async function loadGraphQL(post: GraphQLPost, load: LoadOptions): Promise<LoadResult> {
  const sender = graphQLSender(post, load.connections);
  try {
    return await closedLoop(load, sender.send);
  } finally {
    sender.close();
  }
}
