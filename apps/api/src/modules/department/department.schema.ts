import { builder } from '../../builder.ts';
import { accessOf } from '../city/city.access.ts';
import { City } from '../city/city.schema.ts';
import { groupRows } from '../shared/batch.ts';
import { toPayload } from '../shared/mutation.ts';
import { databaseNodeRef } from '../shared/node-ref.ts';
import { payloadType } from '../shared/user-error.ts';
import { findDepartmentsByIds, findDepartmentsOfCities } from './department.repository.ts';
import { addDepartment } from './department.service.ts';

export const DepartmentType = builder.enumType('DepartmentType', {
  description: 'What a city department does.',
  values: {
    INTERNATIONAL_OFFICE: { description: 'International office (Büro für Internationales).' },
    MAYORS_OFFICE: { description: "Mayor's office." },
    ENVIRONMENT: { description: 'Environment agency.' },
    CLIMATE_PROTECTION: { description: 'Climate protection management.' },
    URBAN_PLANNING: { description: 'Urban planning.' },
    MOBILITY: { description: 'Mobility and transport.' },
    WASTE_MANAGEMENT: { description: 'Waste management.' },
    WATER: { description: 'Water and drainage.' },
    SOCIAL_AFFAIRS: { description: 'Social affairs.' },
    ECONOMIC_DEVELOPMENT: { description: 'Economic development.' },
    CULTURE: { description: 'Culture.' },
    EDUCATION: { description: 'Education.' },
    OTHER: { description: 'Any other department.' },
  } as const,
});

/**
 * Departments as Relay nodes. A city account sees a partner city's department only when it
 * took part in an exchange of a shared partnership; any other id answers "not found".
 */
export const Department = databaseNodeRef('Department', 'department', (context, ids) =>
  findDepartmentsByIds(context.db, ids, accessOf(context)),
);

Department.implement({
  description: 'A department of a city administration that takes part in exchanges.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name of the department.' }),
    type: t.field({
      type: DepartmentType,
      description: 'What the department does.',
      resolve: (department) => department.type,
    }),
    city: t.field({
      type: City,
      description: 'The city the department belongs to.',
      resolve: (department) => department.city_id,
    }),
    isDemo: t.exposeBoolean('is_demo', {
      description: 'True for the synthetic demo data set.',
    }),
  }),
});

builder.objectField(City, 'departments', (t) =>
  t.loadableList({
    type: Department,
    description:
      "The city's departments by name. A city account sees all of its own city's, and of a " +
      'partner city only those that took part in exchanges of their shared partnerships.',
    load: async (ids: number[], context) =>
      groupRows(
        ids,
        await findDepartmentsOfCities(context.db, ids, accessOf(context)),
        (r) => r.city_id,
      ),
    resolve: (city) => city.id,
  }),
);

const AddDepartmentInput = builder.inputType('AddDepartmentInput', {
  description: 'A department to add to a city.',
  fields: (t) => ({
    cityId: t.id({ required: true, description: 'The city.' }),
    name: t.string({ required: true, description: 'The name of the department.' }),
    type: t.field({ type: DepartmentType, required: true, description: 'What it does.' }),
  }),
});

const AddDepartmentPayload = payloadType(
  'AddDepartment',
  'department',
  Department,
  'The department added, or why it was not.',
);

builder.mutationField('addDepartment', (t) =>
  t.field({
    type: AddDepartmentPayload,
    description:
      'Adds a department to a city: city staff to their own city, SKEW administration to any.',
    args: {
      input: t.arg({ type: AddDepartmentInput, required: true, description: 'The department.' }),
    },
    resolve: async (_root, { input }, context) => {
      return toPayload(
        await addDepartment(context, { ...input, cityId: String(input.cityId) }),
        'department',
      );
    },
  }),
);
