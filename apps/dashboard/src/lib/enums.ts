import type {
  ExchangeFormat,
  ExchangeKind,
  GovernanceLevel,
  OutcomeKind,
  OutcomeStatus,
} from '../gql/graphql.ts';

// The values in the order forms offer them; the compiler checks each list against the schema.
export const EXCHANGE_KINDS: readonly ExchangeKind[] = ['TECHNICAL', 'POLITICAL'];
export const EXCHANGE_FORMATS: readonly ExchangeFormat[] = ['IN_PERSON', 'VIRTUAL', 'HYBRID'];
export const GOVERNANCE_LEVELS: readonly GovernanceLevel[] = [
  'MUNICIPAL',
  'SUBNATIONAL',
  'NATIONAL',
  'INTERNATIONAL',
];
export const OUTCOME_KINDS: readonly OutcomeKind[] = [
  'NEW_APPROACH',
  'JOINT_PROJECT',
  'AGREEMENT',
  'POLICY_CHANGE',
  'KNOWLEDGE_PRODUCT',
  'FOLLOW_UP',
];
export const OUTCOME_STATUSES: readonly OutcomeStatus[] = [
  'PLANNED',
  'IN_PROGRESS',
  'ACHIEVED',
  'DROPPED',
];

/** Parses a form's number input; empty or malformed text is `undefined`, not 0. */
export function parseNumber(text: string | number | null | undefined): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) ? text : undefined;
  if (text === null || text === undefined || text.trim() === '') return undefined;
  const value = Number(text.trim().replace(',', '.'));
  return Number.isFinite(value) ? value : undefined;
}
