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
 * How long one request may keep the database busy. PostgreSQL cancels a statement still running
 * when the request's deadline passes (each request's transaction sets its `statement_timeout` to
 * what is left, see `row-level-security.ts`); the embedded database cannot interrupt a
 * statement at all, so there a request is stopped between statements instead, once its deadline
 * has passed. With the operation limits this bounds what one request can hold.
 */
export const DEFAULT_REQUEST_DEADLINE_MS = 15_000;

/** A request went past its deadline; its remaining statements were not run. */
export class RequestDeadlineError extends Error {
  constructor() {
    super('The request took too long and was stopped');
  }
}

/**
 * What is left of the current request's deadline, in ms; undefined outside a request. A
 * request's transaction gives PostgreSQL this as its `statement_timeout`, so that a statement
 * still running when the deadline passes is cancelled then, not at the connection's limit.
 */
export function remainingRequestTimeMs(): number | undefined {
  const deadline = currentRequestRecord()?.deadline;
  return deadline === undefined ? undefined : deadline - performance.now();
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
