/** A payload error as every mutation returns it. */
export interface UserError {
  code: string;
  field?: string | null;
  message: string;
}

/**
 * Normalises an error's field path to the form's field name: `input.title` and `title` both
 * become `title`; list paths keep their index (`values.2.numerator`).
 */
export function normaliseField(field: string | null | undefined): string | undefined {
  if (!field) return undefined;
  const path = field
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean);
  if (path[0] === 'input') path.shift();
  return path.length ? path.join('.') : undefined;
}

/** Errors grouped by field; errors that name no field known to the form go under `''`. */
export function groupErrors(
  errors: readonly UserError[],
  knownFields?: ReadonlySet<string> | readonly string[],
): Record<string, string[]> {
  const known = knownFields ? new Set(knownFields) : undefined;
  const grouped: Record<string, string[]> = {};
  for (const error of errors) {
    const field = normaliseField(error.field);
    const key = field && (!known || known.has(field)) ? field : '';
    const list = grouped[key] ?? [];
    list.push(error.message);
    grouped[key] = list;
  }
  return grouped;
}

/** The DOM id of a field's error message, for `aria-describedby`. */
export function errorId(form: string, field: string): string {
  return `${form}-${field.replaceAll('.', '-')}-error`;
}

/** Splits a comma/space separated list of codes (e.g. SDG targets) into trimmed, distinct items. */
export function splitCodes(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}
