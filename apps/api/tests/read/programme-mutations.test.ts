import { encodeGlobalID } from '@pothos/plugin-relay';
import type { DatabaseHandle } from '@udx/db/database';
import { createTestDatabase, testEngines } from '@udx/db/testing';
import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/context.ts';
import { schema } from '../../src/schema.ts';
import { contextFor } from './programme-fixture.ts';
import type { Json } from './server.ts';

describe.each(testEngines())('cities, partnerships and departments added on %s', (engine) => {
  let handle: DatabaseHandle;
  let admin: Viewer;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    const user = await handle.db
      .insertInto('app_user')
      .values({
        email: 'admin@test.udx',
        display_name: 'Admin',
        role: 'SKEW_ADMIN',
        password_hash: 'x',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    admin = {
      userId: user.id,
      sessionId: 1,
      email: 'admin@test.udx',
      displayName: 'Admin',
      role: 'SKEW_ADMIN',
      cityId: null,
    };
  });
  afterAll(async () => {
    await handle?.close();
  });

  const run = async (viewer: Viewer | null, source: string, input: unknown): Promise<Json> =>
    (
      await graphql({
        schema,
        source,
        variableValues: { input },
        contextValue: contextFor(handle.db, viewer),
      })
    ).data;

  const CREATE_CITY = `mutation ($input: CreateCityInput!) {
    createCity(input: $input) { city { id name countryCode } errors { code field message } } }`;
  const CREATE_PARTNERSHIP = `mutation ($input: CreatePartnershipInput!) {
    createPartnership(input: $input) {
      partnership { germanCity { name } partnerCity { name } topics { code } sdgs { number } }
      errors { code field message } } }`;
  const ADD_DEPARTMENT = `mutation ($input: AddDepartmentInput!) {
    addDepartment(input: $input) { department { name type city { name } } errors { code field message } } }`;

  it('lets SKEW administration build a partnership, and records who did', async () => {
    const bonn = await run(admin, CREATE_CITY, {
      name: 'Bonn',
      countryCode: 'de',
      population: 330000,
    });
    const laCrosse = await run(admin, CREATE_CITY, { name: 'La Crosse', countryCode: 'US' });
    expect(bonn.createCity).toMatchObject({
      city: { name: 'Bonn', countryCode: 'DE' },
      errors: [],
    });
    const created = await run(admin, CREATE_PARTNERSHIP, {
      germanCityId: bonn.createCity.city.id,
      partnerCityId: laCrosse.createCity.city.id,
      twinnedSince: 1990,
      topics: ['SPONGE_CITY'],
    });
    expect(created.createPartnership).toEqual({
      partnership: {
        germanCity: { name: 'Bonn' },
        partnerCity: { name: 'La Crosse' },
        topics: [{ code: 'SPONGE_CITY' }],
        sdgs: [6, 11, 13, 16, 17].map((number) => ({ number })),
      },
      errors: [],
    });
    const department = await run(admin, ADD_DEPARTMENT, {
      cityId: bonn.createCity.city.id,
      name: 'Umweltamt',
      type: 'ENVIRONMENT',
    });
    expect(department.addDepartment).toEqual({
      department: { name: 'Umweltamt', type: 'ENVIRONMENT', city: { name: 'Bonn' } },
      errors: [],
    });
    const audit = await handle.db
      .selectFrom('audit_entry')
      .select(['entity', 'actor_id'])
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.entity)).toEqual(['city', 'city', 'partnership', 'department']);
    expect(new Set(audit.map((a) => a.actor_id))).toEqual(new Set([admin.userId]));
  });

  it('answers mistakes with typed errors naming the field, and writes nothing', async () => {
    const before = await handle.db.selectFrom('city').select('id').execute();
    const duplicate = await run(admin, CREATE_CITY, { name: 'Bonn', countryCode: 'DE' });
    expect(duplicate.createCity).toEqual({
      city: null,
      errors: [{ code: 'CONFLICT', field: 'name', message: expect.any(String) }],
    });
    const bad = await run(admin, CREATE_CITY, {
      name: ' ',
      countryCode: 'Deutschland',
      latitude: 100,
    });
    expect(bad.createCity.errors.map((e: Json) => e.field)).toEqual([
      'name',
      'countryCode',
      'latitude',
    ]);
    const wrongId = await run(admin, CREATE_PARTNERSHIP, {
      germanCityId: encodeGlobalID('Partnership', '1'),
      partnerCityId: encodeGlobalID('City', '999999'),
    });
    expect(wrongId.createPartnership.errors.map((e: Json) => e.field)).toEqual(['germanCityId']);
    expect(await handle.db.selectFrom('city').select('id').execute()).toEqual(before);
  });

  it('refuses these changes to anonymous requests and to other roles', async () => {
    const city = await handle.db
      .selectFrom('city')
      .select('id')
      .where('name', '=', 'Bonn')
      .executeTakeFirstOrThrow();
    const cityId = encodeGlobalID('City', String(city.id));
    const anonymous = await run(null, CREATE_CITY, { name: 'Köln', countryCode: 'DE' });
    expect(anonymous.createCity.errors[0].code).toBe('UNAUTHENTICATED');
    const otherEditor: Viewer = { ...admin, role: 'CITY_EDITOR', cityId: city.id + 1000 };
    const refused = await run(otherEditor, ADD_DEPARTMENT, {
      cityId,
      name: 'Kulturamt',
      type: 'CULTURE',
    });
    expect(refused.addDepartment.errors[0]).toMatchObject({ code: 'FORBIDDEN', field: 'cityId' });
  });
});
