import { GraphQLError } from 'graphql';
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { currentRequestRecord } from '../logging.ts';

/**
 * How long one request may keep the database busy. PostgreSQL ends a single statement after
 * its `statement_timeout` (see the database factory); the embedded database cannot interrupt a
 * statement at all, so a request is stopped between statements instead, once its deadline has
 * passed. With the operation limits this bounds what one request can hold.
 *
 * A statement already running at the deadline is left to finish (up to the connection's limit):
 * the figures it computes are kept for the data version (`figure-cache.ts`), so the next request
 * finds them. Cancelled at the deadline, a page whose figures take longer than the deadline to
 * compute on an empty cache (the national overview after a write) would never be answered.
 */
export const DEFAULT_REQUEST_DEADLINE_MS = 15_000;

/** A request went past its deadline; its remaining statements were not run. */
export class RequestDeadlineError extends Error {
  constructor() {
    super('The request took too long and was stopped');
  }
}

/**
 * Kysely plugin: refuses to start a statement for a request past its deadline (the request's
 * record carries it, see `logging.ts`). Statements outside a request run unhindered.
 */
export const requestDeadlinePlugin: KyselyPlugin = {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const deadline = currentRequestRecord()?.deadline;
    if (deadline !== undefined && performance.now() > deadline) throw new RequestDeadlineError();
    return args.node;
  },
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  },
};

/** What the client gets for a request stopped at its deadline. */
export function requestDeadlineError(): GraphQLError {
  return new GraphQLError(
    'The request took too long and was stopped. Ask for less at once, or try again later.',
    { extensions: { code: 'REQUEST_TIMEOUT', http: { status: 503 } } },
  );
}
