import type { DemoPlan } from './plan.ts';

/**
 * The programme indicators of one year over some partnerships of the demo plan, following the rules
 * of the indicator catalogue (docs/methodology.md, "The indicators"). The demo data set sets its
 * targets around these figures, so that the dashboard shows indicators on track, at risk and off
 * track. Percentages pool all approved respondents; a percentage without approved values is null.
 */
export function demoFigures(
  plan: DemoPlan,
  partnerships: readonly number[],
  year: number,
): Record<string, number | null> {
  const inScope = new Set(partnerships);
  const cities = new Set(
    partnerships.flatMap((i) => {
      const p = plan.partnerships[i];
      return p ? [p.germanCity, p.partnerCity] : [];
    }),
  );
  const inYear = (date: string) => date.startsWith(String(year));
  const exchanges = plan.exchanges.filter((e) => inScope.has(e.partnership) && inYear(e.startsOn));
  const outcomes = plan.outcomes.filter(
    (o) => inScope.has(o.partnership) && inYear(o.date) && o.status !== 'DROPPED',
  );
  const approved = plan.reportedValues.filter(
    (v) => cities.has(v.city) && v.year === year && v.status === 'APPROVED',
  );
  const departmentOf = (position: number) => plan.departments[position];

  const specialists = new Set<number>();
  const links = new Set<string>();
  for (const e of exchanges) {
    for (const d of e.departments) {
      if (departmentOf(d)?.type !== 'INTERNATIONAL_OFFICE') specialists.add(d);
    }
    const p = plan.partnerships[e.partnership];
    const german = e.departments.filter((d) => departmentOf(d)?.city === p?.germanCity);
    const partner = e.departments.filter((d) => departmentOf(d)?.city === p?.partnerCity);
    for (const g of german) for (const q of partner) links.add(`${g}-${q}`);
  }

  const percent = (code: string): number | null => {
    const rows = approved.filter((v) => v.indicatorCode === code);
    const denominator = rows.reduce((sum, v) => sum + (v.denominator ?? 0), 0);
    if (denominator === 0) return null;
    const numerator = rows.reduce((sum, v) => sum + (v.numerator ?? 0), 0);
    return Math.round((numerator / denominator) * 1000) / 10;
  };

  return {
    U1: exchanges.filter((e) => e.kind === 'TECHNICAL').length,
    U2: exchanges.filter((e) => e.kind === 'POLITICAL').length,
    U3: exchanges.reduce((sum, e) => sum + e.participantCount, 0),
    U4: new Set(exchanges.flatMap((e) => e.topics)).size,
    U5: percent('U5'),
    S1: specialists.size,
    S2: outcomes.filter((o) => o.kind === 'NEW_APPROACH').length,
    S3: outcomes.filter((o) => o.kind === 'JOINT_PROJECT' && o.status === 'ACHIEVED').length,
    S4: new Set([...exchanges, ...outcomes].flatMap((x) => x.sdgTargets)).size,
    S5: percent('S5'),
    N1: new Set(exchanges.map((e) => e.partnership)).size,
    N2: outcomes.filter((o) => o.kind === 'AGREEMENT').length,
    N3: exchanges.filter((e) => e.governanceLevels.some((l) => l !== 'MUNICIPAL')).length,
    N4: links.size,
    N5: approved
      .filter((v) => v.indicatorCode === 'N5')
      .reduce((sum, v) => sum + (v.value ?? 0), 0),
  };
}
