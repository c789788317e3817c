import { provideApolloClient } from '@vue/apollo-composable';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { effectScope } from 'vue';
import { createApolloClient } from '../src/apollo.ts';
import { answerErrors, networkError, useMutationForm } from '../src/composables/mutationForm.ts';
import { RecordOutcomeDocument, type RecordOutcomeInput } from '../src/gql/graphql.ts';
import { createAppI18n } from '../src/i18n.ts';

const INPUT: RecordOutcomeInput = {
  partnershipId: 'UGFydG5lcnNoaXA6MQ==',
  kind: 'NEW_APPROACH',
  status: 'PLANNED',
  title: 'Heat plan',
  date: '2025-05-01',
  sdgTargets: [],
};

/** Answers every request with `body` (status 200 unless given), as the API would. */
function answerWith(body: unknown, status = 200) {
  const requests: unknown[] = [];
  vi.stubGlobal('fetch', async (_url: string, init: { body: string }) => {
    requests.push(JSON.parse(init.body));
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });
  });
  return requests;
}

/** The form as a page creates it, outside a component, on the app's own client. */
function outcomeForm() {
  provideApolloClient(createApolloClient(() => 'en'));
  const scope = effectScope();
  const form = scope.run(() =>
    useMutationForm(RecordOutcomeDocument, {
      form: 'outcome',
      fields: ['title', 'date'],
      payload: (data) => data.recordOutcome,
      t: createAppI18n('en').global.t,
      label: (field) => ({ title: 'Title', date: 'Date' })[field],
    }),
  );
  if (!form) throw new Error('no form');
  return form;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('useMutationForm', () => {
  it('returns the payload of a successful mutation and shows no error', async () => {
    const requests = answerWith({
      data: {
        recordOutcome: {
          __typename: 'RecordOutcomePayload',
          outcome: {
            __typename: 'Outcome',
            id: 'T3V0Y29tZTox',
            title: 'Heat plan',
            partnership: { __typename: 'Partnership', id: 'UGFydG5lcnNoaXA6MQ==' },
          },
          errors: [],
        },
      },
    });
    const form = outcomeForm();
    const submitted = form.submit({ input: INPUT });
    expect(form.saving.value).toBe(true);
    const payload = await submitted;
    expect(form.saving.value).toBe(false);
    expect(payload?.outcome?.title).toBe('Heat plan');
    expect(form.errors.value).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('shows payload errors beside their fields and the rest in the summary', async () => {
    answerWith({
      data: {
        recordOutcome: {
          __typename: 'RecordOutcomePayload',
          outcome: null,
          errors: [
            {
              __typename: 'UserError',
              code: 'VALIDATION',
              field: 'input.date',
              message: 'date must be between 2000 and 2100.',
            },
            { __typename: 'UserError', code: 'FORBIDDEN', field: null, message: 'Not yours.' },
          ],
        },
      },
    });
    const form = outcomeForm();
    expect(await form.submit({ input: INPUT })).toBeUndefined();
    // Worded in the page's language, with the field's label where the form has one.
    expect(form.messages('date')).toEqual(['Date: must be between 2000 and 2100']);
    expect(form.attrs('date')['aria-invalid']).toBe(true);
    expect(form.general.value).toEqual(['Your account may not make this change.']);
    expect(form.summary.value).toEqual([
      { field: 'date', message: 'Date: must be between 2000 and 2100' },
      { message: 'Your account may not make this change.' },
    ]);
    expect(form.fieldCount.value).toBe(1);
  });

  it('shows the GraphQL errors of an answer without payload', async () => {
    answerWith({ data: null, errors: [{ message: 'Request too costly.' }] });
    const form = outcomeForm();
    expect(await form.submit({ input: INPUT })).toBeUndefined();
    expect(form.general.value).toEqual(['Request too costly.']);
  });

  it('words a GraphQL error with a known code like a payload error', async () => {
    answerWith({
      data: null,
      errors: [{ message: 'Not allowed', extensions: { code: 'FORBIDDEN' } }],
    });
    const form = outcomeForm();
    expect(await form.submit({ input: INPUT })).toBeUndefined();
    expect(form.general.value).toEqual(['Your account may not make this change.']);
  });

  it('shows a request the server refused with its status as the server words it', () => {
    const refused = Object.assign(new Error('Response not successful: Received status code 400'), {
      networkError: { statusCode: 400, result: { errors: [{ message: 'Too many aliases' }] } },
    });
    expect(networkError(refused)).toEqual({ code: 'ERROR', message: 'Too many aliases' });
  });

  it('shows a failed request as a network error and is no longer busy', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const form = outcomeForm();
    expect(await form.submit({ input: INPUT })).toBeUndefined();
    expect(form.errors.value).toEqual([{ code: 'NETWORK', message: 'Failed to fetch' }]);
    expect(form.saving.value).toBe(false);
  });

  it("shows the form's own findings and sends nothing while there are any", async () => {
    const requests = answerWith({});
    const form = outcomeForm();
    const missing = { code: 'REQUIRED', field: 'title', message: 'required' };
    const settled = form.settled.value;
    expect(form.validate([missing])).toBe(false);
    expect(form.messages('title')).toEqual(['Title: required']);
    expect(form.settled.value).toBe(settled + 1);
    expect(form.validate([])).toBe(true);
    expect(form.errors.value).toEqual([]);
    expect(requests).toHaveLength(0);
  });
});

describe('answer errors', () => {
  const payload = (data: { result: { errors: [] } | null }) => data.result;

  it('falls back to the given sentence when an answer says nothing', () => {
    expect(answerErrors({ data: { result: null } }, payload, () => 'Sign-in failed.')).toEqual({
      errors: [{ code: 'ERROR', message: 'Sign-in failed.' }],
    });
    expect(answerErrors(null, payload)).toEqual({ errors: [] });
  });

  it('names a failure without message with the fallback, else as it is', () => {
    expect(networkError('offline', () => 'Sign-in failed.')).toEqual({
      code: 'NETWORK',
      message: 'Sign-in failed.',
    });
    expect(networkError('offline')).toEqual({ code: 'NETWORK', message: 'offline' });
  });
});
