export interface BreakdownPartnership {
  id: string;
  germanCity: { name: string };
  partnerCity: { name: string };
}

export interface BreakdownRow {
  id: string;
  name: string;
  exchanges: number;
  participants: number;
  outcomes: number;
}

/**
 * Exchanges, participants and outcomes (DROPPED ones left out, as in the totals) per
 * partnership, largest activity first.
 */
export function breakdownByPartnership(
  exchanges: readonly { partnership: BreakdownPartnership; participantCount: number }[],
  outcomes: readonly { partnership: BreakdownPartnership; status: string }[],
): BreakdownRow[] {
  const rows = new Map<string, BreakdownRow>();
  const row = (p: BreakdownPartnership) => {
    let r = rows.get(p.id);
    if (!r) {
      r = {
        id: p.id,
        name: `${p.germanCity.name} – ${p.partnerCity.name}`,
        exchanges: 0,
        participants: 0,
        outcomes: 0,
      };
      rows.set(p.id, r);
    }
    return r;
  };
  for (const e of exchanges) {
    const r = row(e.partnership);
    r.exchanges += 1;
    r.participants += e.participantCount;
  }
  for (const o of outcomes) if (o.status !== 'DROPPED') row(o.partnership).outcomes += 1;
  return [...rows.values()].sort(
    (a, b) => b.exchanges + b.outcomes - (a.exchanges + a.outcomes) || a.name.localeCompare(b.name),
  );
}

/** Items that address SDG `number` (their `sdgs` list contains it). */
export function addressingSdg<T extends { sdgs: readonly { number: number }[] }>(
  items: readonly T[],
  number: number,
): T[] {
  return items.filter((item) => item.sdgs.some((s) => s.number === number));
}
