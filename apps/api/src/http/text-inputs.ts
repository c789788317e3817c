import type { ApolloServerPlugin } from '@apollo/server';
import { type DocumentNode, GraphQLError, Kind, type ValueNode, visit } from 'graphql';
import type { Context } from '../context.ts';

/**
 * PostgreSQL cannot hold the character U+0000 in text: a statement with it fails (SQLSTATE
 * 22021) wherever the text goes, into a column or into a WHERE. No person types it, so any
 * text of a request that carries it, in its variables or written in the document, is refused
 * before anything runs, naming where it is, instead of failing inside a resolver.
 */
const NUL = '\u0000';

/** Where a value holds U+0000, as a path from its variable or argument (`input.values.0.note`). */
function pathToNul(value: unknown, root: string): string | null {
  // iterative: a request's JSON may be nested far deeper than the stack allows
  const pending: [unknown, string][] = [[value, root]];
  while (pending.length > 0) {
    const [current, path] = pending.pop() as [unknown, string];
    if (typeof current === 'string') {
      if (current.includes(NUL)) return path;
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => {
        pending.push([item, `${path}.${index}`]);
      });
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) pending.push([item, `${path}.${key}`]);
    }
  }
  return null;
}

function pathToNulInLiteral(node: ValueNode, root: string): string | null {
  const pending: [ValueNode, string][] = [[node, root]];
  while (pending.length > 0) {
    const [current, path] = pending.pop() as [ValueNode, string];
    if (current.kind === Kind.STRING && current.value.includes(NUL)) return path;
    if (current.kind === Kind.LIST) {
      current.values.forEach((item, index) => {
        pending.push([item, `${path}.${index}`]);
      });
    }
    if (current.kind === Kind.OBJECT) {
      for (const field of current.fields)
        pending.push([field.value, `${path}.${field.name.value}`]);
    }
  }
  return null;
}

/** The first argument written in the document whose text holds U+0000. */
function nulInDocument(document: DocumentNode): string | null {
  let found: string | null = null;
  visit(document, {
    Argument(node) {
      found ??= pathToNulInLiteral(node.value, node.name.value);
    },
  });
  return found;
}

function refusal(path: string): GraphQLError {
  return new GraphQLError(`${path} must not contain the character U+0000 (NUL)`, {
    extensions: { code: 'BAD_USER_INPUT', field: path, http: { status: 400 } },
  });
}

/** Apollo plugin: refuses an operation with U+0000 in any text it was given (HTTP 400). */
export const textInputsPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document }) {
        for (const [name, value] of Object.entries(request.variables ?? {})) {
          const path = pathToNul(value, name);
          if (path) throw refusal(path);
        }
        const path = nulInDocument(document);
        if (path) throw refusal(path);
      },
    };
  },
};
