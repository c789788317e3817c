import { promisify } from 'node:util';
import {
  brotliCompress as brotliCallback,
  gzip as gzipCallback,
  constants as zlib,
} from 'node:zlib';

/** The content codings the server compresses with (RFC 9110, section 8.4.1). */
export type Encoding = 'br' | 'gzip';

/**
 * The coding to answer in, of those `offered` (the server's preference first), as the request's
 * `Accept-Encoding` allows (RFC 9110, section 12.5.3): a coding listed with a q-value above 0,
 * or covered by `*` when not listed itself; `q=0` refuses it. The highest q wins, the server's
 * order breaks ties; `identity` (the body as it is) wins over a coding that the client values
 * less than it. Without the header the body is sent as it is: a client that did not ask may not
 * know how to decompress (RFC 9110 would allow any coding then).
 */
export function chooseEncoding(
  acceptEncoding: string | string[] | undefined,
  offered: readonly Encoding[] = ['br', 'gzip'],
): Encoding | undefined {
  if (acceptEncoding === undefined) return undefined;
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [rawName = '', ...parameters] = part.split(';');
    const name = rawName.trim().toLowerCase();
    if (name === '') continue;
    let q = 1;
    for (const parameter of parameters) {
      const [key = '', value = ''] = parameter.split('=').map((text) => text.trim());
      if (key.toLowerCase() !== 'q') continue;
      // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ); anything else is ignored
      q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value) ? Number(value) : Number.NaN;
    }
    if (Number.isNaN(q)) continue;
    // x-gzip is gzip (RFC 9110, section 8.4.1.3); the first mention of a coding counts
    const coding = name === 'x-gzip' ? 'gzip' : name;
    if (!weights.has(coding)) weights.set(coding, q);
  }
  const any = weights.get('*');
  // identity unlisted (and no `*`) is acceptable but least wanted: any accepted coding beats it
  const identity = weights.get('identity') ?? any ?? 0;
  let best: Encoding | undefined;
  let bestQ = 0;
  for (const coding of offered) {
    const q = weights.get(coding) ?? any ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best !== undefined && bestQ >= identity ? best : undefined;
}

/**
 * Smallest GraphQL answer worth compressing, in bytes. A smaller one travels with its headers in
 * one TCP segment (an MSS of about 1,460 bytes) anyway, so compressing it saves no packet and no
 * round trip, only adds gzip's own 18 bytes of framing and a trip through zlib's thread pool.
 * Most small answers are errors, `me` and sign-in mutations. The dashboard's static files use the
 * same threshold (`static-files.ts`).
 */
export const MIN_COMPRESSED_ANSWER = 1024;

const gzip = promisify(gzipCallback);
const brotli = promisify(brotliCallback);

/**
 * The codings GraphQL answers are compressed with, Brotli first where the client accepts both.
 *
 * Measured on the overview page's whole answer (the dashboard's `OverviewDocument` as
 * `monitor@demo.udx` for 2026; README, "Caches and what a figure costs"), CPU time of one
 * compression, median, on this repository's 2-core machine under other work:
 *
 * | setting | national, 2,235,334 bytes | ms | ms per MB saved | demo, 97,084 bytes | ms |
 * |---|---|---|---|---|---|
 * | gzip level 1 | 265,917 | 10.3 | 5.2 | 8,991 | 0.28 |
 * | gzip level 6 (zlib's default) | 227,097 | 20.0 | 10.0 | 6,971 | 0.48 |
 * | gzip level 9 | 215,348 | 58.2 | 28.8 | 6,577 | 1.17 |
 * | Brotli quality 0 | 310,587 | 4.7 | 2.5 | 9,210 | 0.16 |
 * | Brotli quality 1 | 237,450 | 7.4 | 3.7 | 7,867 | 0.17 |
 * | Brotli quality 2 | 213,247 | 12.3 | 6.1 | 7,041 | 0.27 |
 * | Brotli quality 4 | 198,702 | 28.6 | 14.1 | 6,444 | 0.45 |
 * | Brotli quality 5 (the static files') | 188,358 | 38.9 | 19.0 | 5,637 | 0.73 |
 *
 * Brotli at quality 1 costs less CPU per byte saved than gzip at any level, and sends less than
 * gzip level 1 or 3. Quality 0 is cheaper still per byte saved, but sends 31 % more than quality 1
 * (more than gzip level 1): the 3 ms more buy 73 KB less, which is worth it below about
 * 200 Mbit/s. gzip level 1, the cheapest gzip per byte saved, serves clients without Brotli
 * (browsers ask for `br` over HTTPS and from localhost only, many HTTP libraries never).
 */
export const ANSWER_ENCODINGS: readonly Encoding[] = ['br', 'gzip'];

/**
 * A GraphQL answer's body compressed for sending (see `ANSWER_ENCODINGS`), or undefined when
 * compression failed or saved nothing: the answer then goes out as it is (compression must
 * never fail a request). It runs on zlib's thread pool, off the event loop.
 */
export async function compressAnswer(
  body: string,
  encoding: Encoding,
): Promise<Buffer | undefined> {
  try {
    const size = Buffer.byteLength(body);
    const compressed =
      encoding === 'br'
        ? await brotli(body, {
            params: {
              [zlib.BROTLI_PARAM_QUALITY]: 1,
              [zlib.BROTLI_PARAM_SIZE_HINT]: size,
            },
          })
        : await gzip(body, { level: 1 });
    return compressed.length < size ? compressed : undefined;
  } catch {
    return undefined;
  }
}
