import type { Level } from './arbitraries.ts';
import type { HttpAnswer } from './programme.ts';

/** The codes of payload errors (`UserError.code`). */
export const USER_ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'FORBIDDEN',
  'CONFLICT',
  'UNAUTHENTICATED',
] as const;

/** How a refused call must be answered. */
export interface Expectation {
  level: Level;
  /** Variable paths of the fields at fault; an error must name one of them. */
  paths: readonly string[];
  /** Paths of the fields whose refusal may come as a request error (`request`/`either` ones). */
  requestPaths: readonly string[];
  /** When given, one of the payload's errors must carry one of these codes. */
  codes?: readonly string[];
  /** The payload's errors name no field by design (signIn: one answer for every failure). */
  fieldless?: boolean;
}

/** The payload field a variable path stands for: `input.values.1.year` → `values.1.year`. */
export function payloadField(path: string): string {
  return path.replace(/^input\./, '');
}

/** The last named segment of a path (`input.values.1.year` → `year`): what a message must say. */
function lastName(path: string): string {
  return (
    path
      .split('.')
      .filter((s) => !/^\d+$/.test(s))
      .pop() ?? path
  );
}

/** Whether one field path lies within the other (`departmentIds` and `departmentIds.1`). */
function samePlace(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  const n = Math.min(x.length, y.length);
  return x.slice(0, n).join('.') === y.slice(0, n).join('.');
}

interface AnswerError {
  message?: unknown;
  field?: unknown;
  code?: unknown;
  extensions?: { code?: unknown; field?: unknown };
}

/**
 * What is wrong with the answer to a call that must be refused: a 5xx, no JSON, a mutation that
 * happened, errors without a code or message, no error naming the field at fault. Empty when
 * the answer is as it should be.
 */
export function problemsWith(answer: HttpAnswer, mutation: string, e: Expectation): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`HTTP ${answer.status}`);
  // biome-ignore lint/suspicious/noExplicitAny: the answer is read as a client does
  let json: any;
  try {
    json = JSON.parse(answer.text);
  } catch {
    return [...problems, `not JSON: ${answer.text.slice(0, 200)}`];
  }
  const requestErrors: AnswerError[] = Array.isArray(json?.errors) ? json.errors : [];
  const payload = json?.data?.[mutation];
  if (requestErrors.length > 0) {
    for (const error of requestErrors) {
      if (typeof error.message !== 'string' || error.message.trim() === '') {
        problems.push(`a request error without a message: ${JSON.stringify(error)}`);
      }
      const code = error.extensions?.code;
      if (typeof code !== 'string' || /INTERNAL|DATABASE/.test(code)) {
        problems.push(`a request error with code ${String(code)}: ${String(error.message)}`);
      }
    }
    if (payload) problems.push('request errors and a payload in one answer');
    if (e.level === 'payload') problems.push('expected payload errors, got request errors');
    else if (e.requestPaths.length > 0) {
      const named = requestErrors.some((error) =>
        e.requestPaths.some(
          (path) =>
            String(error.message).includes(lastName(path)) ||
            (typeof error.extensions?.field === 'string' &&
              samePlace(payloadField(String(error.extensions.field)), payloadField(path))),
        ),
      );
      if (!named) {
        problems.push(`no request error names ${e.requestPaths.map(lastName).join(' or ')}`);
      }
    }
    return problems;
  }
  if (!payload || typeof payload !== 'object') {
    return [...problems, `neither request errors nor a payload: ${answer.text.slice(0, 300)}`];
  }
  const errors: AnswerError[] = Array.isArray(payload.errors) ? payload.errors : [];
  if (errors.length === 0) return [...problems, 'the mutation was not refused: errors is empty'];
  for (const [name, value] of Object.entries(payload)) {
    if (name !== 'errors' && value !== null) {
      problems.push(`payload.${name} is not null though the payload has errors`);
    }
  }
  for (const error of errors) {
    if (!USER_ERROR_CODES.includes(error.code as (typeof USER_ERROR_CODES)[number])) {
      problems.push(`a payload error with code ${String(error.code)}`);
    }
    if (typeof error.message !== 'string' || error.message.trim() === '') {
      problems.push(`a payload error without a message: ${JSON.stringify(error)}`);
    }
    if (error.field !== null && (typeof error.field !== 'string' || error.field === '')) {
      problems.push(`a payload error with field ${JSON.stringify(error.field)}`);
    }
  }
  if (e.level === 'request') problems.push('expected request errors, got payload errors');
  if (e.codes && !errors.some((error) => e.codes?.includes(String(error.code)))) {
    problems.push(`no payload error has code ${e.codes.join(' or ')}`);
  }
  if (!e.fieldless && e.paths.length > 0) {
    const named = errors.some(
      (error) =>
        typeof error.field === 'string' &&
        e.paths.some((path) => samePlace(error.field as string, payloadField(path))),
    );
    if (!named) {
      problems.push(
        `no payload error names ${e.paths.map(payloadField).join(' or ')} (fields: ${errors
          .map((error) => String(error.field))
          .join(', ')})`,
      );
    }
  }
  return problems;
}
