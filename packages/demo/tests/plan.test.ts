import { topics } from '@udx/migrations/catalogue';
import { describe, expect, it } from 'vitest';
import { planDemoDataSet } from '../src/plan.ts';
import { Random } from '../src/random.ts';
import { type TopicCode, topicCodes, topicGoals } from '../src/vocabulary.ts';

describe('the demo plan', () => {
  it('is the same on every call, and another seed gives other figures', () => {
    expect(planDemoDataSet()).toEqual(planDemoDataSet());
    const other = planDemoDataSet(7);
    expect(other.cities).toEqual(planDemoDataSet().cities);
    expect(other.exchanges).not.toEqual(planDemoDataSet().exchanges);
  });

  it('draws from a seeded generator, never from the clock', () => {
    const a = new Random(42);
    const b = new Random(42);
    const draws = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(draws);
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('uses the topics of the programme catalogue with their SDGs', () => {
    expect(topicCodes).toEqual(topics.map((t) => t.code));
    for (const topic of topics) expect(topicGoals[topic.code as TopicCode]).toEqual(topic.sdgs);
  });

  it('has 4 to 12 exchanges per active partnership and unique titles within each', () => {
    const plan = planDemoDataSet();
    plan.partnerships.forEach((p, i) => {
      const own = plan.exchanges.filter((e) => e.partnership === i);
      if (p.status === 'ACTIVE') {
        expect(own.length).toBeGreaterThanOrEqual(4);
        expect(own.length).toBeLessThanOrEqual(12);
      }
      expect(new Set(own.map((e) => e.title)).size).toBe(own.length);
      const outcomes = plan.outcomes.filter((o) => o.partnership === i);
      expect(new Set(outcomes.map((o) => o.title)).size).toBe(outcomes.length);
      expect(p.joinedOn >= '2022-01-01' && p.joinedOn <= '2024-12-31').toBe(true);
    });
    expect(plan.partnerships.filter((p) => p.status === 'PAUSED').length).toBeLessThanOrEqual(2);
  });
});
