import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  valueFromASTUntyped,
} from 'graphql';
import type { Context } from '../context.ts';
import { MAX_PAGE_SIZE } from '../modules/shared/connection.ts';

/**
 * What one operation may ask for, sized from the dashboard's own operations: its largest page
 * query (the SDG page) costs about 6,000 units, its heaviest form (recording an outcome, with
 * every partnership's exchanges) about 20,500 (see `tests/operation-limits.test.ts`). An
 * operation beyond any limit is refused before it runs, so that one request cannot hold the
 * database for everyone else.
 */
export const OPERATION_LIMITS = {
  /** Most cost units (see `measureOperation`). */
  cost: 25_000,
  /** Most aliased fields: each alias of a field asks for its work once more. */
  aliases: 20,
  /** Most fields at the root of an operation, aliases included. */
  rootFields: 20,
  /** Most directive uses (`@include`, `@skip`) in an operation. */
  directives: 30,
} as const;

/**
 * Cost units of the fields that compute figures. Each runs statements over the whole scope and
 * period (the indicator engine), which costs hundreds of times what reading one row does; the
 * weights are rough proportions of that work (the breakdown does most, totals least). A field not
 * named here costs 1 when it returns an object or a list and nothing when it returns a scalar.
 */
const FIELD_COSTS: Readonly<Record<string, number>> = {
  'Query.dashboard': 100,
  'Query.programmeTotals': 200,
  'Dashboard.totals': 500,
  'Dashboard.goals': 1_000,
  'Dashboard.sdgs': 1_000,
  'Dashboard.breakdown': 2_000,
  'Dashboard.departmentLinks': 500,
  'Dashboard.partnershipMap': 500,
  'Indicator.series': 500,
  // the public figures compute as the dashboard's (README, "Open data and public figures")
  'Query.publicProgramme': 100,
  'Query.publicPartnership': 100,
  'PublicFigures.totals': 500,
  'PublicFigures.indicators': 1_000,
  'PublicFigures.sdgs': 1_000,
  'PublicIndicator.series': 500,
  // a password hash per call (Argon2), deliberately slow
  'Mutation.signIn': 500,
};

/** Items a connection returns when `first`/`last` are not given (Pothos' default). */
const DEFAULT_PAGE = 20;

export interface OperationMeasure {
  cost: number;
  aliases: number;
  rootFields: number;
  directives: number;
}

/**
 * The size of an operation: cost units, aliases, root fields and directive uses, counted through
 * fragments. A connection's selection costs once per item of its page (`first` or `last`, from
 * the literal or the variables, at most MAX_PAGE_SIZE); `nodes(ids:)` once per id. Introspection fields
 * cost nothing: GraphiQL's schema query is large by nature and cheap.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> = {},
): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const measure: OperationMeasure = { cost: 0, aliases: 0, rootFields: 0, directives: 0 };
  const argument = (value: ValueNode | undefined): unknown =>
    value === undefined ? undefined : valueFromASTUntyped(value, variables);

  const costOf = (
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType,
    seen: ReadonlySet<string>,
  ): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      measure.directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        cost += costOf(selection.selectionSet, condition ?? parent, seen);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // a cycle or an unknown fragment is graphql-js's own validation error
        if (!fragment || seen.has(name)) continue;
        measure.directives += fragment.directives?.length ?? 0;
        const condition = schema.getType(fragment.typeCondition.name.value) ?? parent;
        cost += costOf(fragment.selectionSet, condition, new Set([...seen, name]));
        continue;
      }
      const name = selection.name.value;
      if (selection.alias) measure.aliases += 1;
      if (name.startsWith('__')) continue;
      const field = fieldOf(parent, name);
      if (!field) continue;
      const type = getNamedType(field.type);
      const own =
        FIELD_COSTS[`${parent.name}.${name}`] ?? (selection.selectionSet === undefined ? 0 : 1);
      let below = selection.selectionSet ? costOf(selection.selectionSet, type, seen) : 0;
      const args = new Map(selection.arguments?.map((arg) => [arg.name.value, arg.value]));
      if (type.name.endsWith('Connection')) {
        below *= pageSize(argument(args.get('first')) ?? argument(args.get('last')));
      } else if (name === 'nodes') {
        const ids = argument(args.get('ids'));
        below *= Array.isArray(ids) ? ids.length : 1;
      }
      cost += own + below;
    }
    return cost;
  };

  const root =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  measure.directives += operation.directives?.length ?? 0;
  measure.rootFields = countRootFields(operation.selectionSet, fragments, new Set());
  if (root) measure.cost = costOf(operation.selectionSet, root, new Set());
  return measure;
}

/** The field `name` of an object or interface type; unions have none but `__typename`. */
function fieldOf(
  parent: GraphQLNamedType,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

function pageSize(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return DEFAULT_PAGE;
  return Math.min(Math.ceil(value), MAX_PAGE_SIZE);
}

function countRootFields(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  seen: ReadonlySet<string>,
): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (!selection.name.value.startsWith('__')) count += 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countRootFields(selection.selectionSet, fragments, seen);
    } else {
      const fragment = fragments.get(selection.name.value);
      if (fragment && !seen.has(fragment.name.value)) {
        count += countRootFields(
          fragment.selectionSet,
          fragments,
          new Set([...seen, fragment.name.value]),
        );
      }
    }
  }
  return count;
}

/** Each limit with the error code and the sentence a client gets beyond it. */
const LIMIT_ERRORS: readonly {
  limit: keyof OperationMeasure;
  code: string;
  says: (found: number, allowed: number) => string;
}[] = [
  {
    limit: 'aliases',
    code: 'TOO_MANY_ALIASES',
    says: (found, allowed) =>
      `The operation uses ${found} aliases; at most ${allowed} are allowed.`,
  },
  {
    limit: 'rootFields',
    code: 'TOO_MANY_ROOT_FIELDS',
    says: (found, allowed) =>
      `The operation asks for ${found} root fields; at most ${allowed} are allowed.`,
  },
  {
    limit: 'directives',
    code: 'TOO_MANY_DIRECTIVES',
    says: (found, allowed) =>
      `The operation uses ${found} directives; at most ${allowed} are allowed.`,
  },
  {
    limit: 'cost',
    code: 'QUERY_TOO_COMPLEX',
    says: (found, allowed) =>
      `The operation would cost ${found} units; at most ${allowed} are allowed. Ask for fewer ` +
      'figures or smaller pages per request.',
  },
];

/** The first limit an operation goes beyond, as the error the client gets; null within all. */
export function limitExceeded(measure: OperationMeasure): GraphQLError | null {
  for (const { limit, code, says } of LIMIT_ERRORS) {
    if (measure[limit] > OPERATION_LIMITS[limit]) {
      return new GraphQLError(says(measure[limit], OPERATION_LIMITS[limit]), {
        extensions: { code, http: { status: 400 } },
      });
    }
  }
  return null;
}

/**
 * Apollo plugin: measures each operation once it is parsed, validated and its variables are
 * known, and refuses it (HTTP 400) before any resolver runs when it goes beyond a limit.
 */
export const operationLimitsPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ schema, document, operation, request }) {
        if (!operation) return;
        const exceeded = limitExceeded(
          measureOperation(schema, document, operation, request.variables ?? {}),
        );
        if (exceeded) throw exceeded;
      },
    };
  },
};
