import { Kind, type OperationDefinitionNode, parse } from 'graphql';
import { PUBLIC_OPERATION_FIELDS, PUBLIC_QUERY_FIELDS } from '../modules/public/public.service.ts';
import { schema } from '../schema.ts';
import { MAX_TOKENS } from './graphql.ts';
import { isKeepableOperation } from './keepable-operations.ts';
import type { DatabaseAccess } from './replica-routing.ts';

/** The operation a GraphQL request names, as sent: in the JSON body or the URL. */
export interface OperationText {
  query?: unknown;
  operationName?: unknown;
}

/** What the server tells from an operation's text before Apollo runs it. */
export interface OperationFacts {
  /**
   * 'read' for a query, 'write' for a mutation and for whatever cannot be told before Apollo
   * runs it (no document, e.g. a persisted query's hash alone; a document that does not parse;
   * no operation or several without a name). 'write' sends a request to the primary, which
   * serves everything.
   */
  access: DatabaseAccess;
  /**
   * A query with a public field whose every root field is a public one or the catalogue's
   * (`__typename` aside). The server runs it without a viewer, as the public role, whoever
   * sends it (README, "Open data and public figures"); the catalogue alone runs as its
   * sender's role, as every other request.
   */
  isPublic: boolean;
  /** Its answer may be kept and served again (`kept-answers.ts`). */
  keepable: boolean;
}

const UNKNOWN: OperationFacts = { access: 'write', isPublic: false, keepable: false };

/** Facts of operation texts seen lately: clients send the same few documents again and again. */
const factsByText = new Map<string, OperationFacts>();
const MAX_TEXTS = 1_000;

/**
 * The facts of an operation, told once per text and operation name: the document is parsed
 * with Apollo's token limit, then remembered.
 */
export function operationFacts(operation: OperationText): OperationFacts {
  const { query, operationName } = operation;
  if (typeof query !== 'string') return UNKNOWN;
  const name = typeof operationName === 'string' ? operationName : '';
  const key = `${name}\n${query}`;
  let facts = factsByText.get(key);
  if (!facts) {
    facts = factsOf(query, name);
    if (factsByText.size >= MAX_TEXTS) factsByText.clear();
    factsByText.set(key, facts);
  }
  return facts;
}

function factsOf(query: string, operationName: string): OperationFacts {
  let document: ReturnType<typeof parse>;
  try {
    document = parse(query, { maxTokens: MAX_TOKENS });
  } catch {
    return UNKNOWN;
  }
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION,
  );
  const chosen =
    operationName !== ''
      ? operations.find((definition) => definition.name?.value === operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
  if (!chosen) return UNKNOWN;
  return {
    access: chosen.operation === 'query' ? 'read' : 'write',
    isPublic: isPublicSelection(chosen),
    keepable: isKeepableOperation(schema, document, chosen),
  };
}

function isPublicSelection(chosen: OperationDefinitionNode): boolean {
  if (chosen.operation !== 'query') return false;
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
