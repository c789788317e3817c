import { computed, ref } from 'vue';
import { errorId, groupErrors, normaliseField, type UserError } from '../lib/errors.ts';

/** One line of a form's error summary: the message and, for a field's error, the field. */
export interface SummaryItem {
  field?: string;
  message: string;
}

/**
 * Holds a form's payload errors and gives each field the attributes that tie it to its message,
 * so the error sits beside the field and is read out with it. `describe` words each error for
 * the user (see lib/errorMessages.ts); it is called on every render, so a change of language
 * rewords the errors shown.
 */
export function useFormErrors(
  form: string,
  fields: readonly string[] | (() => readonly string[]),
  describe?: (error: UserError) => string,
) {
  const errors = ref<readonly UserError[]>([]);
  const known = () => (typeof fields === 'function' ? fields() : fields);
  const grouped = computed(() => groupErrors(errors.value, known(), describe));
  const general = computed(() => grouped.value[''] ?? []);
  const fieldCount = computed(() => Object.keys(grouped.value).filter((k) => k !== '').length);
  /** Every error in the order the answer gave them, for the summary beside the Save button. */
  const summary = computed<SummaryItem[]>(() => {
    const names = new Set(known());
    return errors.value.map((error) => {
      const field = normaliseField(error.field);
      const message = describe ? describe(error) : error.message;
      return field && names.has(field) ? { field, message } : { message };
    });
  });

  function messages(field: string): string[] {
    return grouped.value[field] ?? [];
  }
  function attrs(field: string, describedBy?: string) {
    const invalid = messages(field).length > 0;
    const ids = [describedBy, invalid ? errorId(form, field) : undefined].filter(Boolean).join(' ');
    return { 'aria-invalid': invalid ? true : undefined, 'aria-describedby': ids || undefined };
  }
  return {
    errors,
    general,
    fieldCount,
    summary,
    messages,
    attrs,
    id: (field: string) => errorId(form, field),
    set: (next: readonly UserError[]) => {
      errors.value = next;
    },
    clear: () => {
      errors.value = [];
    },
  };
}
