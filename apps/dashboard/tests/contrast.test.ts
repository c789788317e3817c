import { describe, expect, it } from 'vitest';
import {
  contrastRatio,
  DARK_TEXT,
  LIGHT_TEXT,
  parseHex,
  pickTextColour,
  relativeLuminance,
} from '../src/lib/contrast.ts';

// The official SDG colours as the API serves them.
const SDG_COLOURS = [
  '#E5243B',
  '#DDA63A',
  '#4C9F38',
  '#C5192D',
  '#FF3A21',
  '#26BDE2',
  '#FCC30B',
  '#A21942',
  '#FD6925',
  '#DD1367',
  '#FD9D24',
  '#BF8B2E',
  '#3F7E44',
  '#0A97D9',
  '#56C02B',
  '#00689D',
  '#19486A',
];

describe('contrast', () => {
  it('parses short and long hex colours', () => {
    expect(parseHex('#fff')).toEqual([255, 255, 255]);
    expect(parseHex('19486A')).toEqual([25, 72, 106]);
    expect(() => parseHex('red')).toThrow();
  });

  it('computes WCAG luminance and contrast ratios', () => {
    expect(relativeLuminance('#000000')).toBe(0);
    expect(relativeLuminance('#ffffff')).toBe(1);
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#ffffff', '#777777')).toBe(contrastRatio('#777777', '#ffffff'));
  });

  it('puts dark text on light tiles and white text on dark tiles', () => {
    expect(pickTextColour('#FCC30B')).toBe(DARK_TEXT); // SDG 7, yellow
    expect(pickTextColour('#19486A')).toBe(LIGHT_TEXT); // SDG 17, navy
    expect(pickTextColour('#00689D')).toBe(LIGHT_TEXT); // SDG 16
  });

  it('gives every SDG tile text of at least 4.5:1, the better of the two choices', () => {
    for (const colour of SDG_COLOURS) {
      const text = pickTextColour(colour);
      const other = text === LIGHT_TEXT ? DARK_TEXT : LIGHT_TEXT;
      expect(contrastRatio(colour, text), colour).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(colour, text)).toBeGreaterThanOrEqual(contrastRatio(colour, other));
    }
  });
});
