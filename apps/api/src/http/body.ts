import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.ts';

/** Largest request body the API accepts: far above any real query, far below a denial of service. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Reads a request body, refusing one larger than `limit` bytes with 413. */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      // Stop reading; the connection is closed after the answer so the rest is never parsed.
      request.pause();
      throw tooLarge(limit);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): HttpError {
  return new HttpError(
    413,
    `The request body is larger than ${Math.round(limit / 1024)} KiB`,
    'PAYLOAD_TOO_LARGE',
    { Connection: 'close' },
  );
}

/** The media type of a Content-Type header, lower case, without parameters. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase() || undefined;
}

/** The parameters of a Content-Type header (e.g. charset). */
export function charsetOf(contentType: string | undefined): string | undefined {
  const match = contentType?.match(/;\s*charset\s*=\s*"?([^";\s]+)"?/i);
  return match?.[1]?.toLowerCase();
}
