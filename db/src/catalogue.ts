/**
 * The programme's own reference data: the topics and the 15 indicators (docs/methodology.md, "The
 * data model" and "The indicators"). The reference seed writes these into the database; tests
 * compare the database against them.
 */

export type ProgrammeGoal = 'UNDERSTAND' | 'SHAPE' | 'NETWORK';

export interface TopicDefinition {
  code: string;
  name: { en: string; de: string };
  sdgs: number[];
}

export const topics: readonly TopicDefinition[] = [
  {
    code: 'SUSTAINABLE_TRANSPORT',
    name: { en: 'Sustainable transport infrastructure', de: 'Nachhaltige Verkehrsinfrastruktur' },
    sdgs: [9, 11],
  },
  {
    code: 'CLIMATE_NEUTRAL_PLANNING',
    name: {
      en: 'Climate-friendly and CO2-neutral urban planning',
      de: 'Klimafreundliche und CO2-neutrale Stadtplanung',
    },
    sdgs: [7, 11, 13],
  },
  { code: 'ZERO_WASTE', name: { en: 'Zero waste', de: 'Zero Waste' }, sdgs: [11, 12] },
  { code: 'SPONGE_CITY', name: { en: 'Sponge city', de: 'Schwammstadt' }, sdgs: [6, 11, 13] },
  { code: 'SOCIAL_CITY', name: { en: 'Social city', de: 'Soziale Stadt' }, sdgs: [1, 10, 11] },
];

export interface IndicatorDefinition {
  code: string;
  goal: ProgrammeGoal;
  unit: 'COUNT' | 'PERCENT';
  source: 'COMPUTED' | 'REPORTED';
  sdgs: number[];
  name: { en: string; de: string };
  description: { en: string; de: string };
}

export const indicators: readonly IndicatorDefinition[] = [
  {
    code: 'U1',
    goal: 'UNDERSTAND',
    unit: 'COUNT',
    source: 'COMPUTED',
    sdgs: [11, 17],
    name: { en: 'Technical exchanges', de: 'Fachaustausche' },
    description: {
      en: 'Number of technical exchanges between specialists of city departments that started in the period.',
      de: 'Anzahl der im Zeitraum begonnenen Fachaustausche zwischen Fachleuten der Stadtverwaltungen.',
    },
  },
  {
    code: 'U2',
    goal: 'UNDERSTAND',
    unit: 'COUNT',
    source: 'COMPUTED',
    sdgs: [16, 17],
    name: { en: 'Political exchanges', de: 'Politische Austausche' },
    description: {
      en: 'Number of political exchanges between city leaders (mayors, councils) that started in the period.',
      de: 'Anzahl der im Zeitraum begonnenen politischen Austausche zwischen Stadtspitzen (Oberbürgermeister, Räte).',
    },
  },
  {
    code: 'U3',
    goal: 'UNDERSTAND',
    unit: 'COUNT',
    source: 'COMPUTED',
    sdgs: [17],
    name: { en: 'Participants', de: 'Teilnehmende' },
    description: {
      en: 'Sum of the participant counts of the exchanges that started in the period.',
      de: 'Summe der Teilnehmendenzahlen der im Zeitraum begonnenen Austausche.',
    },
  },
  {
    code: 'U4',
    goal: 'UNDERSTAND',
    unit: 'COUNT',
    source: 'COMPUTED',
    sdgs: [11, 17],
    name: { en: 'Topics covered', de: 'Behandelte Themen' },
    description: {
      en: 'Number of distinct topics of the exchanges that started in the period, counted once over the whole selection.',
      de: 'Anzahl der verschiedenen Themen der im Zeitraum begonnenen Austausche, über die ganze Auswahl einmal gezählt.',
    },
  },
  {
    code: 'U5',
    goal: 'UNDERSTAND',
    unit: 'PERCENT',
    source: 'REPORTED',
    sdgs: [17],
    name: { en: 'Understanding gained', de: 'Gewonnenes Verständnis' },
    description: {
      en: "Share of surveyed participants reporting a better understanding of the partner city's challenges and solutions (all respondents pooled: sum of those agreeing / sum of respondents).",
      de: 'Anteil der befragten Teilnehmenden, die ein besseres Verständnis der Herausforderungen und Lösungen der Partnerstadt angeben (alle Befragten zusammengefasst: Summe der Zustimmenden / Summe der Befragten).',
    },
  },
  {
    code: 'S1',
    goal: 'SHAPE',
    unit: 'COUNT',
    source: 'COMPUTED',
    sdgs: [11, 16],
    name: { en: 'Specialist departments involved', de: 'Beteiligte Fachämter' },
    description: {
      en: 'Number of distinct departments, other than international offices, that took part in at least one exchange in the period.',
      de: 'Anzahl der verschiedenen Ämter außer den Büros für Internationales, die im Zeitraum an mindestens einem Austausch teilgenommen haben.',
    },
  },
  {
    code: 'S2',
    goal: 'SHAPE',
    unit: 'COUNT',
    source: 'COMPUTED',
    sdgs: [11, 17],
    name: { en: 'New cooperation approaches', de: 'Neue Kooperationsansätze' },
    description: {
      en: 'Number of outcomes of kind "new approach" dated in the period, unless dropped.',
      de: 'Anzahl der Ergebnisse der Art „neuer Ansatz“ im Zeitraum, sofern nicht verworfen.',
    },
  },
  {
    code: 'S3',
    goal: 'SHAPE',
    unit: 'COUNT',
    source: 'COMPUTED',
    sdgs: [11, 13],
    name: { en: 'Joint projects achieved', de: 'Umgesetzte gemeinsame Projekte' },
    description: {
      en: 'Number of outcomes of kind "joint project" with status achieved, dated in the period.',
      de: 'Anzahl der Ergebnisse der Art „gemeinsames Projekt“ mit dem Status erreicht im Zeitraum.',
    },
  },
  {
    code: 'S4',
    goal: 'SHAPE',
    unit: 'COUNT',
    source: 'COMPUTED',
    sdgs: [17],
    name: { en: 'SDG targets addressed', de: 'Adressierte SDG-Unterziele' },
    description: {
      en: 'Number of distinct SDG targets addressed by the exchanges and the outcomes (unless dropped) of the period.',
      de: 'Anzahl der verschiedenen SDG-Unterziele, die die Austausche und die (nicht verworfenen) Ergebnisse des Zeitraums adressieren.',
    },
  },
  {
    code: 'S5',
    goal: 'SHAPE',
    unit: 'PERCENT',
    source: 'REPORTED',
    sdgs: [16],
    name: { en: 'Role awareness', de: 'Rollenbewusstsein' },
    description: {
      en: 'Share of surveyed participants reporting greater awareness of their role in city diplomacy (all respondents pooled).',
      de: 'Anteil der befragten Teilnehmenden, die sich ihrer Rolle in der Städtediplomatie stärker bewusst sind (alle Befragten zusammengefasst).',
    },
  },
  {
    code: 'N1',
    goal: 'NETWORK',
    unit: 'COUNT',
    source: 'COMPUTED',
    sdgs: [17],
    name: { en: 'Active partnerships', de: 'Aktive Partnerschaften' },
    description: {
      en: 'Number of partnerships with at least one exchange that started in the period.',
      de: 'Anzahl der Partnerschaften mit mindestens einem im Zeitraum begonnenen Austausch.',
    },
  },
  {
    code: 'N2',
    goal: 'NETWORK',
    unit: 'COUNT',
    source: 'COMPUTED',
    sdgs: [17],
    name: { en: 'Partnership agreements', de: 'Partnerschaftsvereinbarungen' },
    description: {
      en: 'Number of outcomes of kind "agreement" dated in the period, unless dropped.',
      de: 'Anzahl der Ergebnisse der Art „Vereinbarung“ im Zeitraum, sofern nicht verworfen.',
    },
  },
  {
    code: 'N3',
    goal: 'NETWORK',
    unit: 'COUNT',
    source: 'COMPUTED',
    sdgs: [16, 17],
    name: { en: 'Multi-level exchanges', de: 'Mehrebenen-Austausche' },
    description: {
      en: 'Number of exchanges of the period that involved a governance level beyond the municipal one (sub-national, national or international).',
      de: 'Anzahl der Austausche des Zeitraums, an denen eine Ebene jenseits der kommunalen beteiligt war (subnational, national oder international).',
    },
  },
  {
    code: 'N4',
    goal: 'NETWORK',
    unit: 'COUNT',
    source: 'COMPUTED',
    sdgs: [17],
    name: { en: 'Department links', de: 'Verbindungen zwischen Ämtern' },
    description: {
      en: 'Number of distinct pairs of a department of the German city and a department of the partner city that took part in the same exchange in the period.',
      de: 'Anzahl der verschiedenen Paare aus einem Amt der deutschen Stadt und einem Amt der Partnerstadt, die im Zeitraum am selben Austausch teilgenommen haben.',
    },
  },
  {
    code: 'N5',
    goal: 'NETWORK',
    unit: 'COUNT',
    source: 'REPORTED',
    sdgs: [17],
    name: { en: 'Follow-up initiatives', de: 'Folgeinitiativen' },
    description: {
      en: 'Number of follow-up activities started without programme funding, as reported by the cities.',
      de: 'Anzahl der ohne Programmförderung begonnenen Folgeaktivitäten, wie von den Städten gemeldet.',
    },
  },
];
