import { describe, expect, it } from 'vitest';
import { formatReported } from '../src/lib/reportedValue.ts';

describe('reported values as shown', () => {
  it('shows a percentage with its numerator and denominator', () => {
    const value = { numerator: 9, denominator: 20, indicator: { unit: 'PERCENT' } };
    expect(formatReported(value, 'en')).toBe('45% (9 / 20)');
    // German puts a no-break space before the percent sign.
    expect(formatReported(value, 'de')).toBe('45\u00a0% (9 / 20)');
  });

  it('shows a count as its value', () => {
    expect(formatReported({ value: 3, indicator: { unit: 'COUNT' } }, 'en')).toBe('3');
  });
});
