import { describe, expect, it } from 'vitest';
import { addressingSdg, breakdownByPartnership } from '../src/lib/breakdown.ts';

const bonnBoston = { id: 'p1', germanCity: { name: 'Bonn' }, partnerCity: { name: 'Boston' } };
const kielAustin = { id: 'p2', germanCity: { name: 'Kiel' }, partnerCity: { name: 'Austin' } };

describe('breakdown by partnership', () => {
  it('counts exchanges, participants and outcomes other than dropped ones', () => {
    const rows = breakdownByPartnership(
      [
        { partnership: bonnBoston, participantCount: 12 },
        { partnership: bonnBoston, participantCount: 8 },
        { partnership: kielAustin, participantCount: 5 },
      ],
      [
        { partnership: kielAustin, status: 'ACHIEVED' },
        { partnership: kielAustin, status: 'DROPPED' },
        { partnership: bonnBoston, status: 'PLANNED' },
      ],
    );
    expect(rows).toEqual([
      { id: 'p1', name: 'Bonn – Boston', exchanges: 2, participants: 20, outcomes: 1 },
      { id: 'p2', name: 'Kiel – Austin', exchanges: 1, participants: 5, outcomes: 1 },
    ]);
  });

  it('selects what addresses an SDG', () => {
    const items = [
      { id: 'a', sdgs: [{ number: 11 }, { number: 17 }] },
      { id: 'b', sdgs: [{ number: 13 }] },
    ];
    expect(addressingSdg(items, 17).map((i) => i.id)).toEqual(['a']);
    expect(addressingSdg(items, 5)).toEqual([]);
  });
});
