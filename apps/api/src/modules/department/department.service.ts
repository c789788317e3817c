import type { DepartmentType } from '@udx/db/schema';
import type { Context } from '../../context.ts';
import { insertAuditEntryOfWrite } from '../audit/audit.repository.ts';
import { cityExists } from '../city/city.repository.ts';
import {
  type ConstraintErrors,
  checkRoleAndId,
  type MutationResult,
  runMutation,
} from '../shared/mutation.ts';
import { UserErrorException, userError } from '../shared/user-error.ts';
import { type DepartmentRow, insertDepartment } from './department.repository.ts';

const DEPARTMENT_CONSTRAINTS: ConstraintErrors = {
  department_city_id_name_key: userError(
    'CONFLICT',
    'name',
    'The city has a department of this name already.',
  ),
  department_name_check: userError('VALIDATION', 'name', 'name must not be empty.'),
  department_city_id_fkey: userError('NOT_FOUND', 'cityId', 'cityId names no city.'),
};

export interface AddDepartmentArgs {
  cityId: string;
  name: string;
  type: DepartmentType;
}

/**
 * Adds a department to a city: city staff to their own city, SKEW administration to any.
 */
export async function addDepartment(
  context: Context,
  input: AddDepartmentArgs,
): Promise<MutationResult<DepartmentRow>> {
  const checked = checkRoleAndId(context.viewer, ['SKEW_ADMIN', 'CITY_EDITOR'], input.cityId, {
    field: 'cityId',
    typename: 'City',
    message: 'cityId is not a city id.',
  });
  if (!checked.ok) return checked;
  const cityId = checked.value;
  const viewer = context.viewer;
  if (viewer?.role === 'CITY_EDITOR' && viewer.cityId !== cityId) {
    return {
      ok: false,
      errors: [
        userError('FORBIDDEN', 'cityId', 'City staff add departments to their own city only.'),
      ],
    };
  }
  const name = input.name.trim();
  if (name === '' || name.length > 200) {
    return {
      ok: false,
      errors: [userError('VALIDATION', 'name', 'name must have 1 to 200 characters.')],
    };
  }
  return runMutation(context.db, DEPARTMENT_CONSTRAINTS, async (trx) => {
    if (!(await cityExists(trx, cityId)))
      throw new UserErrorException([userError('NOT_FOUND', 'cityId', 'cityId names no city.')]);
    const department = await insertDepartment(trx, { city_id: cityId, name, type: input.type });
    await insertAuditEntryOfWrite(trx, viewer, 'department', department.id, [cityId], null, {
      cityId,
      name,
      type: input.type,
    });
    return department;
  });
}
