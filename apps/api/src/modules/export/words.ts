import type {
  ExchangeFormat,
  ExchangeKind,
  GovernanceLevel,
  IndicatorUnit,
  OutcomeKind,
  OutcomeStatus,
  ProgrammeGoal,
  ValueStatus,
} from '@udx/db/schema';
import type { IndicatorStatus } from '@udx/indicators/engine';
import type { Language } from '../../context.ts';

/**
 * The words of the export files in English and German: column headers, sheet names and enum
 * values, in the dashboard's words (its German glossary: Austausch, Ergebnis, Zielwert,
 * Ausgangswert, Fachamt …), so that a file reads like the page it was downloaded from.
 */
const WORDS = {
  en: {
    sheet: {
      indicators: 'Indicators',
      series: 'Series',
      exchanges: 'Exchanges',
      outcomes: 'Outcomes',
      values: 'Reported values',
    },
    column: {
      id: 'ID',
      code: 'Code',
      name: 'Name',
      goal: 'Programme goal',
      unit: 'Unit',
      value: 'Value (period)',
      year: 'Reference year',
      yearValue: 'Value (reference year)',
      baseline: 'Baseline',
      target: 'Target',
      progress: 'Progress (1 = target reached)',
      status: 'Status',
      period: 'Year',
      partnership: 'Partnership',
      kind: 'Kind',
      format: 'Format',
      title: 'Title',
      startsOn: 'Start date',
      endsOn: 'End date',
      hostCity: 'Host city',
      participants: 'Participants',
      governanceLevels: 'Governance levels',
      departments: 'Departments',
      topics: 'Topics',
      sdgTargets: 'SDG targets',
      sdgs: 'SDGs',
      outcomeStatus: 'Status',
      description: 'Description',
      date: 'Date',
      exchange: 'Exchange',
    },
    goal: { UNDERSTAND: 'Understand', SHAPE: 'Shape', NETWORK: 'Network' },
    unit: { COUNT: 'count', PERCENT: 'percent' },
    status: {
      ON_TRACK: 'On track',
      AT_RISK: 'At risk',
      OFF_TRACK: 'Off track',
      NO_DATA: 'No data yet',
      NO_TARGET: 'No target',
    },
    exchangeKind: { TECHNICAL: 'Technical', POLITICAL: 'Political' },
    exchangeFormat: { IN_PERSON: 'In person', VIRTUAL: 'Virtual', HYBRID: 'Hybrid' },
    governanceLevel: {
      MUNICIPAL: 'Municipal',
      SUBNATIONAL: 'Sub-national',
      NATIONAL: 'National',
      INTERNATIONAL: 'International',
    },
    outcomeKind: {
      NEW_APPROACH: 'New approach',
      JOINT_PROJECT: 'Joint project',
      AGREEMENT: 'Agreement',
      POLICY_CHANGE: 'Policy change',
      KNOWLEDGE_PRODUCT: 'Knowledge product',
      FOLLOW_UP: 'Follow-up',
    },
    outcomeStatus: {
      PLANNED: 'Planned',
      IN_PROGRESS: 'In progress',
      ACHIEVED: 'Achieved',
      DROPPED: 'Dropped',
    },
    valueStatus: {
      DRAFT: 'Draft',
      SUBMITTED: 'Submitted',
      APPROVED: 'Approved',
      REJECTED: 'Rejected',
    },
  },
  de: {
    sheet: {
      indicators: 'Indikatoren',
      series: 'Zeitreihen',
      exchanges: 'Austausche',
      outcomes: 'Ergebnisse',
      values: 'Gemeldete Werte',
    },
    column: {
      id: 'ID',
      code: 'Kürzel',
      name: 'Name',
      goal: 'Programmziel',
      unit: 'Einheit',
      value: 'Wert (Zeitraum)',
      year: 'Bezugsjahr',
      yearValue: 'Wert (Bezugsjahr)',
      baseline: 'Ausgangswert',
      target: 'Zielwert',
      progress: 'Fortschritt (1 = Zielwert erreicht)',
      status: 'Status',
      period: 'Jahr',
      partnership: 'Partnerschaft',
      kind: 'Art',
      format: 'Format',
      title: 'Titel',
      startsOn: 'Beginn',
      endsOn: 'Ende',
      hostCity: 'Gastgeberstadt',
      participants: 'Teilnehmende',
      governanceLevels: 'Ebenen',
      departments: 'Fachämter',
      topics: 'Themen',
      sdgTargets: 'SDG-Unterziele',
      sdgs: 'SDGs',
      outcomeStatus: 'Stand',
      description: 'Beschreibung',
      date: 'Datum',
      exchange: 'Austausch',
    },
    goal: { UNDERSTAND: 'Verstehen', SHAPE: 'Gestalten', NETWORK: 'Vernetzen' },
    unit: { COUNT: 'Anzahl', PERCENT: 'Prozent' },
    status: {
      ON_TRACK: 'Im Plan',
      AT_RISK: 'Gefährdet',
      OFF_TRACK: 'Nicht im Plan',
      NO_DATA: 'Noch keine Daten',
      NO_TARGET: 'Kein Zielwert',
    },
    exchangeKind: { TECHNICAL: 'Fachaustausch', POLITICAL: 'Politischer Austausch' },
    exchangeFormat: { IN_PERSON: 'Vor Ort', VIRTUAL: 'Virtuell', HYBRID: 'Hybrid' },
    governanceLevel: {
      MUNICIPAL: 'Kommunal',
      SUBNATIONAL: 'Subnational',
      NATIONAL: 'National',
      INTERNATIONAL: 'International',
    },
    outcomeKind: {
      NEW_APPROACH: 'Neuer Ansatz',
      JOINT_PROJECT: 'Gemeinsames Projekt',
      AGREEMENT: 'Vereinbarung',
      POLICY_CHANGE: 'Politikänderung',
      KNOWLEDGE_PRODUCT: 'Wissensprodukt',
      FOLLOW_UP: 'Folgeaktivität',
    },
    outcomeStatus: {
      PLANNED: 'Geplant',
      IN_PROGRESS: 'In Arbeit',
      ACHIEVED: 'Erreicht',
      DROPPED: 'Verworfen',
    },
    valueStatus: {
      DRAFT: 'Entwurf',
      SUBMITTED: 'Eingereicht',
      APPROVED: 'Freigegeben',
      REJECTED: 'Abgelehnt',
    },
  },
} as const satisfies Record<Language, ExportWordsShape>;

interface ExportWordsShape {
  sheet: Record<'indicators' | 'series' | 'exchanges' | 'outcomes' | 'values', string>;
  column: Record<string, string>;
  goal: Record<ProgrammeGoal, string>;
  unit: Record<IndicatorUnit, string>;
  status: Record<IndicatorStatus, string>;
  exchangeKind: Record<ExchangeKind, string>;
  exchangeFormat: Record<ExchangeFormat, string>;
  governanceLevel: Record<GovernanceLevel, string>;
  outcomeKind: Record<OutcomeKind, string>;
  outcomeStatus: Record<OutcomeStatus, string>;
  valueStatus: Record<ValueStatus, string>;
}

export type ExportWords = (typeof WORDS)['en' | 'de'];

/** The export's words in a language. */
export function exportWords(language: Language): ExportWords {
  return WORDS[language];
}
