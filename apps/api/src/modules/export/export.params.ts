import type { IncomingHttpHeaders } from 'node:http';
import type { Scope } from '@udx/indicators/engine';
import { GraphQLError } from 'graphql';
import { type Language, languageFrom } from '../../context.ts';
import { parseScope, type ScopeInputShape } from '../shared/scope.ts';

/** What an export covers and in which language it speaks. */
export interface ExportRequest {
  /** The scope as asked for; the viewer's rights narrow it (`figuresFor`). */
  scope: Scope;
  language: Language;
}

const SCOPE_PARAMETERS = ['partnershipId', 'cityId', 'countryCode', 'from', 'to'] as const;
const PARAMETERS = new Set<string>([...SCOPE_PARAMETERS, 'lang']);
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function badParameter(field: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}

/**
 * The query parameters of an export: the dashboard's scope (`partnershipId`, `cityId` as the
 * API's ids, `countryCode`, `from`, `to` as `YYYY-MM-DD`), checked by the API's own rules
 * (`parseScope`), and `lang=de|en` (by default from Accept-Language, as the API). A parameter
 * that is unknown, repeated or malformed is refused with its name: an export of something
 * else than asked for would be worse than none.
 */
export function parseExportRequest(url: URL, headers: IncomingHttpHeaders): ExportRequest {
  const input: ScopeInputShape = {};
  for (const name of new Set(url.searchParams.keys())) {
    if (!PARAMETERS.has(name)) {
      throw badParameter(name, `Unknown parameter ${name}; use ${[...PARAMETERS].join(', ')}`);
    }
    if (url.searchParams.getAll(name).length > 1) {
      throw badParameter(name, `The parameter ${name} is given more than once`);
    }
  }
  for (const name of SCOPE_PARAMETERS) {
    const value = url.searchParams.get(name);
    if (value === null || value === '') continue;
    if ((name === 'from' || name === 'to') && !isCalendarDay(value)) {
      throw badParameter(name, `${name} must be a date as YYYY-MM-DD, e.g. 2026-01-31`);
    }
    input[name] = value;
  }
  let scope: Scope;
  try {
    scope = parseScope(input);
  } catch (error) {
    // the API's messages name the GraphQL argument (`scope.cityId`); here it is a parameter
    if (!(error instanceof GraphQLError)) throw error;
    const field = String(error.extensions.field ?? '').replace(/^scope\./, '');
    throw badParameter(field, error.message.replaceAll('scope.', ''));
  }
  const lang = url.searchParams.get('lang');
  if (lang !== null && lang !== 'de' && lang !== 'en') {
    throw badParameter('lang', 'lang must be de or en');
  }
  return { scope, language: lang ?? languageFrom(headers['accept-language']) };
}

/** Whether `value` is a day of the calendar as `YYYY-MM-DD` (not 2026-13-01, not 2026-02-30). */
function isCalendarDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}
