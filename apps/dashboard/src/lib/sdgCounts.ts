/** What an SDG's summary counts, each with the locale key of its label, in the order shown. */
export const SDG_COUNTS = [
  ['exchangeCount', 'sdg.exchanges'],
  ['outcomeCount', 'sdg.outcomes'],
  ['partnershipCount', 'sdg.partnerships'],
] as const;
