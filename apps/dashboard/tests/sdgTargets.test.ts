import { describe, expect, it } from 'vitest';
import { findTargets, type PickableTarget } from '../src/lib/sdgTargets.ts';

const ENGLISH: PickableTarget[] = [
  { code: '6.3', title: 'Improve water quality by reducing pollution', goal: 'Clean water' },
  { code: '11.1', title: 'Adequate, safe and affordable housing', goal: 'Sustainable cities' },
  {
    code: '11.5',
    title: 'Reduce deaths and losses caused by disasters',
    goal: 'Sustainable cities',
  },
  { code: '11.a', title: 'Links between urban and rural areas', goal: 'Sustainable cities' },
  { code: '1.1', title: 'Eradicate extreme poverty', goal: 'No poverty' },
];
const GERMAN: PickableTarget[] = [
  {
    code: '6.3',
    title: 'Wasserqualität durch Verringerung der Verschmutzung verbessern',
    goal: 'Sauberes Wasser',
  },
  {
    code: '13.2',
    title: 'Klimaschutzmaßnahmen in die Politik einbeziehen',
    goal: 'Maßnahmen zum Klimaschutz',
  },
  { code: '15.1', title: 'Ökosysteme an Land erhalten', goal: 'Leben an Land' },
];

describe('SDG target search', () => {
  it('finds the targets of a goal by its number, and one target by its code', () => {
    expect(findTargets(ENGLISH, '11').map((t) => t.code)).toEqual(['11.1', '11.5', '11.a']);
    expect(findTargets(ENGLISH, '1').map((t) => t.code)).toEqual(['1.1']);
    expect(findTargets(ENGLISH, '11.5').map((t) => t.code)).toEqual(['11.5']);
    expect(findTargets(ENGLISH, '11.A').map((t) => t.code)).toEqual(['11.a']);
  });

  it('finds targets by words of their title or goal, in English and German', () => {
    expect(findTargets(ENGLISH, 'water').map((t) => t.code)).toEqual(['6.3']);
    expect(findTargets(ENGLISH, 'cities disasters').map((t) => t.code)).toEqual(['11.5']);
    expect(findTargets(GERMAN, 'wasser').map((t) => t.code)).toEqual(['6.3']);
    expect(findTargets(GERMAN, 'klimaschutz').map((t) => t.code)).toEqual(['13.2']);
    expect(findTargets(GERMAN, 'okosysteme').map((t) => t.code)).toEqual(['15.1']);
  });

  it('finds nothing for an empty search and at most the limit', () => {
    expect(findTargets(ENGLISH, '  ')).toEqual([]);
    expect(findTargets(ENGLISH, '11', 2)).toHaveLength(2);
  });
});
