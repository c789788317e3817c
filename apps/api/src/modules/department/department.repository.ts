import type { Db } from '@udx/db/database';
import type { Database } from '@udx/db/schema';
import {
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type Selectable,
  type SqlBool,
  sql,
} from 'kysely';
import type { Access } from '../city/city.access.ts';
import type { Executor } from '../shared/transaction.ts';

export type DepartmentRow = Selectable<Database['department']>;

/**
 * Restricts `department` rows to those the viewer may see. A city account sees its own city's
 * departments, and a partner city's only as far as they took part in an exchange of one of its
 * city's partnerships.
 */
function restrictToAccess(
  eb: ExpressionBuilder<Database, 'department'>,
  access: Access,
): Expression<SqlBool> {
  if (access.kind === 'programme') return sql<SqlBool>`true`;
  if (access.kind === 'none') return sql<SqlBool>`false`;
  return eb.or([
    eb('department.city_id', '=', access.cityId),
    eb(
      'department.id',
      'in',
      eb
        .selectFrom('exchange_department')
        .innerJoin(
          'partnership_city',
          'partnership_city.partnership_id',
          'exchange_department.partnership_id',
        )
        .select('exchange_department.department_id')
        .where('partnership_city.city_id', '=', access.cityId),
    ),
  ]);
}

/** Departments by id, as far as `access` lets the viewer see them. */
export function findDepartmentsByIds(
  db: Db,
  ids: readonly number[],
  access: Access,
): Promise<DepartmentRow[]> {
  // anonymous requests read no department (their database role may not even ask)
  if (ids.length === 0 || access.kind === 'none') return Promise.resolve([]);
  return db
    .selectFrom('department')
    .selectAll()
    .where('department.id', 'in', ids)
    .where((eb) => restrictToAccess(eb, access))
    .execute();
}

/** The departments of several cities at once, by name, as far as the viewer may see them. */
export function findDepartmentsOfCities(
  db: Db,
  cityIds: readonly number[],
  access: Access,
): Promise<DepartmentRow[]> {
  if (cityIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('department')
    .selectAll()
    .where('department.city_id', 'in', cityIds)
    .where((eb) => restrictToAccess(eb, access))
    .orderBy('department.name')
    .orderBy('department.id')
    .execute();
}

/** Inserts a department and returns it. */
export function insertDepartment(
  db: Executor,
  department: Insertable<Database['department']>,
): Promise<DepartmentRow> {
  return db.insertInto('department').values(department).returningAll().executeTakeFirstOrThrow();
}

/** Departments by id with their city, for validating input. */
export function findDepartmentCities(db: Executor, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('department').select(['id', 'city_id']).where('id', 'in', ids).execute();
}
