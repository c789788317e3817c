import { Kind, type OperationDefinitionNode, parse } from 'graphql';
import { PUBLIC_OPERATION_FIELDS, PUBLIC_QUERY_FIELDS } from '../modules/public/public.service.ts';
import { MAX_TOKENS } from './graphql.ts';
import type { DatabaseAccess } from './replica-routing.ts';

/** The operation a GraphQL request names, as sent: in the JSON body or the URL. */
export interface OperationText {
  query?: unknown;
  operationName?: unknown;
}

/**
 * Whether a GraphQL request only reads: 'read' for a query, 'write' for a mutation and for
 * whatever cannot be told before Apollo runs it (no document, e.g. a persisted query's hash
 * alone; a document that does not parse; no operation or several without a name). 'write'
 * sends a request to the primary, which serves everything. Only servers with a replica ask:
 * the document is parsed once more, with Apollo's token limit.
 */
export function operationAccess(operation: OperationText): DatabaseAccess {
  if (typeof operation.query !== 'string') return 'write';
  const chosen = chosenOperation(operation.query, operation.operationName);
  return chosen?.operation === 'query' ? 'read' : 'write';
}

/**
 * Whether a GraphQL request asks for public figures alone: a query with a public field whose
 * every root field is a public one or the catalogue's (`__typename` aside). The server runs it
 * without a viewer, as the public role, whoever sends it (README, "Open data and public
 * figures"); the catalogue alone runs as its sender's role, as every other request.
 */
export function isPublicOperation(operation: OperationText): boolean {
  if (typeof operation.query !== 'string') return false;
  const chosen = chosenOperation(operation.query, operation.operationName);
  if (chosen?.operation !== 'query') return false;
  const names = chosen.selectionSet.selections.map((selection) =>
    selection.kind === Kind.FIELD ? selection.name.value : null,
  );
  return (
    names.some((name) => name !== null && PUBLIC_QUERY_FIELDS.includes(name)) &&
    names.every(
      (name) => name !== null && (name === '__typename' || PUBLIC_OPERATION_FIELDS.includes(name)),
    )
  );
}

function chosenOperation(query: string, operationName: unknown): OperationDefinitionNode | null {
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(query, { maxTokens: MAX_TOKENS }).definitions.filter(
      (definition): definition is OperationDefinitionNode =>
        definition.kind === Kind.OPERATION_DEFINITION,
    );
  } catch {
    return null;
  }
  if (typeof operationName === 'string' && operationName !== '') {
    return operations.find((definition) => definition.name?.value === operationName) ?? null;
  }
  return operations.length === 1 ? (operations[0] ?? null) : null;
}
