import en from '../locales/en.ts';
import { normaliseField, type UserError } from './errors.ts';

/** vue-i18n's `t` as the mapping needs it: a key and its named values. */
export type Translate = (key: string, named: Record<string, unknown>) => string;

/** The label of a form field by its normalised path (`values.0.numerator`), if the form has one. */
export type FieldLabel = (field: string) => string | undefined;

type ReasonKey = keyof typeof en.formError.reason;
type CodeKey = keyof typeof en.formError.code;

/**
 * A rule the API reports under a coarse code (most are VALIDATION): recognised by its English
 * message, whose parts the user needs (an unknown SDG target, a limit) are kept as named values.
 */
interface Reason {
  key: ReasonKey;
  pattern: RegExp;
}

// Most specific first: the first pattern that matches the message wins.
const REASONS: readonly Reason[] = [
  { key: 'notAboveDenominator', pattern: /must not be greater than (the )?denominator/i },
  { key: 'notNegative', pattern: /must not be negative/i },
  { key: 'percentAtMost100', pattern: /is a percentage: 100 at most/i },
  { key: 'aboveZero', pattern: /must be greater than 0/i },
  { key: 'wholeNumber', pattern: /must be a whole number/i },
  { key: 'percentNeedsFraction', pattern: /PERCENT indicator (needs a|takes a numerator)/i },
  { key: 'countNeedsValue', pattern: /COUNT indicator (needs a|takes a) value/i },
  { key: 'valueOrFraction', pattern: /(Give either|takes) a value \(COUNT\) or a numerator/i },
  { key: 'computedIndicator', pattern: /is (a )?computed/i },
  { key: 'noIndicator', pattern: /no indicator (?<code>[^\s.]+)/i },
  { key: 'between', pattern: /must be (a year )?between (?<min>-?\d+) and (?<max>-?\d+)/i },
  { key: 'tooLong', pattern: /longer than (?<max>[\d,]+) characters/i },
  { key: 'notEmpty', pattern: /must not be empty|must hold at least one value/i },
  { key: 'tooMany', pattern: /at most (?<max>\d+) values/i },
  { key: 'endBeforeStart', pattern: /must not be before startsOn/i },
  { key: 'governanceLevel', pattern: /at least one (known )?level/i },
  { key: 'hostCityOfPartnership', pattern: /one of the partnership's two cities/i },
  { key: 'departmentOfPartnership', pattern: /departments of the partnership's two cities/i },
  { key: 'exchangeOfPartnership', pattern: /exchange of the same partnership/i },
  { key: 'unknownSdgTargets', pattern: /no SDG target (?<targets>.+?)\.?$/i },
  { key: 'notYourPartnership', pattern: /partnerships your city is part of/i },
  { key: 'ownCityOnly', pattern: /only report your own city/i },
  { key: 'approvedAlready', pattern: /value for (?<indicator>\S+) in this period is approved/i },
  { key: 'oneGrainPerYear', pattern: /once or per quarter/i },
  { key: 'samePeriodTwice', pattern: /same indicator, city and period as values\.(?<first>\d+)/i },
  { key: 'sameMoment', pattern: /at the same moment/i },
  { key: 'reviewedAlready', pattern: /Only submitted values can be reviewed/i },
  { key: 'rejectionNeedsReason', pattern: /rejection needs a reason/i },
  { key: 'wrongCredentials', pattern: /Email or password is wrong/i },
  { key: 'signedInAlready', pattern: /signed in already/i },
  { key: 'existsAlready', pattern: /exists already/i },
  { key: 'doesNotExist', pattern: /names no |does not exist|no such /i },
  { key: 'notAnId', pattern: /not an? [\w ]*id\b/i },
];

/** The codes that have a sentence of their own in every language. */
export function isKnownCode(code: string): code is CodeKey {
  return Object.hasOwn(en.formError.code, code);
}

/**
 * The message key and its named values for an error, or undefined when its code is unknown to
 * the dashboard (its message is then shown as the server wrote it). A known code whose message
 * matches no known rule gets the code's general sentence.
 */
export function errorWording(
  error: UserError,
): { key: string; named: Record<string, string> } | undefined {
  if (!isKnownCode(error.code)) return undefined;
  for (const reason of REASONS) {
    const match = reason.pattern.exec(error.message);
    if (!match) continue;
    const named: Record<string, string> = { ...match.groups };
    // The API counts a batch's values from 0, the form's lines from 1.
    if (named.first !== undefined) named.first = String(Number(named.first) + 1);
    return { key: `formError.reason.${reason.key}`, named };
  }
  return { key: `formError.code.${error.code}`, named: {} };
}

/** A message without a label stands as a sentence of its own. */
function sentence(text: string): string {
  const capital = text.charAt(0).toLocaleUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * The error as the user reads it, in the page's language: "<field label>: <what is wrong>"
 * (e.g. "Zähler: darf nicht größer als der Nenner sein"), or a sentence of its own when the form
 * has no label for its field; the server's message for a code the dashboard does not know.
 */
export function describeError(error: UserError, t: Translate, label?: FieldLabel): string {
  const wording = errorWording(error);
  if (!wording) return error.message;
  const text = t(wording.key, wording.named);
  const field = normaliseField(error.field);
  const name = field ? label?.(field) : undefined;
  return name ? t('formError.withLabel', { label: name, message: text }) : sentence(text);
}

/**
 * The label of a field of a batch form (`values.<index>.<name>`): the field's own label, with
 * the line when the form has several; the line alone for an error about the whole line.
 */
export function lineFieldLabel(
  field: string,
  lines: number,
  fieldLabel: (name: string) => string | undefined,
  lineLabel: (n: number) => string,
): string | undefined {
  const [, index, name] = /^values\.(\d+)(?:\.(\w+))?$/.exec(field) ?? [];
  if (index === undefined) return undefined;
  const line = lineLabel(Number(index) + 1);
  if (name === undefined) return line;
  const own = fieldLabel(name);
  if (own === undefined) return line;
  return lines > 1 ? `${own} (${line})` : own;
}
