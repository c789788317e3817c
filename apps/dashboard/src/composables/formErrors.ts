import { computed, ref } from 'vue';
import { errorId, groupErrors, type UserError } from '../lib/errors.ts';

/**
 * Holds a form's payload errors and gives each field the attributes that tie it to its message,
 * so the error sits beside the field and is read out with it.
 */
export function useFormErrors(form: string, fields: readonly string[] | (() => readonly string[])) {
  const errors = ref<readonly UserError[]>([]);
  const known = () => (typeof fields === 'function' ? fields() : fields);
  const grouped = computed(() => groupErrors(errors.value, known()));
  const general = computed(() => grouped.value[''] ?? []);
  const fieldCount = computed(() => Object.keys(grouped.value).filter((k) => k !== '').length);

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
