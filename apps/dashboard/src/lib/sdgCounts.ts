/** What an SDG's summary counts, each with the locale key of its label, in the order shown. */
export const SDG_COUNTS = [
  ['exchangeCount', 'sdg.exchanges'],
  ['outcomeCount', 'sdg.outcomes'],
  ['partnershipCount', 'sdg.partnerships'],
] as const;

/** SDGs that matter for every partnership of the programme (11, 16 and 17), marked on their tiles. */
export const PROGRAMME_SDGS: ReadonlySet<number> = new Set([11, 16, 17]);
