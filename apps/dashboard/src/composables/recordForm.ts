import type { OperationVariables, TypedDocumentNode } from '@apollo/client/core';
import { useQuery } from '@vue/apollo-composable';
import { computed, watch } from 'vue';
import { soleChoice } from '../lib/choices.ts';
import type { Translate } from '../lib/errorMessages.ts';
import type { UserError } from '../lib/errors.ts';
import { useMutationForm } from './mutationForm.ts';

interface Payload {
  errors: readonly UserError[];
}

export interface RecordFormsOptions<TRecord, TRecordPayload, TUpdate, TUpdatePayload> {
  /** The form's name: the prefix of its fields' ids and of their error messages' ids. */
  form: string;
  /** Each field with the key of its label, in the form's order. */
  labels: Record<string, string>;
  /** The page's translation: the labels' and the errors' wording in the page's language. */
  t: Translate & ((key: string) => string);
  /** The id of the record being changed (its edit address), or undefined for a new record. */
  id: () => string | undefined;
  recordPayload: (data: TRecord) => TRecordPayload | null | undefined;
  updatePayload: (data: TUpdate) => TUpdatePayload | null | undefined;
}

/**
 * The form that records an exchange or an outcome and, at the record's edit address, changes the
 * saved one: a form for each mutation, with the same fields and labels, and `form`, the one in use.
 */
export function useRecordForms<
  TRecord,
  TRecordVariables extends OperationVariables,
  TRecordPayload extends Payload,
  TUpdate,
  TUpdateVariables extends OperationVariables,
  TUpdatePayload extends Payload,
>(
  record: TypedDocumentNode<TRecord, TRecordVariables>,
  update: TypedDocumentNode<TUpdate, TUpdateVariables>,
  options: RecordFormsOptions<TRecord, TRecordPayload, TUpdate, TUpdatePayload>,
) {
  const { labels, t } = options;
  const fields = Object.keys(labels);
  const label = (field: string) => (labels[field] ? t(labels[field]) : undefined);
  const recordForm = useMutationForm(record, {
    form: options.form,
    fields,
    payload: options.recordPayload,
    t,
    label,
  });
  const updateForm = useMutationForm(update, {
    form: options.form,
    fields,
    payload: options.updatePayload,
    t,
    label,
  });
  const form = computed(() => (options.id() ? updateForm : recordForm));
  return { recordForm, updateForm, form };
}

/**
 * The saved record an edit address names, read by its id as a node; `record` is undefined until
 * it is there, and when the id names something else.
 */
export function useEditedRecord<
  TData extends { node?: { __typename?: string } | null },
  TName extends string,
>(
  document: TypedDocumentNode<TData, { id: string }>,
  id: () => string | undefined,
  typename: TName,
) {
  const edited = useQuery(
    document,
    () => ({ id: id() ?? '' }),
    () => ({ enabled: Boolean(id()) }),
  );
  const record = computed(() => {
    const node = edited.result.value?.node;
    return id() && node?.__typename === typename
      ? (node as Extract<NonNullable<TData['node']>, { __typename?: TName }>)
      : undefined;
  });
  return { edited, record };
}

interface ChoosablePartnership {
  id: string;
  germanCity: { name: string };
}

/**
 * The partnerships a form offers, by German city; an account with a single partnership has
 * nothing to choose, so it is chosen for it.
 */
export function usePartnershipChoice<T extends ChoosablePartnership>(
  offered: () => readonly T[] | undefined,
  values: { partnershipId: string },
) {
  const partnerships = computed(() =>
    [...(offered() ?? [])].sort((a, b) => a.germanCity.name.localeCompare(b.germanCity.name)),
  );
  watch(
    partnerships,
    (list) => {
      values.partnershipId ||= soleChoice(list) ?? '';
    },
    { immediate: true },
  );
  return partnerships;
}
