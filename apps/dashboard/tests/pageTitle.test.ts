import { describe, expect, it } from 'vitest';
import { documentTitle } from '../src/composables/pageTitle.ts';

describe('document title', () => {
  it('puts the page heading before the app name', () => {
    expect(documentTitle('Hamburg', 'udx')).toBe('Hamburg · udx');
    expect(documentTitle('', 'udx')).toBe('udx');
  });
});
