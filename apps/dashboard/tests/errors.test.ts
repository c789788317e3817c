import { describe, expect, it } from 'vitest';
import { errorId, groupErrors, normaliseField, splitCodes } from '../src/lib/errors.ts';

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

  it('splits SDG target lists', () => {
    expect(splitCodes(' 11.6, 17.17;11.6  13.a ')).toEqual(['11.6', '17.17', '13.a']);
    expect(splitCodes('')).toEqual([]);
  });
});
