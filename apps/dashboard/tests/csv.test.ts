import { describe, expect, it } from 'vitest';
import { csvFileName, seriesToCsv, toCsv } from '../src/lib/csv.ts';

describe('CSV export', () => {
  it('writes a header and rows with CRLF line ends', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          [1, 'x'],
          [2, null],
        ],
      ),
    ).toBe('a,b\r\n1,x\r\n2,\r\n');
  });

  it('quotes commas, quotes and line breaks', () => {
    expect(toCsv(['t'], [['Bonn, Germany'], ['say "hi"'], ['two\nlines']])).toBe(
      't\r\n"Bonn, Germany"\r\n"say ""hi"""\r\n"two\nlines"\r\n',
    );
  });

  it('neutralises text that a spreadsheet would run as a formula', () => {
    expect(toCsv(['t'], [['=SUM(A1)'], ['@cmd']])).toBe("t\r\n'=SUM(A1)\r\n'@cmd\r\n");
    // Negative numbers stay numbers.
    expect(toCsv(['n'], [[-3]])).toBe('n\r\n-3\r\n');
  });

  it('exports an indicator series with empty cells for missing values', () => {
    const csv = seriesToCsv('U5', [
      { period: '2025', value: 62.5, baseline: 50, target: 70 },
      { period: '2026', value: null, baseline: null, target: 75 },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'indicator,period,value,baseline,target',
      'U5,2025,62.5,50,70',
      'U5,2026,,,75',
      '',
    ]);
  });

  it('names files safely with the date', () => {
    expect(csvFileName(['U1', 'year'], new Date('2026-11-27T12:00:00Z'))).toBe(
      'udx-U1-year-2026-11-27.csv',
    );
    expect(csvFileName(['a/b c'], new Date('2026-01-02T00:00:00Z'))).toBe(
      'udx-a-b-c-2026-01-02.csv',
    );
  });
});
