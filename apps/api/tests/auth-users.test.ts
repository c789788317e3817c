import { encodeGlobalID } from '@pothos/plugin-relay';
import type { DatabaseHandle } from '@udx/db/database';
import { createTestDatabase, testEngines } from '@udx/db/testing';
import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withViewerScope } from '../src/auth/row-level-security.ts';
import type { Context, Viewer } from '../src/context.ts';
import { schema } from '../src/schema.ts';
import type { Json } from './auth-helpers.ts';
import { insertRlsFixture, type RlsFixture, viewerOf } from './rls-fixture.ts';

const CREATE_USER = /* GraphQL */ `
  mutation Create($input: CreateUserInput!) {
    createUser(input: $input) {
      user { id email displayName role city { name } active }
      errors { code field message }
    }
  }
`;
const UPDATE_USER = /* GraphQL */ `
  mutation Update($input: UpdateUserInput!) {
    updateUser(input: $input) {
      user { id email displayName role city { name } active }
      errors { code field message }
    }
  }
`;
const AUDIT_LOG = /* GraphQL */ `
  query Audit($entity: String, $entityId: ID, $actorEmail: String, $first: Int) {
    auditLog(entity: $entity, entityId: $entityId, actorEmail: $actorEmail, first: $first) {
      totalCount
      edges { node { action entity entityId actorEmail actor { email } cities { name } oldValues newValues at } }
    }
  }
`;

describe.each(testEngines())('user administration and the audit log on %s', (engine) => {
  let handle: DatabaseHandle;
  let f: RlsFixture;
  let admin: Viewer;
  let evaluator: Viewer;
  let monitor: Viewer;
  let editorA: Viewer;
  let viewerA: Viewer;

  async function run(
    viewer: Viewer | null,
    source: string,
    variableValues: Record<string, unknown> = {},
  ) {
    const contextValue: Context = {
      db: handle.db,
      viewer,
      language: 'en',
      response: { setCookies: [] },
    };
    return (await graphql({ schema, source, variableValues, contextValue })) as {
      data?: Json;
      errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
    };
  }
  const userCount = async () =>
    Number(
      (
        await handle.db
          .selectFrom('app_user')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    f = await insertRlsFixture(handle.db);
    const adminRow = await handle.db
      .insertInto('app_user')
      .values({
        email: 'admin@skew.example',
        display_name: 'Admin',
        role: 'SKEW_ADMIN',
        password_hash: 'not a real hash',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    admin = viewerOf(adminRow.id, 'SKEW_ADMIN', null);
    evaluator = viewerOf(f.user.evaluator, 'SKEW_EVALUATOR', null);
    monitor = viewerOf(f.user.monitor, 'FOREIGN_OFFICE', null);
    editorA = viewerOf(f.user.editorA, 'CITY_EDITOR', f.city.a);
    viewerA = viewerOf(f.user.viewerA, 'CITY_VIEWER', f.city.a);
    // generous: on a loaded machine PGlite starts slowly
  }, 180_000);
  afterAll(async () => {
    await handle?.close();
  });

  it('lets SKEW administration create a city account, audited without the password', async () => {
    const result = await run(admin, CREATE_USER, {
      input: {
        email: ' New.Editor@Bonn.example ',
        displayName: 'New editor',
        role: 'CITY_EDITOR',
        cityId: encodeGlobalID('City', f.city.a),
        password: 'correct horse battery',
      },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.createUser).toEqual({
      user: {
        id: expect.any(String),
        email: 'new.editor@bonn.example',
        displayName: 'New editor',
        role: 'CITY_EDITOR',
        city: { name: 'Bonn' },
        active: true,
      },
      errors: [],
    });
    const log = await run(evaluator, AUDIT_LOG, { entityId: result.data.createUser.user.id });
    expect(log.errors).toBeUndefined();
    expect(log.data.auditLog.totalCount).toBe(1);
    const entry = log.data.auditLog.edges[0].node;
    expect(entry).toMatchObject({
      action: 'CREATE',
      entity: 'app_user',
      actorEmail: 'admin@skew.example',
      actor: { email: 'admin@skew.example' },
      cities: [{ name: 'Bonn' }],
      oldValues: null,
    });
    expect(JSON.parse(entry.newValues)).toEqual({
      email: 'new.editor@bonn.example',
      displayName: 'New editor',
      role: 'CITY_EDITOR',
      cityId: f.city.a,
      active: true,
    });
    expect(entry.newValues).not.toMatch(/argon2|password_hash|correct horse/);
  });

  it('explains what is wrong with a new account, naming the field, and stores nothing', async () => {
    const before = await userCount();
    const attempt = async (input: Record<string, unknown>) =>
      (
        await run(admin, CREATE_USER, {
          input: {
            email: 'someone@skew.example',
            displayName: 'Someone',
            role: 'SKEW_EVALUATOR',
            password: 'long enough password',
            ...input,
          },
        })
      ).data.createUser;
    expect(await attempt({ password: 'too short' })).toEqual({
      user: null,
      errors: [{ code: 'VALIDATION', field: 'password', message: expect.stringContaining('12') }],
    });
    expect((await attempt({ email: 'not an address' })).errors).toEqual([
      { code: 'VALIDATION', field: 'email', message: expect.any(String) },
    ]);
    expect((await attempt({ role: 'CITY_VIEWER' })).errors).toEqual([
      { code: 'VALIDATION', field: 'cityId', message: expect.stringContaining('needs a cityId') },
    ]);
    expect(
      (await attempt({ cityId: encodeGlobalID('City', f.city.a) })).errors.map(
        (e: { field: string }) => e.field,
      ),
    ).toEqual(['cityId']);
    expect(
      (await attempt({ role: 'CITY_VIEWER', cityId: encodeGlobalID('City', 999_999) })).errors,
    ).toEqual([{ code: 'NOT_FOUND', field: 'cityId', message: expect.any(String) }]);
    expect((await attempt({ email: 'EDITOR.A@example.org' })).errors).toEqual([
      { code: 'CONFLICT', field: 'email', message: 'An account with this email exists already.' },
    ]);
    expect(await userCount()).toBe(before);
  });

  it('refuses user administration to everyone but SKEW administration', async () => {
    const before = await userCount();
    for (const viewer of [evaluator, monitor, editorA, viewerA, null]) {
      const created = await run(viewer, CREATE_USER, {
        input: {
          email: 'intruder@skew.example',
          displayName: 'Intruder',
          role: 'SKEW_ADMIN',
          password: 'intruder password',
        },
      });
      expect(created.data.createUser.user).toBeNull();
      expect(created.data.createUser.errors[0].code).toBe(viewer ? 'FORBIDDEN' : 'UNAUTHENTICATED');
      const updated = await run(viewer, UPDATE_USER, {
        input: { id: encodeGlobalID('User', f.user.editorA), role: 'SKEW_ADMIN', cityId: null },
      });
      expect(updated.data.updateUser.user).toBeNull();
      expect(updated.data.updateUser.errors[0].code).toBe(viewer ? 'FORBIDDEN' : 'UNAUTHENTICATED');
      const list = await run(viewer, 'query { users { totalCount } }');
      expect(list.data).toBeNull();
      expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await userCount()).toBe(before);
    const editor = await handle.db
      .selectFrom('app_user')
      .select(['role'])
      .where('id', '=', f.user.editorA)
      .executeTakeFirstOrThrow();
    expect(editor.role).toBe('CITY_EDITOR');
  });

  it('changes role, city, name and password, audits only what changed, and never the hash', async () => {
    const id = encodeGlobalID('User', f.user.editorC);
    const promoted = await run(admin, UPDATE_USER, {
      input: {
        id,
        role: 'SKEW_EVALUATOR',
        displayName: 'Promoted',
        password: 'a brand new password',
      },
    });
    expect(promoted.data.updateUser).toEqual({
      user: {
        id,
        email: 'editor.c@example.org',
        displayName: 'Promoted',
        role: 'SKEW_EVALUATOR',
        // a programme role belongs to no city: the city went with the city role
        city: null,
        active: true,
      },
      errors: [],
    });
    const log = await run(admin, AUDIT_LOG, {
      entity: 'app_user',
      entityId: String(f.user.editorC),
    });
    const entry = log.data.auditLog.edges[0].node;
    expect(entry.action).toBe('UPDATE');
    expect(JSON.parse(entry.oldValues)).toEqual({
      displayName: 'editor.c',
      role: 'CITY_EDITOR',
      cityId: f.city.c,
    });
    expect(JSON.parse(entry.newValues)).toEqual({
      displayName: 'Promoted',
      role: 'SKEW_EVALUATOR',
      cityId: null,
      passwordChanged: true,
    });
    const raw = await handle.db
      .selectFrom('audit_entry')
      .select(['old_values', 'new_values'])
      .execute();
    expect(JSON.stringify(raw)).not.toMatch(/argon2|brand new password/);

    const noCity = await run(admin, UPDATE_USER, { input: { id, role: 'CITY_VIEWER' } });
    expect(noCity.data.updateUser.errors).toEqual([
      { code: 'VALIDATION', field: 'cityId', message: expect.any(String) },
    ]);
    const self = await run(admin, UPDATE_USER, {
      input: { id: encodeGlobalID('User', admin.userId), active: false },
    });
    expect(self.data.updateUser.errors).toEqual([
      {
        code: 'FORBIDDEN',
        field: 'active',
        message: 'You cannot deactivate or demote your own account.',
      },
    ]);
    const unknown = await run(admin, UPDATE_USER, {
      input: { id: encodeGlobalID('User', 999_999), displayName: 'Ghost' },
    });
    expect(unknown.data.updateUser.errors).toEqual([
      { code: 'NOT_FOUND', field: 'id', message: 'id names no account.' },
    ]);
  });

  it('lists accounts for administrators, with filters and a total', async () => {
    const result = await run(
      admin,
      `query ($city: ID) { users(cityId: $city, first: 1) {
        totalCount edges { node { email city { name } } } pageInfo { hasNextPage }
      } }`,
      { city: encodeGlobalID('City', f.city.a) },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.users.totalCount).toBe(3);
    expect(result.data.users.pageInfo.hasNextPage).toBe(true);
    expect(result.data.users.edges[0].node.city).toEqual({ name: 'Bonn' });
  });

  it('shows the audit log to SKEW only, filtered by actor', async () => {
    for (const viewer of [monitor, editorA, viewerA, null]) {
      const refused = await run(viewer, AUDIT_LOG);
      expect(refused.data).toBeNull();
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const byEditor = await run(evaluator, AUDIT_LOG, { actorEmail: 'Editor.A@example.org' });
    expect(byEditor.data.auditLog.edges.map((e: Json) => e.node.entity)).toEqual(['exchange']);
  });

  it('answers me with the account and its city, also under row-level security', async () => {
    const me = await withViewerScope(handle.db, editorA, (trx) =>
      graphql({
        schema,
        source: 'query { me { email role city { name } } }',
        contextValue: { db: trx, viewer: editorA, language: 'en', response: { setCookies: [] } },
      }),
    );
    expect(me.errors).toBeUndefined();
    expect((me.data as Json).me).toEqual({
      email: 'editor.a@example.org',
      role: 'CITY_EDITOR',
      city: { name: 'Bonn' },
    });
    expect((await run(null, 'query { me { email } }')).data.me).toBeNull();
  });
});
