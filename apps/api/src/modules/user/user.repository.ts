import type { Database, Role } from '@udx/db/schema';
import type { Selectable } from 'kysely';
import { countQueryRows, type Page } from '../shared/paging.ts';
import type { Executor } from '../shared/transaction.ts';

/** An account as the API shows it: everything but the password hash and sign-in counters. */
export type UserRow = Pick<
  Selectable<Database['app_user']>,
  'id' | 'email' | 'display_name' | 'role' | 'city_id' | 'active' | 'is_demo' | 'created_at'
>;

const userColumns = [
  'id',
  'email',
  'display_name',
  'role',
  'city_id',
  'active',
  'is_demo',
  'created_at',
] as const;

/** Which accounts a list shows. */
export interface UserFilter {
  role?: Role | undefined;
  cityId?: number | undefined;
  active?: boolean | undefined;
}

/** Accounts by id, for dataloaders; unknown ids are simply absent. */
export function findUsersByIds(db: Executor, ids: readonly number[]): Promise<UserRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('app_user').select(userColumns).where('id', 'in', ids).execute();
}

function filteredUsers(db: Executor, filter: UserFilter) {
  let query = db.selectFrom('app_user');
  if (filter.role !== undefined) query = query.where('role', '=', filter.role);
  if (filter.cityId !== undefined) query = query.where('city_id', '=', filter.cityId);
  if (filter.active !== undefined) query = query.where('active', '=', filter.active);
  return query;
}

/** One page of accounts, ordered by e-mail address. */
export function findUsersPage(db: Executor, filter: UserFilter, page: Page): Promise<UserRow[]> {
  return filteredUsers(db, filter)
    .select(userColumns)
    .orderBy('email')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** How many accounts a filtered list has. */
export function countUsers(db: Executor, filter: UserFilter): Promise<number> {
  return countQueryRows(filteredUsers(db, filter));
}

/** One account, locked for the rest of the transaction (it is about to change). */
export async function findUserForUpdate(db: Executor, id: number): Promise<UserRow | null> {
  const row = await db
    .selectFrom('app_user')
    .select(userColumns)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row ?? null;
}

export interface NewUser {
  email: string;
  displayName: string;
  role: Role;
  cityId: number | null;
  passwordHash: string;
}

/** Stores a new account. */
export function insertUser(db: Executor, user: NewUser): Promise<UserRow> {
  return db
    .insertInto('app_user')
    .values({
      email: user.email,
      display_name: user.displayName,
      role: user.role,
      city_id: user.cityId,
      password_hash: user.passwordHash,
    })
    .returning(userColumns)
    .executeTakeFirstOrThrow();
}

export interface UserChanges {
  displayName?: string;
  role?: Role;
  cityId?: number | null;
  active?: boolean;
  passwordHash?: string;
}

/** Changes an account. */
export function updateUserById(db: Executor, id: number, changes: UserChanges): Promise<UserRow> {
  return db
    .updateTable('app_user')
    .set({
      ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      ...(changes.cityId !== undefined ? { city_id: changes.cityId } : {}),
      ...(changes.active !== undefined ? { active: changes.active } : {}),
      ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
    })
    .where('id', '=', id)
    .returning(userColumns)
    .executeTakeFirstOrThrow();
}

/** Up to `limit` accounts flagged as demo or with an address ending in `emailSuffix`. */
export function findDemoAccounts(
  db: Executor,
  emailSuffix: string,
  limit: number,
): Promise<Pick<UserRow, 'email'>[]> {
  return db
    .selectFrom('app_user')
    .select(['email'])
    .where((eb) => eb.or([eb('is_demo', '=', true), eb('email', 'like', `%${emailSuffix}`)]))
    .limit(limit)
    .execute();
}
