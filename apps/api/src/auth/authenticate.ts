import type { IncomingHttpHeaders } from 'node:http';
import type { Db } from '@udx/db/database';
import type { Viewer } from '../context.ts';

/**
 * The viewer a request acts for, from its session cookie or `Authorization: Bearer` token;
 * null for anonymous requests. Until sessions exist every request is anonymous.
 */
export async function authenticate(_db: Db, _headers: IncomingHttpHeaders): Promise<Viewer | null> {
  return null;
}
