import type { OperationVariables, TypedDocumentNode } from '@apollo/client/core';
import { useMutation } from '@vue/apollo-composable';
import { ref } from 'vue';
import {
  describeError,
  type FieldLabel,
  isKnownCode,
  type Translate,
} from '../lib/errorMessages.ts';
import type { UserError } from '../lib/errors.ts';
import { useFormErrors } from './formErrors.ts';

/** What every mutation payload carries: its errors, each naming the field it is about. */
interface Payload {
  errors: readonly UserError[];
}

/** The parts of a mutation's answer the form reads. */
interface Answer<TData> {
  data?: TData | null;
  errors?: readonly { message: string; extensions?: Record<string, unknown> | null }[];
}

export interface MutationFormOptions<TData, TPayload extends Payload> {
  /** The form's name: the prefix of its fields' ids and of their error messages' ids. */
  form: string;
  /** The fields shown with their own error message; errors naming others go to the summary. */
  fields: readonly string[] | (() => readonly string[]);
  /** The mutation's payload in the answer's data. */
  payload: (data: TData) => TPayload | null | undefined;
  /** The message when the answer holds neither a payload nor a reason. */
  failed?: () => string;
  /** The page's translation, for the errors' wording in the page's language. */
  t: Translate;
  /** The label the form shows for a field, named in its errors ("Numerator: …"). */
  label?: FieldLabel;
}

/**
 * The errors to show for a mutation's answer, or none when its payload may be used: the GraphQL
 * errors of an answer without payload, else the payload's own errors.
 */
export function answerErrors<TData, TPayload extends Payload>(
  answer: Answer<TData> | null | undefined,
  payload: (data: TData) => TPayload | null | undefined,
  failed?: () => string,
): { payload?: TPayload; errors: readonly UserError[] } {
  const found = answer?.data ? payload(answer.data) : undefined;
  if (found) return { payload: found, errors: found.errors };
  const errors: UserError[] = (answer?.errors ?? []).map((e) => {
    // A GraphQL error with a code the dashboard words (FORBIDDEN: a role without the right)
    // is worded like a payload's; any other keeps the server's message.
    const code = e.extensions?.code;
    const field = e.extensions?.field;
    return {
      code: typeof code === 'string' && isKnownCode(code) ? code : 'ERROR',
      field: typeof field === 'string' ? field : null,
      message: e.message,
    };
  });
  if (errors.length === 0 && failed) errors.push({ code: 'ERROR', message: failed() });
  return { errors };
}

/**
 * The error to show when the request failed on its way: NETWORK when no answer came (server
 * unreachable), the server's message when it refused the request with an HTTP status (a limit
 * of one request, sign-in alone).
 */
export function networkError(error: unknown, failed?: () => string): UserError {
  const message = error instanceof Error ? error.message : failed ? failed() : String(error);
  const refusal = (error as { networkError?: Refusal } | null)?.networkError;
  if (typeof refusal?.statusCode !== 'number') return { code: 'NETWORK', message };
  return { code: 'ERROR', message: refusal.result?.errors?.[0]?.message ?? message };
}

/** What Apollo keeps of an answer with an HTTP error status (its ServerError). */
interface Refusal {
  statusCode?: unknown;
  result?: { errors?: readonly { message: string }[] };
}

/**
 * A form that sends one mutation: the form's own checks, the mutation, its GraphQL errors, the
 * payload's errors by field and network failures end up in one list of errors, each shown
 * beside its field or in the summary (see `useFormErrors`); `saving` is true while it runs.
 * `submit` resolves to the payload when the mutation succeeded without errors.
 */
export function useMutationForm<
  TData,
  TVariables extends OperationVariables,
  TPayload extends Payload,
>(document: TypedDocumentNode<TData, TVariables>, options: MutationFormOptions<TData, TPayload>) {
  const errors = useFormErrors(options.form, options.fields, (error) =>
    describeError(error, options.t, options.label),
  );
  const { mutate, loading: saving } = useMutation(document);
  /** Counts the attempts that ended (refused by the form's checks, or answered), for focus. */
  const settled = ref(0);

  /** Shows the form's own findings (required fields); true when there are none. */
  function validate(local: readonly UserError[]): boolean {
    errors.set(local);
    if (local.length > 0) settled.value += 1;
    return local.length === 0;
  }

  async function submit(variables: TVariables): Promise<TPayload | undefined> {
    errors.clear();
    try {
      const answer = await mutate(variables);
      const outcome = answerErrors(answer, options.payload, options.failed);
      errors.set(outcome.errors);
      return outcome.errors.length === 0 ? outcome.payload : undefined;
    } catch (error) {
      errors.set([networkError(error, options.failed)]);
      return undefined;
    } finally {
      settled.value += 1;
    }
  }

  return { ...errors, saving, settled, validate, submit };
}
