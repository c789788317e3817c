import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAppI18n } from '../src/i18n.ts';
import {
  describeError,
  errorWording,
  isKnownCode,
  lineFieldLabel,
} from '../src/lib/errorMessages.ts';
import type { UserError } from '../src/lib/errors.ts';
import de from '../src/locales/de.ts';
import en from '../src/locales/en.ts';

/** The codes a mutation payload can carry, as the API declares them (its `UserErrorCode`). */
function apiErrorCodes(): string[] {
  const source = readFileSync(
    new URL('../../api/src/modules/shared/user-error.ts', import.meta.url),
    'utf8',
  );
  const union = /export type UserErrorCode =([^;]+);/.exec(source)?.[1] ?? '';
  return [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1] ?? '');
}

const english = createAppI18n('en').global.t;
const german = createAppI18n('de').global.t;

/** The labels of the report form (German), as the page passes them. */
const GERMAN_LABELS: Record<string, string> = {
  'values.0.numerator': 'Zähler',
  'values.0.year': 'Jahr',
  sdgTargets: 'SDG-Unterziele',
  endsOn: 'Ende',
};

describe('error codes', () => {
  it('reads the codes from the API', () => {
    expect(apiErrorCodes()).toEqual([
      'VALIDATION',
      'NOT_FOUND',
      'FORBIDDEN',
      'CONFLICT',
      'UNAUTHENTICATED',
    ]);
  });

  it('has a sentence in English and German for every code the API can return', () => {
    for (const code of apiErrorCodes()) {
      expect(isKnownCode(code), code).toBe(true);
      const key = code as keyof typeof en.formError.code;
      expect(en.formError.code[key], code).toMatch(/\w/);
      expect(de.formError.code[key], code).toMatch(/\w/);
      expect(de.formError.code[key], code).not.toBe(en.formError.code[key]);
      const error = { code, field: null, message: 'Server text.' };
      expect(describeError(error, english), code).not.toBe('Server text.');
      expect(describeError(error, german), code).not.toBe(describeError(error, english));
    }
  });

  it('has every rule it recognises in both languages', () => {
    expect(Object.keys(de.formError.reason)).toEqual(Object.keys(en.formError.reason));
    for (const [key, text] of Object.entries(de.formError.reason)) {
      expect(text, key).not.toBe(en.formError.reason[key as keyof typeof en.formError.reason]);
    }
  });

  it("shows an unknown code with the server's message", () => {
    const error = { code: 'QUERY_TOO_COMPLEX', field: null, message: 'Request too costly.' };
    expect(errorWording(error)).toBeUndefined();
    expect(describeError(error, german)).toBe('Request too costly.');
  });
});

describe('error messages', () => {
  const label = (field: string) => GERMAN_LABELS[field];
  const cases: [UserError, string, string][] = [
    [
      {
        code: 'VALIDATION',
        field: 'values.0.numerator',
        message: 'values.0.numerator: must not be greater than the denominator.',
      },
      'Zähler: darf nicht größer als der Nenner sein',
      'Numerator: must not be greater than the denominator',
    ],
    [
      // the same rule as the database words it
      {
        code: 'VALIDATION',
        field: 'values.0.numerator',
        message: 'numerator must not be greater than denominator.',
      },
      'Zähler: darf nicht größer als der Nenner sein',
      'Numerator: must not be greater than the denominator',
    ],
    [
      { code: 'VALIDATION', field: 'sdgTargets', message: 'sdgTargets: no SDG target 17.99.' },
      'SDG-Unterziele: 17.99 gibt es nicht',
      'SDG targets: there is no SDG target 17.99',
    ],
    [
      {
        code: 'VALIDATION',
        field: 'values.0.year',
        message: 'values.0.year: must be between 2000 and 2100.',
      },
      'Jahr: muss zwischen 2000 und 2100 liegen',
      'Year: must be between 2000 and 2100',
    ],
    [
      { code: 'VALIDATION', field: 'endsOn', message: 'endsOn must not be before startsOn.' },
      'Ende: darf nicht vor dem Beginn liegen',
      'End date: must not be before the start date',
    ],
    [
      {
        code: 'CONFLICT',
        field: 'values.1',
        message: 'values.1: the value for U5 in this period is approved already.',
      },
      'Der Wert für U5 in diesem Zeitraum ist bereits freigegeben und kann nicht mehr ersetzt werden.',
      'The value for U5 in this period is approved already and can no longer be replaced.',
    ],
    [
      // a target editor names its fields without labels: the sentence stands alone
      { code: 'VALIDATION', field: 'target', message: 'target is a percentage: 100 at most.' },
      'Ein Prozentsatz: höchstens 100.',
      'A percentage: 100 at most.',
    ],
    [
      // a rule the dashboard does not know by name: the code's sentence
      { code: 'VALIDATION', field: 'endsOn', message: 'endsOn cannot be cleared.' },
      'Ende: diese Angabe ist nicht gültig',
      'End date: this entry is not valid',
    ],
  ];
  const englishLabels: Record<string, string> = {
    'values.0.numerator': 'Numerator',
    'values.0.year': 'Year',
    sdgTargets: 'SDG targets',
    endsOn: 'End date',
  };

  it.each(cases)('words %o in German and English with the label', (error, inGerman, inEnglish) => {
    expect(describeError(error, german, label)).toBe(inGerman);
    expect(describeError(error, english, (field) => englishLabels[field])).toBe(inEnglish);
  });

  it('names the line of a batch form when it has several', () => {
    const fieldLabel = (name: string) => ({ numerator: 'Zähler' })[name];
    const line = (n: number) => `Zeile ${n}`;
    expect(lineFieldLabel('values.0.numerator', 1, fieldLabel, line)).toBe('Zähler');
    expect(lineFieldLabel('values.1.numerator', 2, fieldLabel, line)).toBe('Zähler (Zeile 2)');
    expect(lineFieldLabel('values.1', 2, fieldLabel, line)).toBe('Zeile 2');
    expect(lineFieldLabel('values', 2, fieldLabel, line)).toBeUndefined();
  });

  it('counts the lines of a batch from 1, as the form shows them', () => {
    const error = {
      code: 'CONFLICT',
      field: 'values.1',
      message: 'values.1 reports the same indicator, city and period as values.0.',
    };
    expect(describeError(error, german, (f) => (f === 'values.1' ? 'Zeile 2' : undefined))).toBe(
      'Zeile 2: meldet denselben Indikator, dieselbe Stadt und denselben Zeitraum wie Zeile 1',
    );
  });
});
