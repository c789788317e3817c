import type { Role } from '@udx/db/schema';
import { sql } from 'kysely';
import type { Viewer } from '../../context.ts';
import { decodeNodeId } from './global-id.ts';
import { type Executor, runInTransaction } from './transaction.ts';
import { type UserError, UserErrorException, userError } from './user-error.ts';

/** The typed error a named database constraint stands for (the constraint names of the migration). */
export type ConstraintErrors = Readonly<Record<string, UserError>>;

export type MutationResult<T> = { ok: true; value: T } | { ok: false; errors: UserError[] };

/** A service result as a mutation payload, with the changed object under `field`. */
export function toPayload<T>(result: MutationResult<T>, field: string) {
  return result.ok ? { [field]: result.value, errors: [] } : { errors: result.errors };
}

const SAVEPOINT = sql.raw('udx_mutation');

/**
 * Runs the writes of one mutation atomically and turns expected failures into payload errors:
 * a thrown UserErrorException (validation found late, inside the transaction) and database
 * constraint violations (mapped through `constraints`, never a 500). When `db` is already a
 * request-wide transaction, a savepoint keeps a failed mutation from leaving half its writes
 * in it, and keeps the transaction usable after a constraint violation.
 */
export async function runMutation<T>(
  db: Executor,
  constraints: ConstraintErrors,
  fn: (trx: Executor) => Promise<T>,
): Promise<MutationResult<T>> {
  try {
    const value = await runInTransaction(db, (trx) =>
      db.isTransaction ? withSavepoint(trx, fn) : fn(trx),
    );
    return { ok: true, value };
  } catch (error) {
    if (error instanceof UserErrorException) return { ok: false, errors: error.errors };
    const mapped = constraintError(error, constraints);
    if (mapped) return { ok: false, errors: [mapped] };
    throw error;
  }
}

async function withSavepoint<T>(trx: Executor, fn: (trx: Executor) => Promise<T>): Promise<T> {
  await sql`savepoint ${SAVEPOINT}`.execute(trx);
  try {
    const value = await fn(trx);
    await sql`release savepoint ${SAVEPOINT}`.execute(trx);
    return value;
  } catch (error) {
    await sql`rollback to savepoint ${SAVEPOINT}`.execute(trx);
    throw error;
  }
}

interface DatabaseErrorLike {
  code?: unknown;
  constraint?: unknown;
}

/**
 * The payload error for a PostgreSQL integrity violation (unique 23505, check 23514, foreign key
 * 23503, not null 23502), or null when `error` is something else. Both engines (pg and PGlite)
 * report the SQLSTATE as `code` and the violated constraint's name as `constraint`.
 */
export function constraintError(error: unknown, constraints: ConstraintErrors): UserError | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, constraint } = error as DatabaseErrorLike;
  if (typeof code !== 'string' || !['23505', '23514', '23503', '23502'].includes(code)) return null;
  if (typeof constraint === 'string' && constraints[constraint]) return constraints[constraint];
  if (code === '23505') return userError('CONFLICT', null, 'This record exists already.');
  if (code === '23503') return userError('NOT_FOUND', null, 'A record referred to does not exist.');
  return userError('VALIDATION', null, 'The input breaks a rule of the data model.');
}

/** Prefixes the field of errors found in one element of a list input, e.g. `values.2.`. */
export function prefixErrors(errors: readonly UserError[], prefix: string): UserError[] {
  return errors.map((e) => ({
    ...e,
    field: e.field === null ? prefix.replace(/\.$/, '') : `${prefix}${e.field}`,
  }));
}

/**
 * The error for a viewer who may not run a mutation at all: UNAUTHENTICATED when nobody is
 * signed in, FORBIDDEN when the role has no right to it (docs/methodology.md, "The data model",
 * accounts and roles); null when allowed.
 */
export function roleError(viewer: Viewer | null, roles: readonly Role[]): UserError | null {
  if (!viewer) return userError('UNAUTHENTICATED', null, 'Sign in first.');
  if (!roles.includes(viewer.role)) {
    return userError('FORBIDDEN', null, 'Your account may not make this change.');
  }
  return null;
}

/**
 * Refuses `null` for fields an update may change but not clear, in the order given: `fields`
 * keep a value, `lists` are emptied with [] rather than null.
 */
export function refuseNulls<Input>(
  input: Input,
  fields: readonly (keyof Input & string)[],
  lists: readonly (keyof Input & string)[],
  errors: UserError[],
): void {
  for (const field of fields) {
    if (input[field] === null)
      errors.push(userError('VALIDATION', field, `${field} cannot be cleared.`));
  }
  for (const field of lists) {
    if (input[field] === null) {
      errors.push(
        userError('VALIDATION', field, `${field} cannot be null; give an empty list instead.`),
      );
    }
  }
}

/** Throws the errors collected so far, rolling back the mutation's transaction. */
export function throwIfAny(errors: readonly UserError[]): void {
  if (errors.length > 0) throw new UserErrorException([...errors]);
}

/** Which record an input field names by its Relay id, and what to answer when it names none. */
export interface NodeIdField {
  field: string;
  typename: string;
  /** The VALIDATION message for an id that is not one of `typename`. */
  message: string;
}

/**
 * The checks a mutation of one record makes before it opens a transaction: may the viewer run
 * it at all (see roleError), then is `globalId` an id of the expected type. The record's
 * database id, or the errors to answer with.
 */
export function checkRoleAndId(
  viewer: Viewer | null,
  roles: readonly Role[],
  globalId: string,
  id: NodeIdField,
): MutationResult<number> {
  const denied = roleError(viewer, roles);
  if (denied) return { ok: false, errors: [denied] };
  const value = decodeNodeId(globalId, id.typename);
  if (value === null) return { ok: false, errors: [userError('VALIDATION', id.field, id.message)] };
  return { ok: true, value };
}
