import { describe, expect, it } from 'vitest';
import { errorId, groupErrors, loadErrorKey, normaliseField } from '../src/lib/errors.ts';
import en from '../src/locales/en.ts';

describe('payload errors', () => {
  it('maps API field paths to form fields', () => {
    expect(normaliseField('input.title')).toBe('title');
    expect(normaliseField('title')).toBe('title');
    expect(normaliseField('input.values.2.numerator')).toBe('values.2.numerator');
    expect(normaliseField('values[1].year')).toBe('values.1.year');
    expect(normaliseField(null)).toBeUndefined();
    expect(normaliseField('input')).toBeUndefined();
  });

  it('groups errors by field and keeps unknown fields for the form summary', () => {
    const grouped = groupErrors(
      [
        { code: 'INVALID', field: 'input.endsOn', message: 'End date is before the start date.' },
        { code: 'INVALID', field: 'endsOn', message: 'Second problem.' },
        { code: 'FORBIDDEN', field: null, message: 'Not your partnership.' },
        { code: 'INVALID', field: 'somethingElse', message: 'Odd.' },
      ],
      ['endsOn', 'title'],
    );
    expect(grouped).toEqual({
      endsOn: ['End date is before the start date.', 'Second problem.'],
      '': ['Not your partnership.', 'Odd.'],
    });
  });

  it('builds stable ids for aria-describedby', () => {
    expect(errorId('values', 'values.0.year')).toBe('values-values-0-year-error');
  });
});

describe('query errors', () => {
  const answer = (code: string, field?: string) => ({
    message: 'Response not successful',
    graphQLErrors: [{ message: 'refused', extensions: { code, ...(field ? { field } : {}) } }],
  });

  it("tells a city account it sees its own city's figures only, by the field refused", () => {
    expect(loadErrorKey(answer('FORBIDDEN', 'scope.partnershipId'))).toBe(
      'loadError.forbiddenPartnership',
    );
    expect(loadErrorKey(answer('FORBIDDEN', 'scope.cityId'))).toBe('loadError.forbiddenCity');
    expect(loadErrorKey(answer('FORBIDDEN', 'scope.countryCode'))).toBe(
      'loadError.forbiddenCountry',
    );
    expect(loadErrorKey(answer('FORBIDDEN'))).toBe('loadError.forbidden');
    expect(en.loadError.forbiddenPartnership).toBe(
      "You can see the figures of your own city's partnerships only.",
    );
  });

  it('names a partnership or city that does not exist, and a malformed filter', () => {
    expect(loadErrorKey(answer('NOT_FOUND', 'scope.partnershipId'))).toBe(
      'loadError.notFoundPartnership',
    );
    expect(loadErrorKey(answer('NOT_FOUND', 'scope.cityId'))).toBe('loadError.notFoundCity');
    expect(loadErrorKey(answer('BAD_USER_INPUT', 'scope.to'))).toBe('loadError.badFilter');
  });

  it('leaves failures that are not about what was asked to the generic message and retry', () => {
    expect(loadErrorKey(null)).toBeUndefined();
    expect(loadErrorKey({ message: 'Failed to fetch' })).toBeUndefined();
    expect(loadErrorKey({ message: 'x', graphQLErrors: [] })).toBeUndefined();
    expect(loadErrorKey(answer('INTERNAL_SERVER_ERROR'))).toBeUndefined();
    expect(loadErrorKey(answer('NOT_FOUND'))).toBeUndefined();
  });
});
