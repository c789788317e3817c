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

/**
 * Errors grouped by field, each as `describe` words it (by default the server's message); errors
 * that name no field known to the form go under `''`.
 */
export function groupErrors(
  errors: readonly UserError[],
  knownFields?: ReadonlySet<string> | readonly string[],
  describe: (error: UserError) => string = (error) => error.message,
): Record<string, string[]> {
  const known = knownFields ? new Set(knownFields) : undefined;
  const grouped: Record<string, string[]> = {};
  for (const error of errors) {
    const field = normaliseField(error.field);
    const key = field && (!known || known.has(field)) ? field : '';
    const list = grouped[key] ?? [];
    list.push(describe(error));
    grouped[key] = list;
  }
  return grouped;
}

/** The DOM id of a field's error message, for `aria-describedby`. */
export function errorId(form: string, field: string): string {
  return `${form}-${field.replaceAll('.', '-')}-error`;
}

/** An error as a query reports it: Apollo's, with the GraphQL errors of the answer if any. */
export interface LoadError {
  message: string;
  graphQLErrors?: readonly { message: string; extensions?: Record<string, unknown> | null }[];
}

/** The sentence keys for errors a person can act on; anything else is a failure to retry. */
export type LoadErrorKey =
  | 'loadError.forbiddenPartnership'
  | 'loadError.forbiddenCity'
  | 'loadError.forbiddenCountry'
  | 'loadError.forbidden'
  | 'loadError.notFoundPartnership'
  | 'loadError.notFoundCity'
  | 'loadError.badFilter';

const SCOPE_ERRORS: Record<string, Record<string, LoadErrorKey>> = {
  FORBIDDEN: {
    'scope.partnershipId': 'loadError.forbiddenPartnership',
    'scope.cityId': 'loadError.forbiddenCity',
    'scope.countryCode': 'loadError.forbiddenCountry',
  },
  NOT_FOUND: {
    'scope.partnershipId': 'loadError.notFoundPartnership',
    'scope.cityId': 'loadError.notFoundCity',
  },
};

/**
 * The sentence for a query error the API answers with a stable code and field (a city account
 * asking for another city's figures, a partnership that does not exist, a malformed filter);
 * undefined for errors that are not about what was asked (network, server), which are shown
 * with their message and a retry.
 */
export function loadErrorKey(error: LoadError | null | undefined): LoadErrorKey | undefined {
  for (const e of error?.graphQLErrors ?? []) {
    const code = e.extensions?.code;
    const field = e.extensions?.field;
    if (typeof code !== 'string') continue;
    const byField = SCOPE_ERRORS[code];
    if (byField && typeof field === 'string' && byField[field]) return byField[field];
    if (code === 'FORBIDDEN') return 'loadError.forbidden';
    if (code === 'BAD_USER_INPUT' && typeof field === 'string' && field.startsWith('scope.')) {
      return 'loadError.badFilter';
    }
  }
  return undefined;
}
