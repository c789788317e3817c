import {
  type ASTVisitor,
  type FieldNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/** Root fields that change who a request acts for, and so its database role. */
const SESSION_FIELDS = new Set(['signIn', 'signOut']);

/**
 * Validation rule: `signIn` and `signOut` must be the only field of their operation. A
 * request's rights, down to the database role it runs as, are those of the session it came
 * with; fields beside a sign-in would run for an account the request did not come with, and
 * fields beside a sign-out for a session that has ended. So such an operation is refused before
 * anything of it runs, like any invalid operation (HTTP 400, or 200 with errors for clients
 * that accept only `application/json`). `__typename` reads nothing and may stay.
 */
export function signInAlone(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(operation) {
      const fields = rootFields(context, operation.selectionSet, new Set());
      const session = fields.find((field) => SESSION_FIELDS.has(field.name.value));
      const others = fields.filter((field) => field.name.value !== '__typename');
      if (session && others.length > 1) {
        const name = session.name.value;
        context.reportError(
          new GraphQLError(
            `${name} must be the only field of its operation: send ${name} in a request of its ` +
              'own, and the rest in the next request, which then acts for the new session.',
            { nodes: others },
          ),
        );
      }
      // the fields below the root are not this rule's business
      return false;
    },
  };
}

/** The fields an operation runs at its root, through fragments and inline fragments. */
function rootFields(
  context: ValidationContext,
  selectionSet: SelectionSetNode,
  spread: Set<string>,
): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      fields.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      fields.push(...rootFields(context, selection.selectionSet, spread));
    } else {
      const name = selection.name.value;
      // a fragment spread twice adds nothing new; a cycle is another rule's error
      if (spread.has(name)) continue;
      spread.add(name);
      const fragment = context.getFragment(name);
      if (fragment) fields.push(...rootFields(context, fragment.selectionSet, spread));
    }
  }
  return fields;
}
