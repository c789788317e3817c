import type { Role as RoleName } from '@udx/db/schema';
import { type SignInAnswer, signInRequest, signOutRequest } from '../../auth/request-session.ts';
import { builder } from '../../builder.ts';
import { City } from '../city/city.schema.ts';
import { resolveCountedConnection, resolveTotalCount } from '../shared/connection.ts';
import { decodeNodeId } from '../shared/global-id.ts';
import { toPayload } from '../shared/mutation.ts';
import { payloadType, type UserError, UserErrorRef } from '../shared/user-error.ts';
import { countUsers, findUsersByIds, findUsersPage, type UserRow } from './user.repository.ts';
import { createUser, updateUser } from './user.service.ts';

export const Role = builder.enumType('Role', {
  description: 'What an account may see and change (docs/methodology.md, "The data model").',
  values: {
    FOREIGN_OFFICE: {
      description:
        'Federal Foreign Office monitoring: programme-wide figures, approved values only; changes nothing.',
    },
    SKEW_EVALUATOR: {
      description:
        'SKEW programme evaluation: everything, drafts included; reviews values, edits targets.',
    },
    SKEW_ADMIN: {
      description:
        'SKEW administration: everything, including cities, partnerships, users and indicators.',
    },
    CITY_EDITOR: {
      description:
        "City staff: their city and its partnerships; record their city's exchanges, outcomes and values.",
    },
    CITY_VIEWER: { description: 'City reader: sees what a city editor sees, changes nothing.' },
  } as const satisfies Record<RoleName, { description: string }>,
});

/** Accounts as the API shows them; reachable only by their owner, administrators and SKEW's audit log. */
export const User = builder.objectRef<UserRow>('User');

User.implement({
  description: 'An account of udx.',
  fields: (t) => ({
    id: t.globalID({
      description: 'The global id of the account (for updateUser).',
      resolve: (user) => ({ type: 'User', id: user.id }),
    }),
    email: t.exposeString('email', {
      description: 'The e-mail address the account signs in with.',
    }),
    displayName: t.exposeString('display_name', { description: 'The name shown for the account.' }),
    role: t.field({
      type: Role,
      description: 'What the account may do.',
      resolve: (user) => user.role,
    }),
    city: t.field({
      type: City,
      nullable: true,
      description: 'The city of a city account; null for programme accounts.',
      resolve: (user) => user.city_id,
    }),
    active: t.exposeBoolean('active', {
      description: 'False once deactivated: the account can no longer sign in.',
    }),
    isDemo: t.exposeBoolean('is_demo', {
      description: 'True for the accounts of the demo data set.',
    }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When the account was created.',
      resolve: (user) => user.created_at,
    }),
  }),
});

builder.queryField('me', (t) =>
  t.field({
    type: User,
    nullable: true,
    description: 'The signed-in account; null for anonymous requests.',
    resolve: async (_root, _args, context) => {
      if (!context.viewer) return null;
      const [user] = await findUsersByIds(context.db, [context.viewer.userId]);
      return user ?? null;
    },
  }),
);

builder.queryField('users', (t) =>
  t.connection(
    {
      type: User,
      description: 'Every account, ordered by e-mail address. SKEW administration only.',
      authScopes: { admin: true },
      args: {
        role: t.arg({ type: Role, required: false, description: 'Only accounts with this role.' }),
        cityId: t.arg.id({ required: false, description: 'Only accounts of this city.' }),
        active: t.arg.boolean({
          required: false,
          description: 'Only active (true) or only deactivated (false) accounts.',
        }),
      },
      resolve: async (_root, args, context) => {
        const cityId = args.cityId == null ? undefined : (decodeNodeId(args.cityId, 'City') ?? 0);
        const filter = {
          role: args.role ?? undefined,
          cityId,
          active: args.active ?? undefined,
        };
        return resolveCountedConnection(
          args,
          (page) => findUsersPage(context.db, filter, page),
          () => countUsers(context.db, filter),
        );
      },
    },
    {
      name: 'UserConnection',
      description: 'A page of accounts.',
      fields: (c) => ({
        totalCount: c.int({
          description: 'How many accounts the whole list has.',
          resolve: resolveTotalCount,
        }),
      }),
    },
    { name: 'UserEdge', description: 'An account in a page of accounts.' },
  ),
);

// ── Sign-in and sign-out ──────────────────────────────────────────────────────────────────────

const SignInPayload = builder.objectRef<SignInAnswer>('SignInPayload').implement({
  description: 'The answer to signIn: a session, or why there is none.',
  fields: (t) => ({
    token: t.exposeString('token', {
      nullable: true,
      description:
        'The session token, for scripts: send it as `Authorization: Bearer <token>`. Browsers ' +
        'get the same session as an HttpOnly cookie and need not keep it.',
    }),
    user: t.field({
      type: User,
      nullable: true,
      description: 'The account signed in to; null when sign-in failed.',
      resolve: (payload) => payload.user,
    }),
    errors: t.field({
      type: [UserErrorRef],
      description: 'Empty on success.',
      resolve: (payload) => payload.errors,
    }),
  }),
});

builder.mutationField('signIn', (t) =>
  t.field({
    type: SignInPayload,
    description:
      'Signs in with e-mail address and password: sets the HttpOnly session cookie and returns ' +
      'a bearer token. A wrong address or password gets one and the same error; after five ' +
      'failures an account must wait before each further attempt. Must be the only field of ' +
      'its operation; beside any other, the operation is refused before anything runs.',
    args: {
      email: t.arg.string({ required: true, description: 'The e-mail address of the account.' }),
      password: t.arg.string({ required: true, description: 'The password of the account.' }),
    },
    resolve: (_root, args, context) => signInRequest(context, args.email, args.password),
  }),
);

const SignOutPayload = builder.objectRef<{ errors: UserError[] }>('SignOutPayload').implement({
  description: 'The answer to signOut.',
  fields: (t) => ({
    errors: t.field({
      type: [UserErrorRef],
      description: 'Empty on success.',
      resolve: (payload) => payload.errors,
    }),
  }),
});

builder.mutationField('signOut', (t) =>
  t.field({
    type: SignOutPayload,
    description:
      'Ends the session the request came with (its cookie or bearer token is refused from now ' +
      'on) and clears the session cookie. Harmless when not signed in. Must be the only field ' +
      'of its operation; beside any other, the operation is refused before anything runs.',
    resolve: async (_root, _args, context) => {
      await signOutRequest(context);
      return { errors: [] };
    },
  }),
);

// ── User administration ───────────────────────────────────────────────────────────────────────

const CreateUserInputRef = builder.inputType('CreateUserInput', {
  description: 'A new account.',
  fields: (t) => ({
    email: t.string({ required: true, description: 'The e-mail address it signs in with.' }),
    displayName: t.string({ required: true, description: 'The name shown for it.' }),
    role: t.field({ type: Role, required: true, description: 'What it may do.' }),
    cityId: t.id({
      required: false,
      description: 'Its city: required for CITY_EDITOR and CITY_VIEWER, empty otherwise.',
    }),
    password: t.string({
      required: true,
      description: 'Its first password, at least 12 characters. Stored only as an Argon2id hash.',
    }),
  }),
});

const UpdateUserInputRef = builder.inputType('UpdateUserInput', {
  description: 'Changes to an account; fields left out stay as they are.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The account to change.' }),
    displayName: t.string({ required: false, description: 'A new display name.' }),
    role: t.field({ type: Role, required: false, description: 'A new role.' }),
    cityId: t.id({
      required: false,
      description:
        'A new city (city roles). Left out, a city account keeps its city; it is dropped when ' +
        'the role becomes a programme role.',
    }),
    active: t.boolean({
      required: false,
      description: 'False deactivates the account and ends its sessions; true reactivates it.',
    }),
    password: t.string({
      required: false,
      description: "A new password (at least 12 characters); ends the account's sessions.",
    }),
  }),
});

const CreateUserPayload = payloadType('CreateUser', 'user', User, 'The answer to createUser.');
const UpdateUserPayload = payloadType('UpdateUser', 'user', User, 'The answer to updateUser.');

builder.mutationField('createUser', (t) =>
  t.field({
    type: CreateUserPayload,
    description: 'Creates an account. SKEW administration only; audited without the password.',
    args: {
      input: t.arg({ type: CreateUserInputRef, required: true, description: 'The account.' }),
    },
    resolve: async (_root, { input }, context) => {
      return toPayload(await createUser(context, input), 'user');
    },
  }),
);

builder.mutationField('updateUser', (t) =>
  t.field({
    type: UpdateUserPayload,
    description:
      'Changes an account: name, role, city, password, or deactivates it. SKEW administration ' +
      'only; audited without the password.',
    args: {
      input: t.arg({ type: UpdateUserInputRef, required: true, description: 'The changes.' }),
    },
    resolve: async (_root, { input }, context) => {
      return toPayload(await updateUser(context, input), 'user');
    },
  }),
);
