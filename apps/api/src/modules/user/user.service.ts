import type { Role } from '@udx/db/schema';
import { revokeSessionsOfUser } from '../../auth/auth.repository.ts';
import { hashPassword, passwordProblem } from '../../auth/password.ts';
import { forgetFailedSignIns } from '../../auth/sign-in.ts';
import { CITY_ROLES, type Context } from '../../context.ts';
import { insertAuditEntries } from '../audit/audit.repository.ts';
import { cityExists } from '../city/city.repository.ts';
import { decodeNodeId } from '../shared/global-id.ts';
import {
  type ConstraintErrors,
  type MutationResult,
  roleError,
  runMutation,
  throwIfAny,
} from '../shared/mutation.ts';
import type { Executor } from '../shared/transaction.ts';
import { type UserError, userError } from '../shared/user-error.ts';
import {
  findUserForUpdate,
  insertUser,
  type UserChanges,
  type UserRow,
  updateUserById,
} from './user.repository.ts';

/** Who administers accounts (docs/methodology.md, "The data model", accounts and roles). */
const USER_ADMINS: readonly Role[] = ['SKEW_ADMIN'];

const EMAIL_MAX = 254;
const DISPLAY_NAME_MAX = 200;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What the database refuses, said as the input field that caused it. */
export const USER_CONSTRAINTS: ConstraintErrors = {
  app_user_email_unique: userError(
    'CONFLICT',
    'email',
    'An account with this email exists already.',
  ),
  app_user_email_check: userError('VALIDATION', 'email', 'email is not an e-mail address.'),
  app_user_display_name_check: userError(
    'VALIDATION',
    'displayName',
    'displayName must not be empty.',
  ),
  app_user_city_matches_role: userError(
    'VALIDATION',
    'cityId',
    'City accounts need a cityId; programme accounts have none.',
  ),
  app_user_city_id_fkey: userError('NOT_FOUND', 'cityId', 'cityId names no city.'),
};

export interface CreateUserInput {
  email: string;
  displayName: string;
  role: Role;
  cityId?: string | null | undefined;
  password: string;
}

export interface UpdateUserInput {
  id: string;
  displayName?: string | null | undefined;
  role?: Role | null | undefined;
  /** Absent: unchanged (or dropped when the role becomes a programme role); null: none. */
  cityId?: string | null | undefined;
  active?: boolean | null | undefined;
  password?: string | null | undefined;
}

/** What the audit trail keeps of an account: never its password hash. */
function auditedValues(user: UserRow): Record<string, unknown> {
  return {
    email: user.email,
    displayName: user.display_name,
    role: user.role,
    cityId: user.city_id,
    active: user.active,
  };
}

function checkEmail(raw: string, errors: UserError[]): string {
  const email = raw.trim().toLowerCase();
  if (email.length > EMAIL_MAX || !EMAIL_PATTERN.test(email)) {
    errors.push(
      userError('VALIDATION', 'email', 'email must be an e-mail address like name@city.de.'),
    );
  }
  return email;
}

function checkDisplayName(raw: string, errors: UserError[]): string {
  const name = raw.trim();
  if (name === '')
    errors.push(userError('VALIDATION', 'displayName', 'displayName must not be empty.'));
  if (name.length > DISPLAY_NAME_MAX) {
    errors.push(
      userError(
        'VALIDATION',
        'displayName',
        `displayName must have at most ${DISPLAY_NAME_MAX} characters.`,
      ),
    );
  }
  return name;
}

function checkPassword(password: string, errors: UserError[]): void {
  const problem = passwordProblem(password);
  if (problem) errors.push(userError('VALIDATION', 'password', `${problem}.`));
}

function parseCityId(
  raw: string | null | undefined,
  errors: UserError[],
): number | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === null) return null;
  const id = decodeNodeId(raw, 'City');
  if (id === null) errors.push(userError('VALIDATION', 'cityId', 'cityId is not a city id.'));
  return id ?? undefined;
}

/** A city role belongs to one city, a programme role to none (the database says so as well). */
function checkRoleAndCity(role: Role, cityId: number | null, errors: UserError[]): void {
  const cityRole = CITY_ROLES.includes(role);
  if (cityRole && cityId === null) {
    errors.push(userError('VALIDATION', 'cityId', `A ${role} account needs a cityId.`));
  }
  if (!cityRole && cityId !== null) {
    errors.push(
      userError(
        'VALIDATION',
        'cityId',
        `A ${role} account belongs to no city: leave cityId empty.`,
      ),
    );
  }
}

/** A new account as `createUserAccount` takes it: the city by database id. */
export interface NewAccount {
  email: string;
  displayName: string;
  role: Role;
  cityId: number | null;
  password: string;
}

/**
 * Validates and stores a new account with its audit entry (without the password), in one
 * transaction. `actorId` is the administrator creating it, or null for the command line.
 */
export async function createUserAccount(
  db: Executor,
  account: NewAccount,
  actorId: number | null,
): Promise<MutationResult<UserRow>> {
  const errors: UserError[] = [];
  const email = checkEmail(account.email, errors);
  const displayName = checkDisplayName(account.displayName, errors);
  const { role, cityId } = account;
  checkRoleAndCity(role, cityId, errors);
  checkPassword(account.password, errors);
  if (errors.length > 0) return { ok: false, errors };
  // hashing takes a while: done before the transaction, so that it holds no locks meanwhile
  const passwordHash = await hashPassword(account.password);
  return runMutation(db, USER_CONSTRAINTS, async (trx) => {
    if (cityId !== null && !(await cityExists(trx, cityId))) {
      throwIfAny([userError('NOT_FOUND', 'cityId', 'cityId names no city.')]);
    }
    const user = await insertUser(trx, { email, displayName, role, cityId, passwordHash });
    await insertAuditEntries(trx, [
      {
        actorId,
        action: 'CREATE',
        entity: 'app_user',
        entityId: user.id,
        cityIds: user.city_id === null ? [] : [user.city_id],
        oldValues: null,
        newValues: auditedValues(user),
      },
    ]);
    return user;
  });
}

/** Creates an account (SKEW administration only), audited without its password. */
export async function createUser(
  context: Context,
  input: CreateUserInput,
): Promise<MutationResult<UserRow>> {
  const denied = roleError(context.viewer, USER_ADMINS);
  if (denied || !context.viewer) {
    return { ok: false, errors: [denied ?? userError('UNAUTHENTICATED', null, 'Sign in first.')] };
  }
  const errors: UserError[] = [];
  const cityId = parseCityId(input.cityId, errors) ?? null;
  if (errors.length > 0) return { ok: false, errors };
  return createUserAccount(
    context.db,
    {
      email: input.email,
      displayName: input.displayName,
      role: input.role,
      cityId,
      password: input.password,
    },
    context.viewer.userId,
  );
}

/**
 * Changes an account (SKEW administration only): name, role, city, active, password. A
 * deactivated account and one whose password was reset lose their sessions at once. An
 * administrator cannot deactivate or demote their own account, so that one is always left.
 */
export async function updateUser(
  context: Context,
  input: UpdateUserInput,
): Promise<MutationResult<UserRow>> {
  const denied = roleError(context.viewer, USER_ADMINS);
  if (denied || !context.viewer)
    return { ok: false, errors: [denied ?? userError('UNAUTHENTICATED', null, 'Sign in first.')] };
  const viewer = context.viewer;
  const errors: UserError[] = [];
  const id = decodeNodeId(input.id, 'User');
  if (id === null)
    return { ok: false, errors: [userError('NOT_FOUND', 'id', 'id names no account.')] };
  const displayName =
    input.displayName == null ? undefined : checkDisplayName(input.displayName, errors);
  const cityId = parseCityId(input.cityId, errors);
  if (input.password != null) checkPassword(input.password, errors);
  if (errors.length > 0) return { ok: false, errors };
  const passwordHash = input.password == null ? undefined : await hashPassword(input.password);

  return runMutation(context.db, USER_CONSTRAINTS, async (trx) => {
    const old = await findUserForUpdate(trx, id);
    if (!old) throwIfAny([userError('NOT_FOUND', 'id', 'id names no account.')]);
    const before = old as UserRow;
    const role = input.role ?? before.role;
    const newCityId =
      cityId !== undefined ? cityId : CITY_ROLES.includes(role) ? before.city_id : null;
    const late: UserError[] = [];
    checkRoleAndCity(role, newCityId, late);
    if (before.id === viewer.userId && (input.active === false || role !== 'SKEW_ADMIN')) {
      late.push(
        userError(
          'FORBIDDEN',
          input.active === false ? 'active' : 'role',
          'You cannot deactivate or demote your own account.',
        ),
      );
    }
    if (newCityId !== null && newCityId !== before.city_id && !(await cityExists(trx, newCityId))) {
      late.push(userError('NOT_FOUND', 'cityId', 'cityId names no city.'));
    }
    throwIfAny(late);

    const changes: UserChanges = {};
    if (displayName !== undefined && displayName !== before.display_name)
      changes.displayName = displayName;
    if (role !== before.role) changes.role = role;
    if (newCityId !== before.city_id) changes.cityId = newCityId;
    if (input.active != null && input.active !== before.active) changes.active = input.active;
    if (passwordHash !== undefined) changes.passwordHash = passwordHash;
    if (Object.keys(changes).length === 0) return before;

    const after = await updateUserById(trx, id, changes);
    if (changes.active === false || changes.passwordHash !== undefined) {
      await revokeSessionsOfUser(trx, id);
    }
    // a new password: the owner's earlier failed guesses no longer make anyone wait
    if (changes.passwordHash !== undefined) await forgetFailedSignIns(trx, after.email);
    const oldValues = auditedValues(before);
    const newValues = auditedValues(after);
    const changed = Object.keys(newValues).filter((key) => oldValues[key] !== newValues[key]);
    await insertAuditEntries(trx, [
      {
        actorId: viewer.userId,
        action: 'UPDATE',
        entity: 'app_user',
        entityId: id,
        cityIds: [before.city_id, after.city_id].filter((c): c is number => c !== null),
        oldValues: Object.fromEntries(changed.map((key) => [key, oldValues[key]])),
        newValues: {
          ...Object.fromEntries(changed.map((key) => [key, newValues[key]])),
          ...(changes.passwordHash !== undefined ? { passwordChanged: true } : {}),
        },
      },
    ]);
    return after;
  });
}
