import type { ServerResponse } from 'node:http';

/** A client's mistake at the HTTP level (bad body, wrong media type, too large ...). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = 'BAD_REQUEST',
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * Writes an error in the shape GraphQL clients read (`{ errors: [{ message, extensions }] }`),
 * as JSON, whatever the request: a client never gets HTML or an empty body for its mistake.
 */
export function sendJsonError(
  response: ServerResponse,
  status: number,
  message: string,
  code: string,
  headers: Record<string, string> = {},
): void {
  sendJson(response, status, { errors: [{ message, extensions: { code } }] }, headers);
}

/** Writes a JSON body with its length. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  response.end(text);
}

/**
 * The answer to bytes Node cannot parse as an HTTP request (the server's `clientError`), to be
 * written straight to the socket before it is closed: a JSON error like every other client
 * mistake. Headers too large get 431 and a request too slow to arrive 408, as Node would answer.
 */
export function clientErrorAnswer(error: NodeJS.ErrnoException & { rawPacket?: Buffer }): string {
  const [status, reason, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'HEADERS_TOO_LARGE', 'The headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'REQUEST_TIMEOUT', 'The request took too long to arrive']
        : [400, 'Bad Request', 'BAD_REQUEST', 'The request is not valid HTTP/1.1'];
  const text = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  // the answer to a HEAD request has no body, or the client would read it as the next answer
  const body = error.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ' ? '' : text;
  return [
    `HTTP/1.1 ${status} ${reason}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(text)}`,
    'Cache-Control: no-store',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}
