import type { ObjectRef } from '@pothos/core';
import { builder } from '../../builder.ts';

/**
 * Expected failures of a mutation (bad input, missing object, no right) are answered in the
 * payload's `errors`, never as exceptions; exceptions are for bugs.
 */
export type UserErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'UNAUTHENTICATED';

export interface UserError {
  code: UserErrorCode;
  /** The input field the error is about, as a path from the input (e.g. `endsOn`, `values.2.numerator`). */
  field: string | null;
  message: string;
}

export const UserErrorRef = builder.objectRef<UserError>('UserError').implement({
  description: 'Why a mutation did not happen. Nothing was changed when a payload carries errors.',
  fields: (t) => ({
    code: t.exposeString('code', {
      description: 'VALIDATION, NOT_FOUND, FORBIDDEN, CONFLICT or UNAUTHENTICATED.',
    }),
    field: t.exposeString('field', {
      nullable: true,
      description: 'The input field concerned, when there is one (e.g. `endsOn`).',
    }),
    message: t.exposeString('message', { description: 'What went wrong, for a person to read.' }),
  }),
});

/** A thrown UserError carries an expected failure out of a transaction, rolling it back. */
export class UserErrorException extends Error {
  constructor(readonly errors: UserError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

export function userError(code: UserErrorCode, field: string | null, message: string): UserError {
  return { code, field, message };
}

/**
 * Declares a mutation payload `<Name>Payload { <objectField>: <Type>, errors: [UserError!]! }`,
 * the one shape of every mutation's answer (docs/architecture.md, "The request path").
 */
export function payloadType<Shape, Key extends string>(
  name: string,
  objectField: Key,
  // biome-ignore lint/suspicious/noExplicitAny: any object type of the schema
  objectType: ObjectRef<any, Shape> | [ObjectRef<any, Shape>],
  description: string,
) {
  type Payload = { [K in Key]?: unknown } & { errors: UserError[] };
  return builder.objectRef<Payload>(`${name}Payload`).implement({
    description,
    fields: (t) => ({
      [objectField]: t.field({
        // biome-ignore lint/suspicious/noExplicitAny: the object's type is given by the caller
        type: objectType as any,
        nullable: true,
        description: 'The changed object; null when the mutation did not happen.',
        // biome-ignore lint/suspicious/noExplicitAny: see above
        resolve: (payload: any) => payload[objectField] ?? null,
      }),
      errors: t.field({
        type: [UserErrorRef],
        description: 'Empty on success.',
        resolve: (payload) => payload.errors,
      }),
    }),
  });
}
