import { describe, expect, it } from 'vitest';
import { partnershipName, soleChoice } from '../src/lib/choices.ts';

describe('choices of the entry forms', () => {
  it('chooses the partnership of an account that has only one', () => {
    expect(soleChoice([{ id: 'UGFydG5lcnNoaXA6MQ==' }])).toBe('UGFydG5lcnNoaXA6MQ==');
  });

  it('leaves the choice to the user when there are several or none', () => {
    expect(soleChoice([{ id: 'a' }, { id: 'b' }])).toBeUndefined();
    expect(soleChoice([])).toBeUndefined();
  });

  it('names a partnership by its two cities', () => {
    expect(partnershipName({ germanCity: { name: 'Bonn' }, partnerCity: { name: 'Oxford' } })).toBe(
      'Bonn – Oxford',
    );
  });
});
