import { describe, expect, it } from 'vitest';
import { useFormErrors } from '../src/composables/formErrors.ts';

describe('form errors', () => {
  it('ties each payload error to its field and keeps the rest for the summary', () => {
    const form = useFormErrors('exchange', ['title', 'endsOn']);
    form.set([
      { code: 'INVALID', field: 'input.endsOn', message: 'The end date is before the start date.' },
      { code: 'FORBIDDEN', field: null, message: 'Not allowed.' },
    ]);
    expect(form.messages('endsOn')).toEqual(['The end date is before the start date.']);
    expect(form.messages('title')).toEqual([]);
    expect(form.general.value).toEqual(['Not allowed.']);
    expect(form.fieldCount.value).toBe(1);
    expect(form.attrs('endsOn')).toEqual({
      'aria-invalid': true,
      'aria-describedby': 'exchange-endsOn-error',
    });
    expect(form.attrs('title', 'title-help')).toEqual({
      'aria-invalid': undefined,
      'aria-describedby': 'title-help',
    });
    form.clear();
    expect(form.messages('endsOn')).toEqual([]);
  });

  it('accepts fields that change with the form (batch lines)', () => {
    let lines = 1;
    const form = useFormErrors('values', () =>
      Array.from({ length: lines }, (_, i) => `values.${i}.year`),
    );
    form.set([{ code: 'INVALID', field: 'values.1.year', message: 'Year out of range.' }]);
    expect(form.general.value).toEqual(['Year out of range.']);
    lines = 2;
    form.set([{ code: 'INVALID', field: 'values.1.year', message: 'Year out of range.' }]);
    expect(form.messages('values.1.year')).toEqual(['Year out of range.']);
  });
});
