import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { GraphQLError, Kind } from 'graphql';
import { z } from 'zod';
import { type Context, SKEW_ROLES } from './context.ts';
import { MAX_PAGE_SIZE } from './modules/shared/connection.ts';

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Accepts only real calendar dates written `YYYY-MM-DD`, from the year 1: there is no year 0
 * (1 BC is followed by AD 1), and PostgreSQL refuses one, though JavaScript's Date takes it.
 */
export function isCalendarDate(value: string): boolean {
  if (!DATE_PATTERN.test(value) || value.startsWith('0000')) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A page size as `first` and `last` take it: refused above MAX_PAGE_SIZE, never cut short. */
function pageSizeArg(name: 'first' | 'last') {
  return z
    .number()
    .int()
    .min(0, `${name} must not be negative`)
    .max(MAX_PAGE_SIZE, `${name} must be at most ${MAX_PAGE_SIZE}: ask for more pages with after`);
}

/**
 * The one SchemaBuilder of the API: plugins, context, scalars and the rights vocabulary.
 * Types and fields live in their feature modules (`modules/<feature>/<feature>.schema.ts`).
 */
export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  // Connections as the contract writes them: `edges: [XEdge!]!` with `node: X!`.
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Scalars: {
    Date: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date | string };
    ID: { Input: string; Output: string | number };
  };
  AuthScopes: {
    /** Any signed-in account. */
    signedIn: boolean;
    /** SKEW evaluation and administration: drafts, reviews, targets. */
    skew: boolean;
    /** SKEW administration: cities, partnerships, users, indicator definitions. */
    admin: boolean;
  };
}>({
  defaultFieldNullability: false,
  plugins: [ScopeAuthPlugin, RelayPlugin, DataloaderPlugin, ValidationPlugin],
  scopeAuth: {
    authScopes: (context) => {
      const role = context.viewer?.role;
      return {
        signedIn: role !== undefined,
        skew: role !== undefined && SKEW_ROLES.includes(role),
        admin: role === 'SKEW_ADMIN',
      };
    },
    // A refused field answers with an error that names no data.
    unauthorizedError: () => new GraphQLError('Not allowed', { extensions: { code: 'FORBIDDEN' } }),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false, description: 'The items of this page, in order.' },
    nodeFieldOptions: { nullable: false, description: 'The item.' },
    // The API documents itself: the relay plugin's types and arguments get descriptions too.
    nodeTypeOptions: { description: 'An object with a global id, fetchable with `Query.node`.' },
    idFieldOptions: { description: 'The global id (Relay style), stable across requests.' },
    nodeQueryOptions: {
      description:
        'Any object by its global id; null (with an error) if the viewer may not see it.',
      args: { id: { description: 'A global id, as `id` fields return them.' } },
    },
    nodesQueryOptions: {
      description: 'Several objects by their global ids, in the same order.',
      args: { ids: { description: 'Global ids, as `id` fields return them.' } },
    },
    pageInfoTypeOptions: { description: 'Where a page lies in its list.' },
    pageInfoFieldOptions: { description: 'Where this page lies in the list.' },
    hasNextPageFieldOptions: { description: 'True when there are items after this page.' },
    hasPreviousPageFieldOptions: { description: 'True when there are items before this page.' },
    startCursorFieldOptions: { description: 'The cursor of the first item of the page.' },
    endCursorFieldOptions: { description: 'The cursor of the last item; pass it as `after`.' },
    cursorFieldOptions: { description: 'Where this item lies in the list, for `after`/`before`.' },
    firstArgOptions: {
      description: `At most this many items from the start (or from \`after\`); ${MAX_PAGE_SIZE} at most.`,
      validate: pageSizeArg('first'),
    },
    lastArgOptions: {
      description: `At most this many items from the end (or before \`before\`); ${MAX_PAGE_SIZE} at most.`,
      validate: pageSizeArg('last'),
    },
    afterArgOptions: { description: 'Only items after this cursor.' },
    beforeArgOptions: { description: 'Only items before this cursor.' },
  },
});

builder.scalarType('Date', {
  description: 'A calendar date, written `YYYY-MM-DD`.',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== 'string' || !isCalendarDate(value)) {
      throw new GraphQLError('A date must be written YYYY-MM-DD and exist in the calendar');
    }
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || !isCalendarDate(ast.value)) {
      throw new GraphQLError('A date must be written YYYY-MM-DD and exist in the calendar');
    }
    return ast.value;
  },
});

builder.scalarType('DateTime', {
  description: 'A point in time, ISO 8601 with time zone.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : String(value)),
  parseValue: (value) => {
    const date = new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new GraphQLError('Not an ISO 8601 date-time');
    // the years of a `Date` (isCalendarDate): JavaScript takes years PostgreSQL's timestamps
    // do not (0, before 4713 BC, after 294276), and they failed inside the resolver
    const year = date.getUTCFullYear();
    if (year < 1 || year > 9999) {
      throw new GraphQLError('A date-time must lie in the years 0001 to 9999');
    }
    return date;
  },
});

builder.queryType({});
builder.mutationType({});
